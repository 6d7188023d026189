import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CreateDatabaseBackupInput } from '@uncloud/sdk';
import { CreateDialog } from '../../components/create-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import type { CreateDialogSlot } from '../../components/resource-list-page.tsx';
import { NativeSelect } from '../../components/ui/input.tsx';
import { useTRPC } from '../../lib/trpc.ts';

type BackUpForm = { databaseId: string };

/** Back up now: one of the project's databases whose backups are set up. */
export function BackUpDialog({ projectId, ...slot }: CreateDialogSlot & { projectId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const databases = useQuery(trpc.databases.list.queryOptions({ projectId, limit: 200 }));
  const ready = (databases.data?.items ?? []).filter((d) => d.backups !== null);
  const create = useMutation(
    trpc.databaseBackups.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.databaseBackups.pathKey() }),
    }),
  );
  return (
    <CreateDialog
      title="Back up a database"
      description="Backs the database up now, to the bucket its backup settings name."
      {...slot}
      schema={CreateDatabaseBackupInput}
      defaultValues={{ databaseId: ready[0]?.id ?? '' } satisfies BackUpForm}
      toInput={(f: BackUpForm) => ({ projectId, databaseId: f.databaseId })}
      onSubmit={async (input) => {
        await create.mutateAsync(input);
      }}
      submitLabel="Back up now"
    >
      {(form) => (
        <FormField
          form={form}
          name="databaseId"
          label="Database"
          hint="Only databases with backups set up (on their page) are listed."
        >
          {(p) => (
            <NativeSelect {...p}>
              {ready.length === 0 ? <option value="">No database has backups set up</option> : null}
              {ready.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </NativeSelect>
          )}
        </FormField>
      )}
    </CreateDialog>
  );
}
