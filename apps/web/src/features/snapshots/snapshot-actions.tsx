import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CreateDropletInput, CreateVolumeInput, dropletSizes, type Snapshot } from '@uncloud/sdk';
import { HardDriveIcon, HistoryIcon, ServerIcon } from 'lucide-react';
import { useNavigate } from 'react-router';
import { useProjectId } from '../../app/use-project.ts';
import { CreateDialog } from '../../components/create-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import type { ActionDialogProps, ResourceAction } from '../../components/resource-actions.tsx';
import { Input, NativeSelect } from '../../components/ui/input.tsx';
import { formatMemory, numberOrUndefined } from '../../lib/format.ts';
import { detailPath } from '../../lib/resource-kinds.ts';
import { useTRPC } from '../../lib/trpc.ts';

const notReady = (s: Snapshot) => (s.state === 'active' ? null : 'Wait until the snapshot is ready');

/**
 * What a snapshot is for: a droplet's puts its droplet back (restore) or starts a new droplet; a
 * volume's starts a new volume. DigitalOcean's snapshot menu, in the same words.
 */
export const useSnapshotActions = (): Array<ResourceAction<Snapshot>> => {
  const projectId = useProjectId();
  const trpc = useTRPC();
  const restore = useMutation(trpc.droplets.restore.mutationOptions());
  return [
    {
      label: 'Restore droplet',
      icon: <HistoryIcon aria-hidden />,
      inRow: true,
      hidden: (s) => s.resourceKind !== 'droplet',
      disabledReason: notReady,
      doing: { verb: 'restore droplets from' },
      confirm: (s) => ({
        title: `Restore ${s.resourceName} to ${s.name}?`,
        description: `The droplet's disk is put back to this snapshot: everything written since is lost. Power the droplet off first; it stays off until you power it on.`,
      }),
      run: (s) => restore.mutateAsync({ projectId, id: s.resourceId as never, snapshotId: s.id }),
    },
    {
      label: 'Create droplet',
      icon: <ServerIcon aria-hidden />,
      hidden: (s) => s.resourceKind !== 'droplet',
      disabledReason: notReady,
      doing: { verb: 'create droplets from' },
      dialog: (props) => <DropletFromSnapshotDialog {...props} />,
    },
    {
      label: 'Create volume',
      icon: <HardDriveIcon aria-hidden />,
      hidden: (s) => s.resourceKind !== 'volume',
      disabledReason: notReady,
      doing: { verb: 'create volumes from' },
      dialog: (props) => <VolumeFromSnapshotDialog {...props} />,
    },
  ];
};

function DropletFromSnapshotDialog({ row, open, onOpenChange }: ActionDialogProps<Snapshot>) {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const sizes = useQuery(
    trpc.sizes.list.queryOptions(undefined, { staleTime: Infinity, placeholderData: [...dropletSizes] }),
  );
  const create = useMutation(
    trpc.droplets.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.droplets.list.pathKey() }),
    }),
  );
  const fitting = (sizes.data ?? []).filter((s) => s.diskGiB >= row.sizeGiB);
  return (
    <CreateDialog
      title={`Create a droplet from ${row.name}`}
      description={`A new droplet whose disk is a copy of ${row.resourceName}'s as it was in this snapshot (${row.sizeGiB} GiB).`}
      open={open}
      onOpenChange={onOpenChange}
      schema={CreateDropletInput}
      defaultValues={{ name: '', size: row.dropletSize ?? fitting[0]?.slug ?? 's-1vcpu-1gb' }}
      toInput={(f: { name: string; size: string }) => ({
        projectId: row.projectId,
        name: f.name,
        size: f.size,
        snapshotId: row.id,
      })}
      onSubmit={async (input) => {
        const droplet = await create.mutateAsync(input);
        await navigate(detailPath(row.projectId, 'droplets', droplet.id));
      }}
      submitLabel="Create droplet"
    >
      {(form) => (
        <>
          <FormField form={form} name="name" label="Name" hint="Lowercase letters, digits and '-'.">
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
          <FormField
            form={form}
            name="size"
            label="Size"
            hint={`Sizes with at least the snapshot's ${row.sizeGiB} GiB disk.`}
          >
            {(p) => (
              <NativeSelect {...p}>
                {fitting.map((s) => (
                  <option key={s.slug} value={s.slug}>
                    {s.vcpus} vCPU · {formatMemory(s.memoryMiB)} · {s.diskGiB} GiB
                  </option>
                ))}
              </NativeSelect>
            )}
          </FormField>
        </>
      )}
    </CreateDialog>
  );
}

function VolumeFromSnapshotDialog({ row, open, onOpenChange }: ActionDialogProps<Snapshot>) {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const create = useMutation(
    trpc.volumes.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.volumes.list.pathKey() }),
    }),
  );
  return (
    <CreateDialog
      title={`Create a volume from ${row.name}`}
      description={`A new volume holding ${row.resourceName}'s data as it was in this snapshot, with its ${row.filesystem ?? ''} filesystem.`}
      open={open}
      onOpenChange={onOpenChange}
      schema={CreateVolumeInput}
      defaultValues={{ name: '', sizeGiB: String(row.sizeGiB) }}
      toInput={(f: { name: string; sizeGiB: string }) => ({
        projectId: row.projectId,
        name: f.name,
        sizeGiB: numberOrUndefined(f.sizeGiB),
        snapshotId: row.id,
      })}
      onSubmit={async (input) => {
        const volume = await create.mutateAsync(input);
        await navigate(detailPath(row.projectId, 'volumes', volume.id));
      }}
      submitLabel="Create volume"
    >
      {(form) => (
        <>
          <FormField form={form} name="name" label="Name" hint="Lowercase letters, digits and '-'.">
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
          <FormField
            form={form}
            name="sizeGiB"
            label="Size (GiB)"
            hint={`At least the snapshot's ${row.sizeGiB} GiB.`}
          >
            {(p) => <Input type="number" inputMode="numeric" min={row.sizeGiB} {...p} />}
          </FormField>
        </>
      )}
    </CreateDialog>
  );
}
