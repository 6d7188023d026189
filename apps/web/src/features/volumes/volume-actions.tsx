import { useMutation, useQuery } from '@tanstack/react-query';
import { AttachVolumeInput, DropletId, ResizeVolumeInput, type Volume } from '@uncloud/sdk';
import { z } from 'zod';
import { LinkIcon, ScalingIcon, UnlinkIcon } from 'lucide-react';
import { useProjectId } from '../../app/use-project.ts';
import { ActionFormDialog } from '../../components/action-form-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import type { ActionDialogProps, ResourceAction } from '../../components/resource-actions.tsx';
import { Input, NativeSelect } from '../../components/ui/input.tsx';
import { numberOrUndefined } from '../../lib/format.ts';
import { useTRPC } from '../../lib/trpc.ts';

/** Attach, detach and grow, each answering with the action it started. */
export const useVolumeActions = (): Array<ResourceAction<Volume>> => {
  const projectId = useProjectId();
  const trpc = useTRPC();
  const detach = useMutation(trpc.volumes.detach.mutationOptions());
  return [
    {
      label: 'Attach',
      icon: <LinkIcon aria-hidden />,
      inRow: true,
      hidden: (v) => v.dropletId !== null,
      dialog: (props) => <AttachVolumeDialog {...props} />,
    },
    {
      label: 'Detach',
      icon: <UnlinkIcon aria-hidden />,
      inRow: true,
      hidden: (v) => v.dropletId === null,
      confirm: (v) => ({
        title: `Detach ${v.name}?`,
        description: `The droplet loses access to ${v.name} at once; unmount it there first so no writes are lost. The data on the volume is kept.`,
      }),
      run: (v) => detach.mutateAsync({ projectId, id: v.id }),
    },
    {
      label: 'Resize',
      icon: <ScalingIcon aria-hidden />,
      dialog: (props) => <ResizeVolumeDialog {...props} />,
    },
  ];
};

// An empty choice reads as "choose a droplet" rather than as a malformed id.
const AttachForm = AttachVolumeInput.extend({
  dropletId: z.string().min(1, { message: 'choose a droplet' }).pipe(DropletId),
});

function AttachVolumeDialog(props: ActionDialogProps<Volume>) {
  const projectId = useProjectId();
  const trpc = useTRPC();
  const droplets = useQuery(trpc.droplets.list.queryOptions({ projectId, limit: 200 }));
  const attach = useMutation(trpc.volumes.attach.mutationOptions());
  const candidates = (droplets.data?.items ?? []).filter((d) => d.state !== 'deleting');
  return (
    <ActionFormDialog
      {...props}
      verb="Attach"
      description="The volume appears as a disk on the droplet; mount it there to use it. A volume is attached to one droplet at a time."
      schema={AttachForm}
      defaultValues={{ dropletId: '' }}
      start={attach.mutateAsync}
    >
      {(form) => (
        <FormField
          form={form}
          name="dropletId"
          label="Droplet"
          hint={
            droplets.isSuccess && candidates.length === 0
              ? 'This project has no droplets yet: create one first.'
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

function ResizeVolumeDialog(props: ActionDialogProps<Volume>) {
  const { row } = props;
  const trpc = useTRPC();
  const resize = useMutation(trpc.volumes.resize.mutationOptions());
  const schema = ResizeVolumeInput.refine((input) => input.sizeGiB > row.sizeGiB, {
    message: `must be more than the current ${row.sizeGiB} GiB: volumes grow, never shrink`,
    path: ['sizeGiB'],
  });
  return (
    <ActionFormDialog
      {...props}
      verb="Resize"
      description="Grows the volume; the filesystem on it grows with it. Volumes cannot shrink."
      schema={schema}
      defaultValues={{ sizeGiB: String(row.sizeGiB * 2) }}
      toParams={(f) => ({ sizeGiB: numberOrUndefined(f.sizeGiB) })}
      start={resize.mutateAsync}
    >
      {(form) => (
        <FormField form={form} name="sizeGiB" label="New size (GiB)" hint={`Now ${row.sizeGiB} GiB.`}>
          {(p) => <Input type="number" inputMode="numeric" min={row.sizeGiB + 1} {...p} />}
        </FormField>
      )}
    </ActionFormDialog>
  );
}
