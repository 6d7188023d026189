import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ResourceName } from '@uncloud/sdk';
import { z } from 'zod';
import { CreateDialog, type ResourceCreateDialogProps } from '../../components/create-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import { Input, NativeSelect } from '../../components/ui/input.tsx';
import { useTRPC } from '../../lib/trpc.ts';

// `droplet:<id>` or `volume:<id>`: what to snapshot, from one select.
const TakeSnapshotForm = z.object({
  source: z.string().regex(/^(droplet|volume):/, { message: 'choose a droplet or a volume' }),
  name: ResourceName.optional(),
});
type Form = { source: string; name: string };

/**
 * Takes a snapshot of a droplet (its root disk, through KubeVirt) or a volume (a CSI snapshot):
 * the page's create dialog, since snapshots are made from what they copy.
 */
export function TakeSnapshotDialog({ projectId, open, onOpenChange, trigger }: ResourceCreateDialogProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const droplets = useQuery(trpc.droplets.list.queryOptions({ projectId, limit: 200 }, { enabled: open }));
  const volumes = useQuery(trpc.volumes.list.queryOptions({ projectId, limit: 200 }, { enabled: open }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.snapshots.list.pathKey() });
  const ofDroplet = useMutation(trpc.droplets.snapshot.mutationOptions({ onSuccess: refresh }));
  const ofVolume = useMutation(trpc.volumes.snapshot.mutationOptions({ onSuccess: refresh }));
  const candidates = [
    ...(droplets.data?.items ?? [])
      .filter((d) => d.state === 'active' || d.state === 'stopped')
      .map((d) => ({ value: `droplet:${d.id}`, label: `Droplet ${d.name}` })),
    ...(volumes.data?.items ?? [])
      .filter((v) => v.state !== 'deleting')
      .map((v) => ({ value: `volume:${v.id}`, label: `Volume ${v.name}` })),
  ];
  return (
    <CreateDialog
      title="Take a snapshot"
      description="A copy of a droplet's disk or of a volume as it is now. Droplets keep running; restore or create new droplets and volumes from it later."
      trigger={trigger}
      open={open}
      onOpenChange={onOpenChange}
      schema={TakeSnapshotForm}
      defaultValues={{ source: '', name: '' } satisfies Form}
      toInput={(f: Form) => ({ source: f.source, ...(f.name.trim() ? { name: f.name.trim() } : {}) })}
      onSubmit={async ({ source, name }) => {
        const [kind, id = ''] = source.split(':');
        if (kind === 'droplet') await ofDroplet.mutateAsync({ projectId, id: id as never, name });
        else await ofVolume.mutateAsync({ projectId, id: id as never, name });
      }}
      submitLabel="Take snapshot"
    >
      {(form) => (
        <>
          <FormField
            form={form}
            name="source"
            label="Of"
            hint={
              droplets.isSuccess && volumes.isSuccess && candidates.length === 0
                ? 'This project has no running or stopped droplet and no volume to snapshot.'
                : undefined
            }
          >
            {(p) => (
              <NativeSelect {...p}>
                <option value="">Choose a droplet or a volume</option>
                {candidates.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </NativeSelect>
            )}
          </FormField>
          <FormField form={form} name="name" label="Name (optional)" hint="By default its name and the time.">
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
        </>
      )}
    </CreateDialog>
  );
}
