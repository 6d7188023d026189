import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CreateLoadBalancerInput } from '@uncloud/sdk';
import { CheckboxList } from '../../components/checkbox-list.tsx';
import {
  CreateDialog,
  type FieldFor,
  type ResourceCreateDialogProps,
} from '../../components/create-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import { Input, NativeSelect } from '../../components/ui/input.tsx';
import { useTRPC } from '../../lib/trpc.ts';

type LoadBalancerForm = {
  name: string;
  entryProtocol: 'tcp' | 'udp' | 'http' | 'https';
  entryPort: string;
  targetPort: string;
  checkProtocol: 'tcp' | 'http';
  checkPath: string;
  dropletIds: string[];
  tag: string;
  stickySessions: boolean;
};

const fields: Record<string, keyof LoadBalancerForm> = {
  name: 'name',
  'forwardingRules.0.entryProtocol': 'entryProtocol',
  'forwardingRules.0.entryPort': 'entryPort',
  'forwardingRules.0.targetPort': 'targetPort',
  'healthCheck.protocol': 'checkProtocol',
  'healthCheck.path': 'checkPath',
  dropletIds: 'dropletIds',
  tag: 'tag',
};
const fieldFor: FieldFor<LoadBalancerForm> = (path) =>
  fields[path] ?? fields[path.split('.')[0] ?? ''] ?? undefined;

const port = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

/** A new load balancer: one forwarding rule, a health check, and droplets by id or by tag. */
export function CreateLoadBalancerDialog({
  projectId,
  open,
  onOpenChange,
  trigger,
}: ResourceCreateDialogProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const droplets = useQuery(trpc.droplets.list.queryOptions({ projectId, limit: 200 }, { enabled: open }));
  const create = useMutation(
    trpc.loadBalancers.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.loadBalancers.list.pathKey() }),
    }),
  );
  const options = (droplets.data?.items ?? []).map((d) => ({ value: d.id, label: `Droplet ${d.name}` }));
  return (
    <CreateDialog
      title="Create a load balancer"
      description="One public address that spreads traffic over droplets, sending only to those that are up."
      trigger={trigger}
      open={open}
      onOpenChange={onOpenChange}
      schema={CreateLoadBalancerInput}
      defaultValues={
        {
          name: '',
          entryProtocol: 'http',
          entryPort: '80',
          targetPort: '80',
          checkProtocol: 'tcp',
          checkPath: '',
          dropletIds: [],
          tag: '',
          stickySessions: false,
        } satisfies LoadBalancerForm
      }
      toInput={(f: LoadBalancerForm) => ({
        projectId,
        name: f.name,
        forwardingRules: [
          { entryProtocol: f.entryProtocol, entryPort: port(f.entryPort), targetPort: port(f.targetPort) },
        ],
        healthCheck: {
          protocol: f.checkProtocol,
          port: port(f.targetPort),
          path: f.checkProtocol === 'http' && f.checkPath.trim() !== '' ? f.checkPath.trim() : null,
        },
        dropletIds: f.dropletIds,
        tag: f.tag.trim() === '' ? null : f.tag.trim(),
        stickySessions: f.stickySessions,
      })}
      fieldFor={fieldFor}
      onSubmit={(input) => create.mutateAsync(input)}
      submitLabel="Create load balancer"
    >
      {(form) => (
        <>
          <FormField form={form} name="name" label="Name" hint="Lowercase letters, digits and '-', e.g. web.">
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
          <div className="grid grid-cols-3 items-end gap-2">
            <FormField form={form} name="entryProtocol" label="Protocol">
              {(p) => (
                <NativeSelect {...p}>
                  <option value="http">HTTP</option>
                  <option value="https">HTTPS</option>
                  <option value="tcp">TCP</option>
                  <option value="udp">UDP</option>
                </NativeSelect>
              )}
            </FormField>
            <FormField form={form} name="entryPort" label="Entry port">
              {(p) => <Input inputMode="numeric" autoComplete="off" {...p} />}
            </FormField>
            <FormField form={form} name="targetPort" label="Droplet port">
              {(p) => <Input inputMode="numeric" autoComplete="off" {...p} />}
            </FormField>
          </div>
          <div className="grid grid-cols-[8rem_1fr] items-end gap-2">
            <FormField form={form} name="checkProtocol" label="Health check">
              {(p) => (
                <NativeSelect {...p}>
                  <option value="tcp">TCP</option>
                  <option value="http">HTTP</option>
                </NativeSelect>
              )}
            </FormField>
            <FormField
              form={form}
              name="checkPath"
              label="Path (HTTP checks)"
              hint="Checked on the droplet port."
            >
              {(p) => <Input autoComplete="off" placeholder="/" {...p} />}
            </FormField>
          </div>
          <CheckboxList
            form={form}
            name="dropletIds"
            legend="Send to droplets"
            options={options}
            empty="No droplets in this project yet; you can send to a tag instead."
          />
          <FormField
            form={form}
            name="tag"
            label="Or send to every droplet with the tag"
            hint="Leave empty when you picked droplets above."
          >
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" {...form.register('stickySessions')} />
            Sticky sessions (a client keeps reaching the same droplet)
          </label>
        </>
      )}
    </CreateDialog>
  );
}
