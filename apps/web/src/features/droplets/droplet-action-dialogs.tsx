import { useMutation, useQuery } from '@tanstack/react-query';
import {
  dropletSizes,
  RebuildDropletInput,
  ResizeDropletInput,
  SnapshotDropletInput,
  type Droplet,
} from '@uncloud/sdk';
import { ActionFormDialog } from '../../components/action-form-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import type { ActionDialogProps } from '../../components/resource-actions.tsx';
import { Input, NativeSelect } from '../../components/ui/input.tsx';
import { formatMemory } from '../../lib/format.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { ImageOptions } from './image-options.tsx';

export function ResizeDropletDialog(props: ActionDialogProps<Droplet>) {
  const { row } = props;
  const trpc = useTRPC();
  const sizes = useQuery(
    trpc.sizes.list.queryOptions(undefined, { staleTime: Infinity, placeholderData: [...dropletSizes] }),
  );
  const resize = useMutation(trpc.droplets.resize.mutationOptions());
  // The disk cannot shrink, so smaller disks are refused here with the reason, not by the server.
  const schema = ResizeDropletInput.superRefine((input, ctx) => {
    if (input.size === row.size)
      ctx.addIssue({ code: 'custom', path: ['size'], message: `is already the size of ${row.name}` });
    const target = sizes.data?.find((s) => s.slug === input.size);
    if (target && target.diskGiB < row.diskGiB)
      ctx.addIssue({
        code: 'custom',
        path: ['size'],
        message: `has a ${target.diskGiB} GiB disk; a droplet's disk (${row.diskGiB} GiB) cannot shrink`,
      });
  });
  return (
    <ActionFormDialog
      {...props}
      verb="Resize"
      description="Changes the droplet's CPU and memory. The droplet must be powered off; its disk can grow but never shrink."
      schema={schema}
      defaultValues={{ size: row.size as string }}
      start={resize.mutateAsync}
    >
      {(form) => (
        <FormField
          form={form}
          name="size"
          label="New size"
          hint={`Now ${row.vcpus} vCPU · ${formatMemory(row.memoryMiB)} · ${row.diskGiB} GiB.`}
        >
          {(p) => (
            <NativeSelect {...p}>
              {(sizes.data ?? []).map((s) => (
                <option key={s.slug} value={s.slug}>
                  {s.vcpus} vCPU · {formatMemory(s.memoryMiB)} · {s.diskGiB} GiB ({s.slug})
                </option>
              ))}
            </NativeSelect>
          )}
        </FormField>
      )}
    </ActionFormDialog>
  );
}

/** The source select's value for a snapshot: `snapshot:<id>`; anything else is an image slug. */
const SNAPSHOT_SOURCE = 'snapshot:';

export function RebuildDropletDialog(props: ActionDialogProps<Droplet>) {
  const { row } = props;
  const trpc = useTRPC();
  const rebuild = useMutation(trpc.droplets.rebuild.mutationOptions());
  // The project's ready droplet snapshots, offered beside the images (DigitalOcean's "Rebuild from").
  const snapshots = useQuery(
    trpc.snapshots.list.queryOptions({
      projectId: row.projectId,
      resourceKind: 'droplet',
      state: 'active',
      limit: 200,
    }),
  );
  const fitting = (snapshots.data?.items ?? []).filter((s) => s.sizeGiB <= row.diskGiB);
  return (
    <ActionFormDialog
      {...props}
      verb="Rebuild"
      description="Reinstalls the droplet from an image or a snapshot, on a new disk. Everything on its disk is erased; its id and attached volumes are kept, its address may change."
      schema={RebuildDropletInput}
      defaultValues={{ source: row.image as string, confirmName: '' }}
      toParams={({ source }) =>
        source.startsWith(SNAPSHOT_SOURCE)
          ? { snapshotId: source.slice(SNAPSHOT_SOURCE.length) }
          : { image: source }
      }
      fieldFor={(path) => (path === 'image' || path === 'snapshotId' ? 'source' : undefined)}
      // The disk is erased: the name is typed, so that a slip of the mouse erases nothing.
      check={(f) => ({
        confirmName:
          f.confirmName.trim() === row.name
            ? undefined
            : `Type ${row.name} to confirm that everything on its disk may be erased.`,
      })}
      start={rebuild.mutateAsync}
    >
      {(form) => (
        <>
          <FormField form={form} name="source" label="Rebuild from">
            {(p) => (
              <NativeSelect {...p}>
                <optgroup label="Images">
                  <ImageOptions current={row.image} />
                </optgroup>
                {fitting.length > 0 ? (
                  <optgroup label="Snapshots">
                    {fitting.map((s) => (
                      <option key={s.id} value={`${SNAPSHOT_SOURCE}${s.id}`}>
                        {s.name} (of {s.resourceName}, {s.sizeGiB} GiB)
                      </option>
                    ))}
                  </optgroup>
                ) : null}
              </NativeSelect>
            )}
          </FormField>
          <FormField form={form} name="confirmName" label={`Type ${row.name} to confirm`}>
            {(p) => <Input autoComplete="off" spellCheck={false} className="font-mono" {...p} />}
          </FormField>
        </>
      )}
    </ActionFormDialog>
  );
}

/** What a snapshot does to the droplet's power: nothing, said in the words of its present state. */
const snapshotPowerNote = (row: Droplet) =>
  row.state === 'active'
    ? 'The droplet keeps running.'
    : row.state === 'stopped'
      ? 'The droplet stays powered off.'
      : 'The droplet is neither stopped nor started by it.';

export function SnapshotDropletDialog(props: ActionDialogProps<Droplet>) {
  const { row } = props;
  const trpc = useTRPC();
  const snapshot = useMutation(trpc.droplets.snapshot.mutationOptions());
  return (
    <ActionFormDialog
      {...props}
      verb="Snapshot"
      description={`Saves the droplet's disk as it is now. ${snapshotPowerNote(row)}`}
      schema={SnapshotDropletInput}
      defaultValues={{ name: '' }}
      toParams={(f) => (f.name.trim() ? { name: f.name.trim() } : {})}
      start={snapshot.mutateAsync}
    >
      {(form) => (
        <FormField
          form={form}
          name="name"
          label="Snapshot name (optional)"
          hint={`Lowercase letters, digits and '-'; by default ${row.name} and the time.`}
        >
          {(p) => <Input autoComplete="off" {...p} />}
        </FormField>
      )}
    </ActionFormDialog>
  );
}
