import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ConfigureDatabaseBackupsInput, type Database, type DatabaseBackup } from '@uncloud/sdk';
import { DatabaseBackupIcon, HistoryIcon, SaveIcon } from 'lucide-react';
import { useState } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { CreateDialog } from '../../components/create-dialog.tsx';
import { Time } from '../../components/facts.tsx';
import { FormField } from '../../components/form-field.tsx';
import { EmptyState, ErrorState, LoadingRows } from '../../components/query-states.tsx';
import { Button } from '../../components/ui/button.tsx';
import { Card } from '../../components/ui/card.tsx';
import { Input, NativeSelect } from '../../components/ui/input.tsx';
import { errorMessage } from '../../lib/errors.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { backupSourceFacts } from './backup-source.ts';
import { RestoreDatabaseDialog } from './restore-database-dialog.tsx';

type SettingsForm = { bucketId: string; schedule: string; retentionDays: string };

/** "Completed", "Running", … from the tool's phase. */
export const backupStatus = (b: DatabaseBackup) =>
  b.state === 'error'
    ? 'Failed'
    : b.phase
      ? b.phase.charAt(0).toUpperCase() + b.phase.slice(1)
      : b.state === 'deleting'
        ? 'Deleting'
        : 'Starting';

/** The size, or "Unknown" with why. */
export function BackupSize({ backup }: { backup: DatabaseBackup }) {
  return backup.sizeBytes !== null ? (
    <span>{`${(backup.sizeBytes / 1024 ** 2).toFixed(1)} MiB`}</span>
  ) : (
    <span title={backup.sizeNote ?? undefined}>Unknown</span>
  );
}

/**
 * A database's backups on its page: where, when and how long they are kept; back up now; the list,
 * each restorable into a new database or deleted; and, for PostgreSQL, a restore to a point in time.
 */
