import { useMutation, useQueryClient } from '@tanstack/react-query';
import { UpdateQuotaInput, type Quota } from '@uncloud/sdk';
import type { Refusal } from '../../app/access.ts';
import { CreateDialog } from '../../components/create-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import { refusedProps } from '../../components/refusal-note.tsx';
import { Button } from '../../components/ui/button.tsx';
import { Input } from '../../components/ui/input.tsx';
import { numberOrUndefined } from '../../lib/format.ts';
import { useTRPC } from '../../lib/trpc.ts';

type QuotaForm = {
  droplets: string;
  vcpus: string;
  memoryMiB: string;
  volumeGiB: string;
  apps: string;
  databases: string;
  loadBalancers: string;
};

const fields: Array<{ name: keyof QuotaForm; label: string }> = [
  { name: 'droplets', label: 'Droplets' },
  { name: 'vcpus', label: 'vCPUs' },
  { name: 'memoryMiB', label: 'Memory (MiB)' },
  { name: 'volumeGiB', label: 'Storage: volumes and database disks (GiB)' },
  { name: 'apps', label: 'Apps' },
  { name: 'databases', label: 'Databases' },
  { name: 'loadBalancers', label: 'Load balancers' },
];

/**
 * Administrators change a project's limits (the API refuses anyone else, owners included); the
 * server refuses limits below what is already used.
 */
export function EditQuotaDialog({ quota, refusal }: { quota: Quota; refusal: Refusal | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const update = useMutation(
    trpc.quotas.update.mutationOptions({
      onSuccess: (next) =>
        queryClient.setQueryData(trpc.quotas.get.queryKey({ projectId: quota.projectId }), next),
    }),
  );
  // The server refuses a limit below current use; say so on the field before sending.
  const schema = UpdateQuotaInput.superRefine((input, ctx) => {
    for (const { name, label } of fields) {
      const limit = input[name];
      const used = quota.usage[name];
      if (limit !== undefined && limit < used) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `cannot be below what the project already uses (${used} in use); remove ${label.toLowerCase()} first`,
        });
      }
    }
  });
  const defaults = Object.fromEntries(fields.map((f) => [f.name, String(quota[f.name])])) as QuotaForm;
  return (
    <CreateDialog
      title="Edit limits"
      description="Raise a limit to allow more; a limit below what the project already uses is refused."
      trigger={
        <Button variant="outline" {...refusedProps(refusal)}>
          Edit limits
        </Button>
      }
      schema={schema}
      defaultValues={defaults}
      toInput={(f: QuotaForm) => ({
        projectId: quota.projectId,
        ...Object.fromEntries(fields.map(({ name }) => [name, numberOrUndefined(f[name])])),
      })}
      onSubmit={(input) => update.mutateAsync(input)}
      submitLabel="Save limits"
      pendingLabel="Saving…"
    >
      {(form) => (
        <div className="grid gap-4 sm:grid-cols-2">
          {fields.map((f) => (
            <FormField key={f.name} form={form} name={f.name} label={f.label}>
              {(p) => <Input type="number" inputMode="numeric" min={0} {...p} />}
            </FormField>
          ))}
        </div>
      )}
    </CreateDialog>
  );
}
