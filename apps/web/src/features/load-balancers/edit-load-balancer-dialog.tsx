import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { UpdateLoadBalancerInput, type LoadBalancer } from '@uncloud/sdk';
import type { Refusal } from '../../app/access.ts';
import { CheckboxList } from '../../components/checkbox-list.tsx';
import { EditDialog } from '../../components/edit-dialog.tsx';
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

type LoadBalancerEditForm = LoadBalancerSettingsForm & {
  name: string;
  dropletIds: string[];
  tag: string;
  stickySessions: boolean;
};

const fieldFor = (path: string): keyof LoadBalancerEditForm | undefined => {
  const head = path.split('.')[0] ?? '';
  if (head === 'name' || head === 'dropletIds' || head === 'tag' || head === 'stickySessions') return head;
  return settingsFieldFor(path);
};

/** Edits a load balancer: its rules, health check, certificate, what it sends to, sticky sessions. */
export function EditLoadBalancerDialog({
  loadBalancer,
  refusal,
}: {
  loadBalancer: LoadBalancer;
  refusal: Refusal | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const droplets = useQuery(
    trpc.droplets.list.queryOptions({ projectId: loadBalancer.projectId, limit: 200 }),
  );
  const update = useMutation(
    trpc.loadBalancers.update.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.loadBalancers.pathKey() }),
    }),
  );
  const options = (droplets.data?.items ?? []).map((d) => ({
    value: d.id as string,
    label: `Droplet ${d.name}`,
  }));
  return (
    <EditDialog
      title={`Edit ${loadBalancer.name}`}
      description="Changes apply within seconds; a new health check judges every target afresh."
      disabled={loadBalancer.state === 'deleting'}
      refusal={refusal}
      schema={UpdateLoadBalancerInput}
      defaultValues={
        {
          name: loadBalancer.name,
          ...settingsDefaults(loadBalancer),
          dropletIds: loadBalancer.dropletIds,
          tag: loadBalancer.tag ?? '',
          stickySessions: loadBalancer.stickySessions,
        } satisfies LoadBalancerEditForm
      }
      toInput={(f: LoadBalancerEditForm) => ({
        projectId: loadBalancer.projectId,
        id: loadBalancer.id,
        name: f.name,
        ...settingsToInput(f),
        dropletIds: f.dropletIds,
        tag: f.tag.trim() === '' ? null : f.tag.trim(),
        stickySessions: f.stickySessions,
      })}
      check={(f: LoadBalancerEditForm) => ({ rules: rulesProblem(f.rules) ?? undefined })}
      fieldFor={fieldFor}
      onSubmit={(input) => update.mutateAsync(input)}
    >
      {(form) => (
        <>
          <FormField form={form} name="name" label="Name" hint="Lowercase letters, digits and '-'.">
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
          <LoadBalancerSettingsFields form={form} editing />
          <CheckboxList
            form={form}
            name="dropletIds"
            legend="Send to droplets"
            options={options}
            empty="No droplets in this project yet."
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
    </EditDialog>
  );
}
