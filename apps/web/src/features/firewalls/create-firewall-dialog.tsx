import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CreateFirewallInput } from '@uncloud/sdk';
import { CheckboxList } from '../../components/checkbox-list.tsx';
import {
  CreateDialog,
  type FieldFor,
  type ResourceCreateDialogProps,
} from '../../components/create-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import { Input, NativeSelect } from '../../components/ui/input.tsx';
import { splitList } from '../../lib/format.ts';
import { useTRPC } from '../../lib/trpc.ts';

type FirewallForm = {
  name: string;
  protocol: string;
  ports: string;
  sources: string;
  targetIds: string[];
  targetTags: string;
};

/** The form edits one inbound rule; its fields map to `inbound.0.*` of the input. */
const fieldFor: FieldFor<FirewallForm> = (path) => {
  const [head, , leaf] = path.split('.');
  if (head === 'name') return 'name';
  if (head === 'inbound') return leaf === 'protocol' ? 'protocol' : leaf === 'ports' ? 'ports' : 'sources';
  if (head === 'targets') return 'targetTags';
  return undefined;
};

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
  const targets = [
    ...(droplets.data?.items ?? []).map((d) => ({ value: d.id as string, label: `Droplet ${d.name}` })),
    ...(apps.data?.items ?? []).map((a) => ({ value: a.id as string, label: `App ${a.name}` })),
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
          protocol: 'tcp',
          ports: '22',
          sources: '0.0.0.0/0, ::/0',
          targetIds: [],
          targetTags: '',
        } satisfies FirewallForm
      }
      toInput={(f: FirewallForm) => ({
        projectId,
        name: f.name,
        inbound:
          f.sources.trim() === ''
            ? []
            : [{ protocol: f.protocol, ports: f.ports.trim() || 'all', sources: splitList(f.sources) }],
        outbound: [],
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
          <fieldset className="grid gap-3 rounded-md border p-3">
            <legend className="px-1 text-sm font-medium">Allow inbound</legend>
            <div className="grid gap-4 sm:grid-cols-2">
              <FormField form={form} name="protocol" label="Protocol">
                {(p) => (
                  <NativeSelect {...p}>
                    <option value="tcp">TCP</option>
                    <option value="udp">UDP</option>
                    <option value="icmp">ICMP</option>
                  </NativeSelect>
                )}
              </FormField>
              <FormField
                form={form}
                name="ports"
                label="Ports"
                hint='"all", a port, or a range like 8000-9000.'
              >
                {(p) => <Input autoComplete="off" {...p} />}
              </FormField>
            </div>
            <FormField
              form={form}
              name="sources"
              label="Sources"
              hint="Addresses or CIDRs, droplet or app ids, or tag:<name>; leave empty for no inbound rule."
            >
              {(p) => <Input autoComplete="off" spellCheck={false} {...p} />}
            </FormField>
          </fieldset>
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
            hint="Every droplet and app with one of these tags."
          >
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
        </>
      )}
    </CreateDialog>
  );
}
