import type { DatabaseBackup } from '@uncloud/sdk';
import { DatabaseBackupIcon } from 'lucide-react';
import { Link } from 'react-router';
import { Time } from '../../components/facts.tsx';
import { ResourceListPage } from '../../components/resource-list-page.tsx';
import type { ResourceAction } from '../../components/resource-actions.tsx';
import type { Column } from '../../components/resource-table.tsx';
import { detailPath } from '../../lib/resource-kinds.ts';
import { useResourceList } from '../../lib/use-resource.ts';
import { BackUpDialog } from './back-up-dialog.tsx';
import { backupSourceFacts } from './backup-source.ts';
import { BackupSize, backupStatus } from './database-backups-card.tsx';
import { RestoreDatabaseDialog } from './restore-database-dialog.tsx';

/** The database a backup is of, linked (it may since be gone). */
export function BackupSource({ backup }: { backup: DatabaseBackup }) {
  return (
    <Link className="text-primary hover:underline" to={detailPath(backup.projectId, 'databases', backup.databaseId)}>
      {backup.databaseName}
    </Link>
  );
}

/** Restore into a new database: the one thing a backup is for. */
export const useDatabaseBackupActions = (): Array<ResourceAction<DatabaseBackup>> => [
  {
    label: 'Restore to new database',
    inRow: true,
    disabledReason: (b) => (b.state === 'active' ? null : 'Wait until the backup has completed'),
    doing: { verb: 'restore databases from' },
    dialog: ({ row, open, onOpenChange }) => (
      <RestoreDatabaseDialog projectId={row.projectId} backup={row} open={open} onOpenChange={onOpenChange} />
    ),
  },
];

export function DatabaseBackupsPage() {
  const page = useResourceList('databaseBackups');
  const actions = useDatabaseBackupActions();
  const columns: Array<Column<DatabaseBackup>> = [
    { header: 'Of', cell: (b) => <BackupSource backup={b} /> },
    { header: 'Status', cell: backupStatus },
    { header: 'Made of', cell: backupSourceFacts },
    { header: 'Started', cell: (b) => (b.startedAt ? <Time iso={b.startedAt} /> : '—') },
    { header: 'Finished', cell: (b) => (b.stoppedAt ? <Time iso={b.stoppedAt} /> : '—') },
    { header: 'Size', cell: (b) => <BackupSize backup={b} /> },
  ];
  return (
    <ResourceListPage
      page={page}
      description="Backups of the project's databases, in its buckets: restore one into a new database, even after its database is deleted."
      createLabel="Back up a database"
      createDialog={(slot) => <BackUpDialog projectId={page.projectId} {...slot} />}
      columns={columns}
      actions={actions}
      deleteWarning={(b) => `The backup ${b.name} of ${b.databaseName} can no longer be restored, and its data is removed from the bucket.`}
      empty={{
        icon: <DatabaseBackupIcon />,
        title: 'No database backups yet',
        body: "Open a database, choose a bucket in its Backups section, then back up now or on a schedule.",
        action: 'Back up a database',
      }}
    />
  );
}
