import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CreateBucketInput } from '@uncloud/sdk';
import { CreateDialog, type ResourceCreateDialogProps } from '../../components/create-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import { Input } from '../../components/ui/input.tsx';
import { useTRPC } from '../../lib/trpc.ts';

type BucketForm = { name: string };

export function CreateBucketDialog({ projectId, open, onOpenChange, trigger }: ResourceCreateDialogProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(
    trpc.buckets.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.buckets.list.pathKey() }),
    }),
  );
  return (
    <CreateDialog
      title="Create a bucket"
      description="S3-compatible object storage. Once it is active, create an access key on its page to use it."
      trigger={trigger}
      open={open}
      onOpenChange={onOpenChange}
      schema={CreateBucketInput}
      defaultValues={{ name: '' } satisfies BucketForm}
      toInput={(f: BucketForm) => ({ projectId, name: f.name })}
      onSubmit={(input) => create.mutateAsync(input)}
      submitLabel="Create bucket"
    >
      {(form) => (
        <FormField
          form={form}
          name="name"
          label="Name"
          hint="Lowercase letters, digits and '-', e.g. assets."
        >
          {(p) => <Input autoComplete="off" {...p} />}
        </FormField>
      )}
    </CreateDialog>
  );
}
