import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CreateFirewallInput } from '@uncloud/sdk';
import { CheckboxList } from '../../components/checkbox-list.tsx';
import {
  CreateDialog,
  type FieldFor,
  type ResourceCreateDialogProps,
} from '../../components/create-dialog.tsx';
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
  type EndpointChoices,
  type RulesForm,
} from './firewall-rules-editor.tsx';

type FirewallForm = RulesForm & {
  name: string;
  targetIds: string[];
  targetTags: string;
};

const rulePaths = ruleFieldFor<FirewallForm>();
const fieldFor: FieldFor<FirewallForm> = (path) => {
  const head = path.split('.')[0];
  if (head === 'name') return 'name';
  if (head === 'targets') return 'targetTags';
  return rulePaths(path);
};

/** A new firewall with any number of inbound and outbound rules (SSH from anywhere to start with). */
export function CreateFirewallDialog({ projectId, open, onOpenChange, trigger }: ResourceCreateDialogProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const droplets = useQuery(trpc.droplets.list.queryOptions({ projectId, limit: 200 }, { enabled: open }));
  const apps = useQuery(trpc.apps.list.queryOptions({ projectId, limit: 200 }, { enabled: open }));
  const create = useMutation(
    trpc.firewalls.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.firewalls.list.pathKey() }),
    }),
  );
  const names = new Map<string, string>([
    ...(droplets.data?.items ?? []).map((d) => [d.id as string, `droplet ${d.name}`] as const),
    ...(apps.data?.items ?? []).map((a) => [a.id as string, `app ${a.name}`] as const),
  ]);
  const choices: EndpointChoices = {
    droplets: droplets.data?.items ?? [],
    apps: apps.data?.items ?? [],
    name: (e) => (e.startsWith('tag:') ? `tag ${e.slice(4)}` : (names.get(e) ?? e)),
  };
  const targets = [
    ...choices.droplets.map((d) => ({ value: d.id, label: `Droplet ${d.name}` })),
    ...choices.apps.map((a) => ({ value: a.id, label: `App ${a.name}` })),
  ];
  return (
    <CreateDialog
      title="Create a firewall"
      description="Once a firewall applies to a droplet or app, only the traffic its rules allow reaches it."
      trigger={trigger}
      open={open}
      onOpenChange={onOpenChange}
      schema={CreateFirewallInput}
      defaultValues={
        {
          name: '',
          inbound: [{ protocol: 'tcp', ports: '22', endpoints: '0.0.0.0/0, ::/0' }],
          outbound: [],
          targetIds: [],
          targetTags: '',
        } satisfies FirewallForm
      }
      toInput={(f: FirewallForm) => ({
        projectId,
        name: f.name,
        ...rulesInput(f),
        targets: [...f.targetIds, ...splitList(f.targetTags).map((t) => `tag:${t}`)],
      })}
      fieldFor={fieldFor}
      onSubmit={(input) => create.mutateAsync(input)}
      submitLabel="Create firewall"
    >
      {(form) => (
        <>
          <FormField form={form} name="name" label="Name" hint="Lowercase letters, digits and '-', e.g. web.">
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
          <RulesEditor form={form} direction="inbound" choices={choices} />
          <RulesEditor form={form} direction="outbound" choices={choices} />
          <CheckboxList
            form={form}
            name="targetIds"
            legend="Apply to"
            options={targets}
            empty="No droplets or apps in this project yet; you can target a tag instead."
          />
          <FormField
            form={form}
            name="targetTags"
            label="Apply to tags (optional)"
            hint={tagsHint(tagsOf(choices))}
          >
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
        </>
      )}
    </CreateDialog>
  );
}