export function DatabaseBackupsCard({ database }: { database: Database }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { projectId } = database;
  const backups = useQuery(trpc.databaseBackups.list.queryOptions({ projectId, databaseId: database.id }));
  const buckets = useQuery(trpc.buckets.list.queryOptions({ projectId, state: 'active' }));
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.databaseBackups.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.databases.pathKey() }),
    ]);
  const configure = useMutation(trpc.databases.configureBackups.mutationOptions({ onSettled: refresh }));
  const backUp = useMutation(trpc.databaseBackups.create.mutationOptions({ onSettled: refresh }));
  const remove = useMutation(trpc.databaseBackups.delete.mutationOptions({ onSettled: refresh }));
  const [editing, setEditing] = useState(false);
  const [restoring, setRestoring] = useState<DatabaseBackup | null>(null);
  const [pointInTime, setPointInTime] = useState(false);
  const [deleting, setDeleting] = useState<DatabaseBackup | null>(null);
  const settings = database.backups;
  const canBackUp = settings !== null && database.state === 'active';
  const canPointInTime = database.engine === 'postgres' && Boolean(database.recoverability?.firstPoint);

  return (
    <Card className="grid gap-4 p-5 lg:col-span-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <h2 className="text-base font-semibold">Backups</h2>
          <p className="text-sm text-muted-foreground">
            {settings
              ? `To bucket ${buckets.data?.items.find((b) => b.id === settings.bucketId)?.name ?? settings.bucketId}, ${settings.schedule ? `on schedule ${settings.schedule} (UTC)` : 'on demand only'}, kept ${settings.retentionDays} days.`
              : 'Not backed up: choose a bucket of this project to back up to.'}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <CreateDialog
            title={`Backup settings of ${database.name}`}
            description="Backups go to a bucket of this project, with the bucket's own credentials. The schedule has six fields, seconds first, in UTC; leave it empty to back up on demand only."
            open={editing}
            onOpenChange={setEditing}
            trigger={
              <Button variant="outline">
                <SaveIcon aria-hidden /> {settings ? 'Change settings' : 'Set up backups'}
              </Button>
            }
            schema={ConfigureDatabaseBackupsInput}
            defaultValues={
              {
                bucketId: settings?.bucketId ?? buckets.data?.items[0]?.id ?? '',
                schedule: settings ? (settings.schedule ?? '') : '0 0 3 * * *',
                retentionDays: String(settings?.retentionDays ?? 7),
              } satisfies SettingsForm
            }
            toInput={(f: SettingsForm) => ({
              projectId,
              id: database.id,
              bucketId: f.bucketId === '' ? null : f.bucketId,
              schedule: f.schedule.trim() === '' ? null : f.schedule,
              retentionDays: Number(f.retentionDays),
            })}
            onSubmit={async (input) => {
              await configure.mutateAsync(input);
            }}
            submitLabel="Save"
          >
            {(form) => (
              <>
                <FormField form={form} name="bucketId" label="Bucket" hint="Choose none to stop backing up.">
                  {(p) => (
                    <NativeSelect {...p}>
                      <option value="">None</option>
                      {(buckets.data?.items ?? []).map((b) => (
                        <option key={b.id} value={b.id}>
                          {b.name}
                        </option>
                      ))}
                    </NativeSelect>
                  )}
                </FormField>
                <FormField form={form} name="schedule" label="Schedule" hint="e.g. 0 0 3 * * * is 03:00 UTC daily.">
                  {(p) => <Input autoComplete="off" className="font-mono" {...p} />}
                </FormField>
                <FormField form={form} name="retentionDays" label="Keep for (days)">
                  {(p) => <Input type="number" inputMode="numeric" min={1} max={365} {...p} />}
                </FormField>
              </>
            )}
          </CreateDialog>
          <Button
            disabled={!canBackUp || backUp.isPending}
            title={canBackUp ? undefined : settings ? 'Available once the database is active' : 'Set up backups first'}
            onClick={() => backUp.mutate({ projectId, databaseId: database.id })}
          >
            <DatabaseBackupIcon aria-hidden /> Back up now
          </Button>
          {database.engine === 'postgres' ? (
            <RestoreDatabaseDialog
              projectId={projectId}
              database={database}
              open={pointInTime}
              onOpenChange={setPointInTime}
              trigger={
                <Button
                  variant="outline"
                  disabled={!canPointInTime}
                  title={canPointInTime ? undefined : 'Available once a backup has completed'}
                >
                  <HistoryIcon aria-hidden /> Restore to a point in time
                </Button>
              }
            />
          ) : null}
        </div>
      </div>
      {backUp.isError ? (
        <p role="alert" className="text-sm text-destructive">
          {errorMessage(backUp.error)}
        </p>
      ) : null}
      {backups.isPending ? (
        <LoadingRows rows={2} />
      ) : backups.isError ? (
        <ErrorState error={backups.error} onRetry={() => void backups.refetch()} />
      ) : backups.data.items.length === 0 ? (
        <EmptyState icon={<DatabaseBackupIcon />} title="No backups yet">
          Set up backups to a bucket, then back up now or let the schedule take them. A backup can be restored into a
          new database, even after this one is deleted.
        </EmptyState>
      ) : (
        <table className="w-full text-sm" aria-label="Backups">
          <thead className="text-left text-muted-foreground">
            <tr>
              <th className="py-1 font-medium">Name</th>
              <th className="py-1 font-medium">Status</th>
              <th className="py-1 font-medium">Made of</th>
              <th className="py-1 font-medium">Started</th>
              <th className="py-1 font-medium">Finished</th>
              <th className="py-1 font-medium">Size</th>
              <th className="py-1" />
            </tr>
          </thead>
          <tbody>
            {backups.data.items.map((b) => (
              <tr key={b.id} className="border-t">
                <td className="py-2">
                  {b.name}
                  {b.origin === 'scheduled' ? <span className="text-muted-foreground"> (scheduled)</span> : null}
                </td>
                <td className="py-2" title={b.error ?? undefined}>
                  {backupStatus(b)}
                </td>
                <td className="py-2">{backupSourceFacts(b)}</td>
                <td className="py-2">{b.startedAt ? <Time iso={b.startedAt} /> : '—'}</td>
                <td className="py-2">{b.stoppedAt ? <Time iso={b.stoppedAt} /> : '—'}</td>
                <td className="py-2">
                  <BackupSize backup={b} />
                </td>
                <td className="py-2 text-right whitespace-nowrap">
                  <Button
                    variant="ghost"
                    disabled={b.state !== 'active'}
                    aria-label={`Restore ${b.name}`}
                    onClick={() => setRestoring(b)}
                  >
                    Restore
                  </Button>
                  <Button variant="ghost" aria-label={`Delete ${b.name}`} onClick={() => setDeleting(b)}>
                    Delete
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {restoring ? (
        <RestoreDatabaseDialog
          projectId={projectId}
          backup={restoring}
          database={database}
          open
          onOpenChange={(open) => (open ? undefined : setRestoring(null))}
        />
      ) : null}
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => (open ? undefined : setDeleting(null))}
        title={`Delete backup ${deleting?.name ?? ''}?`}
        description="It can no longer be restored. Its data is removed from the bucket; the backup is gone once that is done."
        confirmLabel="Delete"
        onConfirm={() => remove.mutateAsync({ projectId, id: deleting!.id })}
      />
    </Card>
  );
}
