import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type Database,
  type DatabaseBackup,
  RestoreDatabaseInput,
  databaseEngines,
  databaseSizes,
} from '@uncloud/sdk';
import type * as React from 'react';
import { useNavigate } from 'react-router';
import { CreateDialog } from '../../components/create-dialog.tsx';
import { FormField } from '../../components/form-field.tsx';
import { Input, NativeSelect } from '../../components/ui/input.tsx';
import { formatMemory, numberOrUndefined } from '../../lib/format.ts';
import { detailPath } from '../../lib/resource-kinds.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { backupEngineVersion } from './backup-source.ts';
import { engineLabel } from '../databases/create-database-dialog.tsx';
import { nodesAllowed, nodesControl, nodesHint } from '../databases/nodes-field.tsx';

type RestoreForm = { name: string; size: string; nodes: string; targetTime: string };

/** `2026-12-02T10:00` (a datetime-local value, in the browser's zone) from an ISO time. */
const localValue = (iso: string) => {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
};
const isoOf = (local: string) => (local ? new Date(local).toISOString() : undefined);

/**
 * A new database from a backup (`backup`), or from a PostgreSQL database's backups at a point in
 * time (`database`, whose recoverability window the time must fall in).
 */
export function RestoreDatabaseDialog({
  projectId,
  backup,
  database,
  open,
  onOpenChange,
  trigger,
}: {
  projectId: string;
  backup?: DatabaseBackup;
  database?: Database;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  trigger?: React.ReactNode;
}) {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const options = useQuery(
    trpc.databaseOptions.list.queryOptions(undefined, {
      staleTime: Infinity,
      placeholderData: { engines: databaseEngines, sizes: databaseSizes },
    }),
  );
  const restore = useMutation(
    trpc.databases.restore.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.databases.list.pathKey() }),
    }),
  );
  const pointInTime = !backup && database !== undefined;
  const window = database?.recoverability;
  const source = backup ? `backup ${backup.name} of ${backup.databaseName}` : `${database?.name ?? ''}`;
  const engine = backup?.source?.engine ?? backup?.engine ?? database?.engine ?? 'postgres';
  // As many nodes as the backed-up database ran (what the API defaults to), within what the engine runs.
  const nodes = Math.min(backup?.source?.nodes ?? database?.nodes ?? 1, nodesAllowed(engine));
  return (
    <CreateDialog
      title={pointInTime ? `Restore ${source} to a point in time` : `Restore ${source}`}
      description={
        pointInTime
          ? `A new database holding ${source}'s data as it was at the time you choose (your browser's time zone), from its backups and archived WAL.`
          : `A new database holding the data of this backup, taken ${backup?.stoppedAt ? new Date(backup.stoppedAt).toLocaleString() : ''}. The backed-up database is not changed.`
      }
      open={open}
      onOpenChange={onOpenChange}
      trigger={trigger}
      schema={RestoreDatabaseInput}
      defaultValues={
        {
          name: '',
          size: backup?.source?.size ?? database?.size ?? '',
          nodes: String(nodes),
          targetTime: window?.lastBackup ? localValue(window.lastBackup) : '',
        } satisfies RestoreForm
      }
      toInput={(f: RestoreForm) => ({
        projectId,
        name: f.name,
        ...(f.size ? { size: f.size } : {}),
        nodes: numberOrUndefined(f.nodes),
        ...(backup ? { backupId: backup.id } : { databaseId: database?.id, targetTime: isoOf(f.targetTime) }),
      })}
      onSubmit={async (input) => {
        const created = await restore.mutateAsync(input);
        await navigate(detailPath(projectId, 'databases', created.id));
      }}
      submitLabel="Restore to new database"
    >
      {(form) => (
        <>
          <FormField
            form={form}
            name="name"
            label="New database name"
            hint="Lowercase letters, digits and '-'."
          >
            {(p) => <Input autoComplete="off" {...p} />}
          </FormField>
          <FormField
            form={form}
            name="size"
            label="Size"
            hint={
              backup?.source
                ? `Defaults to the size ${backup.source.name} had when backed up; it restores as ${backupEngineVersion(backup)}.`
                : database
                  ? `Defaults to ${database.name}'s size.`
                  : 'The backed-up database is gone: choose a size.'
            }
          >
            {(p) => (
              <NativeSelect {...p}>
                {database || backup?.source ? null : <option value="">Choose a size</option>}
                {(options.data?.sizes ?? []).map((s) => (
                  <option key={s.slug} value={s.slug}>
                    {s.vcpus} vCPU · {formatMemory(s.memoryMiB)} ({s.slug})
                  </option>
                ))}
              </NativeSelect>
            )}
          </FormField>
          <FormField form={form} name="nodes" label="Nodes" hint={nodesHint(engine, engineLabel(engine))}>
            {(p) => nodesControl(engine, p)}
          </FormField>
          {pointInTime ? (
            <FormField
              form={form}
              name="targetTime"
              label="Point in time"
              hint={
                window?.firstPoint
                  ? `From ${new Date(window.firstPoint).toLocaleString()} to now.`
                  : 'Available once a backup has completed.'
              }
            >
              {(p) => <Input type="datetime-local" step={1} {...p} />}
            </FormField>
          ) : null}
        </>
      )}
    </CreateDialog>
  );
}
