import { useMutation, useQueryClient } from '@tanstack/react-query';
import { UpdateFirewallInput, type Firewall } from '@uncloud/sdk';
import type { Refusal } from '../../app/access.ts';
import { CheckboxList } from '../../components/checkbox-list.tsx';
import type { FieldFor } from '../../components/create-dialog.tsx';
import { EditDialog } from '../../components/edit-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import { Input } from '../../components/ui/input.tsx';
import { splitList } from '../../lib/format.ts';
import { useTRPC } from '../../lib/trpc.ts';
import {
  RulesEditor,
  ruleFieldFor,
  rulesInput,
  tagsHint,
  tagsOf,
  toRuleForm,
  type RulesForm,
} from './firewall-rules-editor.tsx';
import type { useTargetNames } from './use-target-names.ts';

type FirewallEditForm = RulesForm & {
  name: string;
  targetIds: string[];
  targetTags: string;
  allowDns: boolean;
};

/** Name and targets are the dialog's own fields; the rules map as the rules editor says. */
const rulePaths = ruleFieldFor<FirewallEditForm>();
const fieldFor: FieldFor<FirewallEditForm> = (path) => {
  const head = path.split('.')[0];
  if (head === 'name') return 'name';
  if (head === 'targets') return 'targetTags';
  return rulePaths(path);
};

/** Edits the whole firewall: name, every inbound and outbound rule, and what it applies to. */
export function EditFirewallDialog({
  firewall,
  targets,
  refusal,
}: {
  firewall: Firewall;
  targets: ReturnType<typeof useTargetNames>;
  refusal: Refusal | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const update = useMutation(
    trpc.firewalls.update.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.firewalls.pathKey() }),
    }),
  );
  const options = [
    ...targets.droplets.map((d) => ({ value: d.id as string, label: `Droplet ${d.name}` })),
    ...targets.apps.map((a) => ({ value: a.id as string, label: `App ${a.name}` })),
  ];
  const defaults: FirewallEditForm = {
    name: firewall.name,
    inbound: firewall.inbound.map((r) => toRuleForm(r, r.sources)),
    outbound: firewall.outbound.map((r) => toRuleForm(r, r.destinations)),
    targetIds: firewall.targets.filter((t) => !t.startsWith('tag:')),
    targetTags: firewall.targets
      .filter((t) => t.startsWith('tag:'))
      .map((t) => t.slice(4))
      .join(', '),
    allowDns: firewall.allowDns,
  };
  return (
    <EditDialog
      title={`Edit ${firewall.name}`}
      description="Only traffic that a rule allows reaches what the firewall applies to. Changes apply within seconds."
      disabled={firewall.state === 'deleting'}
      refusal={refusal}
      schema={UpdateFirewallInput}
      defaultValues={defaults}
      fieldFor={fieldFor}
      toInput={(f: FirewallEditForm) => ({
        projectId: firewall.projectId,
        id: firewall.id,
        name: f.name,
        ...rulesInput(f),
        targets: [...f.targetIds, ...splitList(f.targetTags).map((t) => `tag:${t}`)],
        allowDns: f.allowDns,
      })}
      onSubmit={(input) => update.mutateAsync(input)}
    >
      {(form) => (
        <>
          <FormField form={form} name="name" label="Name" hint="Lowercase letters, digits and '-'.">
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
          <RulesEditor form={form} direction="inbound" choices={targets} />
          <RulesEditor form={form} direction="outbound" choices={targets} />
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" className="mt-0.5" {...form.register('allowDns')} />
            <span>
              Allow DNS while outbound rules restrict traffic
              <span className="block text-xs text-muted-foreground">
                Lookups to the cluster&apos;s resolver (port 53). Turn off only to cut DNS too.
              </span>
            </span>
          </label>
          <CheckboxList
            form={form}
            name="targetIds"
            legend="Apply to"
            options={options}
            empty="No droplets or apps in this project yet."
          />
          <FormField form={form} name="targetTags" label="Apply to tags" hint={tagsHint(tagsOf(targets))}>
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
        </>
      )}
    </EditDialog>
  );
}
