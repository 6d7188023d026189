import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CreateReservedIpInput } from '@uncloud/sdk';
import { CreateDialog, type ResourceCreateDialogProps } from '../../components/create-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import { QuotaNotice } from '../../components/quota-notice.tsx';
import { Input, NativeSelect } from '../../components/ui/input.tsx';
import { useTRPC } from '../../lib/trpc.ts';

type ReservedIpForm = { name: string; dropletId: string };

const optional = (text: string) => (text.trim() === '' ? undefined : text.trim());

/** A new reserved IP: the next free address of the pool, assigned to a droplet or kept for later. */
export function CreateReservedIpDialog({
  projectId,
  open,
  onOpenChange,
  trigger,
}: ResourceCreateDialogProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const droplets = useQuery(trpc.droplets.list.queryOptions({ projectId, limit: 200 }, { enabled: open }));
  const create = useMutation(
    trpc.reservedIps.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.reservedIps.list.pathKey() }),
    }),
  );
  const candidates = (droplets.data?.items ?? []).filter(
    (d) => d.state !== 'deleting' && d.reservedIp === null,
  );
  return (
    <CreateDialog
      title="Reserve an IP"
      description="A public address the project keeps: point it at a droplet, and move it to another one without anyone noticing a new address."
      trigger={trigger}
      open={open}
      onOpenChange={onOpenChange}
      schema={CreateReservedIpInput}
      defaultValues={{ name: '', dropletId: '' } satisfies ReservedIpForm}
      toInput={(f: ReservedIpForm) => ({
        projectId,
        name: optional(f.name),
        dropletId: optional(f.dropletId),
      })}
      onSubmit={(input) => create.mutateAsync(input)}
      submitLabel="Reserve IP"
      notice={<QuotaNotice projectId={projectId} limits={['reservedIps']} what="a reserved IP" />}
    >
      {(form) => (
        <>
          <FormField form={form} name="dropletId" label="Assign to" hint="Or leave it unassigned for now.">
            {(p) => (
              <NativeSelect {...p}>
                <option value="">{droplets.isPending ? 'Loading droplets…' : 'No droplet yet'}</option>
                {candidates.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name} ({d.state})
                  </option>
                ))}
              </NativeSelect>
            )}
          </FormField>
          <FormField
            form={form}
            name="name"
            label="Name (optional)"
            hint="Named after its address (ip-203-0-113-7) when left empty."
          >
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
        </>
      )}
    </CreateDialog>
  );
}
