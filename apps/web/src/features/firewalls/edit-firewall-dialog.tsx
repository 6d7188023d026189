import { useMutation, useQueryClient } from '@tanstack/react-query';
import { UpdateFirewallInput, type Firewall } from '@uncloud/sdk';
import { PlusIcon, Trash2Icon } from 'lucide-react';
import { useFieldArray, type UseFormReturn } from 'react-hook-form';
import type { Refusal } from '../../app/access.ts';
import { CheckboxList } from '../../components/checkbox-list.tsx';
import type { FieldFor } from '../../components/create-dialog.tsx';
import { EditDialog } from '../../components/edit-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import { Button } from '../../components/ui/button.tsx';
import { Input, NativeSelect } from '../../components/ui/input.tsx';
import { splitList } from '../../lib/format.ts';
import { useTRPC } from '../../lib/trpc.ts';
import type { useTargetNames } from './use-target-names.ts';

type RuleForm = { protocol: string; ports: string; endpoints: string };
type FirewallEditForm = {
  name: string;
  inbound: RuleForm[];
  outbound: RuleForm[];
  targetIds: string[];
  targetTags: string;
  allowDns: boolean;
};
type Direction = 'inbound' | 'outbound';

/**
 * Input paths → form fields: a rule's `sources.3` or `destinations.0` is its endpoints box, an
 * issue about the rule itself (icmp with ports) lands on its ports, targets on the tags box.
 */
const fieldFor: FieldFor<FirewallEditForm> = (path) => {
  const [head, index, leaf] = path.split('.');
  if (head === 'name') return 'name';
  if ((head === 'inbound' || head === 'outbound') && index !== undefined) {
    if (leaf === 'protocol') return `${head}.${Number(index)}.protocol`;
    if (leaf === 'sources' || leaf === 'destinations') return `${head}.${Number(index)}.endpoints`;
    return `${head}.${Number(index)}.ports`;
  }
  if (head === 'targets') return 'targetTags';
  return undefined;
};

const toRuleForm = (r: { protocol: string; ports: string }, endpoints: string[]): RuleForm => ({
  protocol: r.protocol,
  ports: r.ports,
  endpoints: endpoints.join(', '),
});

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
        inbound: f.inbound.map((r) => ({
          protocol: r.protocol,
          ports: r.ports.trim() || 'all',
          sources: splitList(r.endpoints),
        })),
        outbound: f.outbound.map((r) => ({
          protocol: r.protocol,
          ports: r.ports.trim() || 'all',
          destinations: splitList(r.endpoints),
        })),
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
          <RulesEditor form={form} direction="inbound" />
          <RulesEditor form={form} direction="outbound" />
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
          <FormField
            form={form}
            name="targetTags"
            label="Apply to tags"
            hint="Every droplet and app with one of these tags."
          >
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
        </>
      )}
    </EditDialog>
  );
}

function RulesEditor({
  form,
  direction,
}: {
  form: UseFormReturn<FirewallEditForm, unknown, unknown>;
  direction: Direction;
}) {
  const rules = useFieldArray({ control: form.control, name: direction });
  const inbound = direction === 'inbound';
  return (
    <fieldset className="grid gap-3 rounded-md border p-3">
      <legend className="px-1 text-sm font-medium">{inbound ? 'Inbound rules' : 'Outbound rules'}</legend>
      {rules.fields.length === 0 ? (
        <p className="text-xs text-muted-foreground">
          {inbound
            ? 'No inbound rules: nothing can reach the targets.'
            : 'No outbound rules: the targets may reach anything.'}
        </p>
      ) : null}
      {rules.fields.map((field, i) => (
        <div
          key={field.id}
          role="group"
          aria-label={`${inbound ? 'Inbound' : 'Outbound'} rule ${i + 1}`}
          className="grid gap-2 border-b pb-3 last:border-0 last:pb-0"
        >
          <div className="grid grid-cols-[7rem_1fr_auto] items-end gap-2">
            <FormField form={form} name={`${direction}.${i}.protocol`} label="Protocol">
              {(p) => (
                <NativeSelect {...p}>
                  <option value="tcp">TCP</option>
                  <option value="udp">UDP</option>
                  <option value="icmp">ICMP</option>
                </NativeSelect>
              )}
            </FormField>
            <FormField form={form} name={`${direction}.${i}.ports`} label="Ports">
              {(p) => <Input autoComplete="off" placeholder="all" {...p} />}
            </FormField>
            <Button
              variant="ghost"
              size="icon"
              aria-label={`Remove ${direction} rule ${i + 1}`}
              onClick={() => rules.remove(i)}
            >
              <Trash2Icon />
            </Button>
          </div>
          <FormField
            form={form}
            name={`${direction}.${i}.endpoints`}
            label={inbound ? 'Sources' : 'Destinations'}
            hint="Addresses or CIDRs, droplet or app ids, or tag:<name>."
          >
            {(p) => <Input autoComplete="off" spellCheck={false} {...p} />}
          </FormField>
        </div>
      ))}
      <Button
        variant="outline"
        size="sm"
        className="justify-self-start"
        onClick={() =>
          rules.append({
            protocol: 'tcp',
            ports: inbound ? '443' : 'all',
            endpoints: inbound ? '0.0.0.0/0, ::/0' : '0.0.0.0/0',
          })
        }
      >
        <PlusIcon aria-hidden /> Add {direction} rule
      </Button>
    </fieldset>
  );
}
