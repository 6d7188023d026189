import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CreateVolumeInput } from '@uncloud/sdk';
import { CreateDialog, type ResourceCreateDialogProps } from '../../components/create-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import { Input, NativeSelect } from '../../components/ui/input.tsx';
import { numberOrUndefined, splitList } from '../../lib/format.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { QuotaNotice } from '../../components/quota-notice.tsx';

type VolumeForm = { name: string; sizeGiB: string; filesystem: string; description: string; tags: string };

export function CreateVolumeDialog({ projectId, open, onOpenChange, trigger }: ResourceCreateDialogProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(
    trpc.volumes.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.volumes.list.pathKey() }),
    }),
  );
  return (
    <CreateDialog
      title="Create a volume"
      description="Block storage that outlives droplets. Attach it to a droplet to mount it."
      trigger={trigger}
      open={open}
      onOpenChange={onOpenChange}
      schema={CreateVolumeInput}
      defaultValues={
        { name: '', sizeGiB: '10', filesystem: 'ext4', description: '', tags: '' } satisfies VolumeForm
      }
      toInput={(f: VolumeForm) => ({
        projectId,
        name: f.name,
        sizeGiB: numberOrUndefined(f.sizeGiB),
        filesystem: f.filesystem,
        description: f.description,
        tags: splitList(f.tags),
      })}
      onSubmit={(input) => create.mutateAsync(input)}
      submitLabel="Create volume"
      notice={<QuotaNotice projectId={projectId} limits={['volumeGiB']} what="a volume" />}
    >
      {(form) => (
        <>
          <FormField
            form={form}
            name="name"
            label="Name"
            hint="Lowercase letters, digits and '-', e.g. data-1."
          >
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
          <div className="grid gap-4 sm:grid-cols-2">
            <FormField form={form} name="sizeGiB" label="Size (GiB)">
              {(p) => <Input type="number" inputMode="numeric" min={1} {...p} />}
            </FormField>
            <FormField form={form} name="filesystem" label="Filesystem">
              {(p) => (
                <NativeSelect {...p}>
                  <option value="ext4">ext4</option>
                  <option value="xfs">xfs</option>
                </NativeSelect>
              )}
            </FormField>
          </div>
          <FormField form={form} name="description" label="Description (optional)">
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
          <FormField form={form} name="tags" label="Tags" hint="Separated by commas or spaces.">
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
        </>
      )}
    </CreateDialog>
  );
}
