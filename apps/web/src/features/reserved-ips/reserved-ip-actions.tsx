import { useMutation, useQuery } from '@tanstack/react-query';
import { AssignReservedIpInput, DropletId, type ReservedIp } from '@uncloud/sdk';
import { ArrowRightLeftIcon, LinkIcon, UnlinkIcon } from 'lucide-react';
import { z } from 'zod';
import { useProjectId } from '../../app/use-project.ts';
import { ActionFormDialog } from '../../components/action-form-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import type { ActionDialogProps, ResourceAction } from '../../components/resource-actions.tsx';
import { NativeSelect } from '../../components/ui/input.tsx';
import { useTRPC } from '../../lib/trpc.ts';

/** Assign, move to another droplet, unassign: each answers with the action it started. */
export const useReservedIpActions = (): Array<ResourceAction<ReservedIp>> => {
  const projectId = useProjectId();
  const trpc = useTRPC();
  const unassign = useMutation(trpc.reservedIps.unassign.mutationOptions());
  return [
    {
      label: 'Assign',
      icon: <LinkIcon aria-hidden />,
      inRow: true,
      hidden: (r) => r.dropletId !== null,
      dialog: (props) => <AssignDialog {...props} verb="Assign" />,
    },
    {
      label: 'Move',
      icon: <ArrowRightLeftIcon aria-hidden />,
      inRow: true,
      hidden: (r) => r.dropletId === null,
      dialog: (props) => <AssignDialog {...props} verb="Move" />,
    },
    {
      label: 'Unassign',
      icon: <UnlinkIcon aria-hidden />,
      hidden: (r) => r.dropletId === null,
      confirm: (r) => ({
        title: `Unassign ${r.ip}?`,
        description: `${r.dropletName ?? 'The droplet'} stops answering at ${r.ip}; the project keeps the address for the next droplet you assign it to.`,
      }),
      run: (r) => unassign.mutateAsync({ projectId, id: r.id }),
    },
  ];
};

// An empty choice reads as "choose a droplet" rather than as a malformed id.
const AssignForm = AssignReservedIpInput.extend({
  dropletId: z.string().min(1, { message: 'choose a droplet' }).pipe(DropletId),
});

function AssignDialog(props: ActionDialogProps<ReservedIp> & { verb: 'Assign' | 'Move' }) {
  const { row, verb } = props;
  const projectId = useProjectId();
  const trpc = useTRPC();
  const droplets = useQuery(trpc.droplets.list.queryOptions({ projectId, limit: 200 }));
  const assign = useMutation(trpc.reservedIps.assign.mutationOptions());
  // A droplet has one reserved IP at most: those that have one are not offered.
  const candidates = (droplets.data?.items ?? []).filter(
    (d) => d.state !== 'deleting' && d.id !== row.dropletId && d.reservedIp === null,
  );
  return (
    <ActionFormDialog
      {...props}
      verb={verb}
      description={
        verb === 'Move'
          ? `${row.ip} stops reaching ${row.dropletName ?? 'its droplet'} and reaches the droplet you choose; the address stays the same.`
          : `${row.ip} reaches the droplet you choose: SSH and the ports its firewalls allow.`
      }
      schema={AssignForm}
      defaultValues={{ dropletId: '' }}
      start={assign.mutateAsync}
    >
      {(form) => (
        <FormField
          form={form}
          name="dropletId"
          label="Droplet"
          hint={
            droplets.isSuccess && candidates.length === 0
              ? 'No droplet of this project can take it: each droplet has one reserved IP at most.'
              : undefined
          }
        >
          {(p) => (
            <NativeSelect {...p}>
              <option value="">{droplets.isPending ? 'Loading droplets…' : 'Choose a droplet'}</option>
              {candidates.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name} ({d.state})
                </option>
              ))}
            </NativeSelect>
          )}
        </FormField>
      )}
    </ActionFormDialog>
  );
}
