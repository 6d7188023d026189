import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CreateLoadBalancerInput } from '@uncloud/sdk';
import { CheckboxList } from '../../components/checkbox-list.tsx';
import {
  CreateDialog,
  type FieldFor,
  type ResourceCreateDialogProps,
} from '../../components/create-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import { Input } from '../../components/ui/input.tsx';
import { useTRPC } from '../../lib/trpc.ts';
import {
  type LoadBalancerSettingsForm,
  LoadBalancerSettingsFields,
  rulesProblem,
  settingsDefaults,
  settingsFieldFor,
  settingsToInput,
} from './load-balancer-settings.tsx';

type LoadBalancerForm = LoadBalancerSettingsForm & {
  name: string;
  dropletIds: string[];
  tag: string;
  stickySessions: boolean;
};

const fieldFor: FieldFor<LoadBalancerForm> = (path) => {
  const head = path.split('.')[0] ?? '';
  if (head === 'name' || head === 'dropletIds' || head === 'tag' || head === 'stickySessions') return head;
  return settingsFieldFor(path);
};

/** A new load balancer: forwarding rules, a health check, and droplets by id or by tag. */
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
      description="One public address that spreads traffic over droplets, sending only to those that pass its health check."
      trigger={trigger}
      open={open}
      onOpenChange={onOpenChange}
      schema={CreateLoadBalancerInput}
      defaultValues={
        {
          name: '',
          ...settingsDefaults(),
          dropletIds: [],
          tag: '',
          stickySessions: false,
        } satisfies LoadBalancerForm
      }
      toInput={(f: LoadBalancerForm) => ({
        projectId,
        name: f.name,
        ...settingsToInput(f),
        dropletIds: f.dropletIds,
        tag: f.tag.trim() === '' ? null : f.tag.trim(),
        stickySessions: f.stickySessions,
      })}
      check={(f: LoadBalancerForm) => ({ rules: rulesProblem(f.rules) ?? undefined })}
      fieldFor={fieldFor}
      onSubmit={(input) => create.mutateAsync(input)}
      submitLabel="Create load balancer"
    >
      {(form) => (
        <>
          <FormField form={form} name="name" label="Name" hint="Lowercase letters, digits and '-', e.g. web.">
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
          <LoadBalancerSettingsFields form={form} editing={false} />
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
