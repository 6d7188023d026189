import { useMutation, useQuery } from '@tanstack/react-query';
import { databaseEngines, databaseSizes, ResizeDatabaseInput, type Database } from '@uncloud/sdk';
import { KeyRoundIcon, ScalingIcon, ShieldQuestionIcon } from 'lucide-react';
import { useProjectId } from '../../app/use-project.ts';
import { ActionFormDialog } from '../../components/action-form-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import type { ActionDialogProps, ResourceAction } from '../../components/resource-actions.tsx';
import { Input, NativeSelect } from '../../components/ui/input.tsx';
import { formatMemory, numberOrUndefined } from '../../lib/format.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { engineLabel } from './create-database-dialog.tsx';
import { CredentialsDialog } from './credentials-dialog.tsx';
import { nodesAllowed, nodesControl, nodesHint } from './nodes-field.tsx';

const notRunning = (d: Database) => (d.state === 'active' ? null : 'Available once the database is active');

/** Resize and password reset (actions), and the connection details with the password. */
export const useDatabaseActions = (): Array<ResourceAction<Database>> => {
  const projectId = useProjectId();
  const trpc = useTRPC();
  const resetPassword = useMutation(trpc.databases.resetPassword.mutationOptions());
  return [
    {
      label: 'Show credentials',
      icon: <ShieldQuestionIcon aria-hidden />,
      inRow: true,
      doing: { verb: 'see', object: 'database credentials', read: true },
      disabledReason: notRunning,
      dialog: ({ row, open, onOpenChange }) => (
        <CredentialsDialog database={row} open={open} onOpenChange={onOpenChange} />
      ),
    },
    {
      label: 'Resize',
      icon: <ScalingIcon aria-hidden />,
      dialog: (props) => <ResizeDatabaseDialog {...props} />,
    },
    {
      label: 'Reset password',
      icon: <KeyRoundIcon aria-hidden />,
      doing: { verb: 'reset', object: 'database passwords' },
      disabledReason: notRunning,
      confirm: (d) => ({
        title: `Reset the password of ${d.name}?`,
        description:
          'A new password replaces the current one; apps still using the old one are refused until they are given the new one (Show credentials).',
      }),
      run: (d) => resetPassword.mutateAsync({ projectId, id: d.id }),
    },
  ];
};

type ResizeForm = { size: string; nodes: string; storageGiB: string };

function ResizeDatabaseDialog(props: ActionDialogProps<Database>) {
  const { row } = props;
  const trpc = useTRPC();
  const options = useQuery(
    trpc.databaseOptions.list.queryOptions(undefined, {
      staleTime: Infinity,
      placeholderData: { engines: databaseEngines, sizes: databaseSizes },
    }),
  );
  const resize = useMutation(trpc.databases.resize.mutationOptions());
  const schema = ResizeDatabaseInput.superRefine((input, ctx) => {
    if (input.storageGiB !== undefined && input.storageGiB < row.storageGiB)
      ctx.addIssue({
        code: 'custom',
        path: ['storageGiB'],
        message: `must be at least the current ${row.storageGiB} GiB: storage only grows`,
      });
  });
  return (
    <ActionFormDialog
      {...props}
      verb="Resize"
      description="Changes the size of each node, the number of nodes, or the storage per node. Nodes are replaced one at a time; the primary switches over once."
      schema={schema}
      defaultValues={
        {
          size: row.size as string,
          // A database stored with more nodes than its engine runs is offered what it runs.
          nodes: String(Math.min(row.nodes, nodesAllowed(row.engine))),
          storageGiB: String(row.storageGiB),
        } satisfies ResizeForm
      }
      // Only what changed is sent; unchanged fields mean "keep".
      toParams={(f: ResizeForm) => {
        const nodes = numberOrUndefined(f.nodes);
        const storage = numberOrUndefined(f.storageGiB);
        return {
          ...(f.size !== row.size ? { size: f.size } : {}),
          ...(nodes !== row.nodes ? { nodes } : {}),
          ...(storage !== row.storageGiB ? { storageGiB: storage } : {}),
        };
      }}
      start={resize.mutateAsync}
    >
      {(form) => (
        <>
          <FormField form={form} name="size" label="Node size">
            {(p) => (
              <NativeSelect {...p}>
                {(options.data?.sizes ?? []).map((s) => (
                  <option key={s.slug} value={s.slug}>
                    {s.vcpus} vCPU · {formatMemory(s.memoryMiB)} ({s.slug})
                  </option>
                ))}
              </NativeSelect>
            )}
          </FormField>
          <div className="grid gap-4 sm:grid-cols-2">
            <FormField
              form={form}
              name="nodes"
              label="Nodes"
              hint={nodesHint(row.engine, engineLabel(row.engine))}
            >
              {(p) => nodesControl(row.engine, p)}
            </FormField>
            <FormField form={form} name="storageGiB" label="Storage per node (GiB)" hint="Grows only.">
              {(p) => <Input type="number" inputMode="numeric" min={row.storageGiB} {...p} />}
            </FormField>
          </div>
        </>
      )}
    </ActionFormDialog>
  );
}
