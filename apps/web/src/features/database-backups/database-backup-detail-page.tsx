import { useParams } from 'react-router';
import { Facts, Time, syncFacts } from '../../components/facts.tsx';
import { ResourceDetailPage } from '../../components/resource-detail-page.tsx';
import { useResourceDetail } from '../../lib/use-resource.ts';
import { backupSourceFacts } from './backup-source.ts';
import { BackupSize, backupStatus } from './database-backups-card.tsx';
import { BackupSource, useDatabaseBackupActions } from './database-backups-page.tsx';

export function DatabaseBackupDetailPage() {
  const { databaseBackupId = '' } = useParams();
  const detail = useResourceDetail('databaseBackups', databaseBackupId);
  const actions = useDatabaseBackupActions();
  return (
    <ResourceDetailPage
      detail={detail}
      subtitle={(b) => `${b.engine} · ${backupStatus(b)}`}
      actions={actions}
      deleteWarning={(b) => `The backup ${b.name} of ${b.databaseName} can no longer be restored, and its data is removed from the bucket.`}
    >
      {(b) => (
        <div className="grid gap-6 lg:grid-cols-2">
          <Facts
            title="Backup"
            facts={[
              ['Of', <BackupSource key="of" backup={b} />],
              ['Made of', backupSourceFacts(b)],
              ['Taken', b.origin === 'scheduled' ? 'On schedule' : 'On demand'],
              ['Status', b.error ? `${backupStatus(b)}: ${b.error}` : backupStatus(b)],
              ['Started', b.startedAt ? <Time key="s" iso={b.startedAt} /> : '—'],
              ['Finished', b.stoppedAt ? <Time key="f" iso={b.stoppedAt} /> : '—'],
              ['Size', <BackupSize key="size" backup={b} />],
              ...(b.beginWal ? ([['WAL', `${b.beginWal} – ${b.endWal ?? '…'}`]] as [string, string][]) : []),
              ...syncFacts(b),
            ]}
          />
        </div>
      )}
    </ResourceDetailPage>
  );
}
