import { useMutation, useQuery } from '@tanstack/react-query';
import { type LoadBalancer, LoadBalancerDropletsInput } from '@uncloud/sdk';
import { MinusCircleIcon, PlusCircleIcon } from 'lucide-react';
import { useProjectId } from '../../app/use-project.ts';
import { ActionFormDialog } from '../../components/action-form-dialog.tsx';
import { CheckboxList } from '../../components/checkbox-list.tsx';
import type { ActionDialogProps, ResourceAction } from '../../components/resource-actions.tsx';
import { useTRPC } from '../../lib/trpc.ts';

/** Put droplets behind a load balancer and take them away: each an action, followed in the tray. */
export const useLoadBalancerActions = (): Array<ResourceAction<LoadBalancer>> => [
  {
    label: 'Add droplets',
    icon: <PlusCircleIcon aria-hidden />,
    // A load balancer of a tag sends to whatever carries the tag: droplets are tagged instead.
    hidden: (lb) => lb.tag !== null,
    dialog: (props) => <DropletsDialog {...props} adding />,
  },
  {
    label: 'Remove droplets',
    icon: <MinusCircleIcon aria-hidden />,
    hidden: (lb) => lb.tag !== null || lb.dropletIds.length === 0,
    dialog: (props) => <DropletsDialog {...props} adding={false} />,
  },
];

type DropletsForm = { dropletIds: string[] };

function DropletsDialog({ adding, ...props }: ActionDialogProps<LoadBalancer> & { adding: boolean }) {
  const projectId = useProjectId();
  const trpc = useTRPC();
  const droplets = useQuery(trpc.droplets.list.queryOptions({ projectId, limit: 200 }));
  const add = useMutation(trpc.loadBalancers.addDroplets.mutationOptions());
  const remove = useMutation(trpc.loadBalancers.removeDroplets.mutationOptions());
  const behind = new Set<string>(props.row.dropletIds);
  const options = (droplets.data?.items ?? [])
    .filter((d) => d.state !== 'deleting' && behind.has(d.id) !== adding)
    .map((d) => ({ value: d.id as string, label: `Droplet ${d.name}` }));
  return (
    <ActionFormDialog
      {...props}
      verb={adding ? 'Add droplets' : 'Remove droplets'}
      description={
        adding
          ? 'It sends to them once they pass its health check.'
          : 'It stops sending to them; the droplets keep running.'
      }
      schema={LoadBalancerDropletsInput}
      defaultValues={{ dropletIds: [] } satisfies DropletsForm}
      start={adding ? add.mutateAsync : remove.mutateAsync}
    >
      {(form) => (
        <CheckboxList
          form={form}
          name="dropletIds"
          legend={adding ? 'Droplets to add' : 'Droplets to remove'}
          options={options}
          empty={adding ? 'Every droplet of the project is behind it already.' : 'No droplet is behind it.'}
        />
      )}
    </ActionFormDialog>
  );
}
