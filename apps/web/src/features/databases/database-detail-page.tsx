import { useParams } from 'react-router';
import { Copyable } from '../../components/copy-button.tsx';
import { type Fact, Facts, syncFacts } from '../../components/facts.tsx';
import { ResourceDetailPage } from '../../components/resource-detail-page.tsx';
import { useResourceDetail } from '../../lib/use-resource.ts';
import { DatabaseBackupsCard } from '../database-backups/database-backups-card.tsx';
import { engineLabel } from './create-database-dialog.tsx';
import { useDatabaseActions } from './database-actions.tsx';
import { connectionText, NodesReady } from './databases-page.tsx';
import { EditDatabaseDialog } from './edit-database-dialog.tsx';

export function DatabaseDetailPage() {
  const { databaseId = '' } = useParams();
  const detail = useResourceDetail('databases', databaseId);
  const actions = useDatabaseActions();
  return (
    <ResourceDetailPage
      detail={detail}
      subtitle={(d) =>
        `${engineLabel(d.engine)} ${d.version} · ${d.size} · ${d.nodes} node${d.nodes === 1 ? '' : 's'}`
      }
      actions={actions}
      extraActions={(d, refusal) => <EditDatabaseDialog database={d} refusal={refusal} />}
      deleteWarning={(d) =>
        `The database ${d.name} and all its data will be destroyed. This cannot be undone.`
      }
    >
      {(d) => (
        <div className="grid gap-6 lg:grid-cols-2">
          {d.warning ? (
            <p
              role="status"
              className="rounded-md border border-amber-500/40 bg-amber-500/5 p-3 text-sm lg:col-span-2"
            >
              {d.warning}
            </p>
          ) : null}
          <Facts
            title="Runtime"
            facts={[
              // What a restored database is doing before it is active (loading its backup).
              ...(d.note ? [['Now', d.note] as Fact] : []),
              ['Nodes', <NodesReady database={d} />],
              ['Primary', d.primary ?? 'Not elected yet'],
              [
                'Connection',
                connectionText(d) ? (
                  <Copyable value={connectionText(d)!} label="Copy connection address" />
                ) : (
                  'Shown once the database is active'
                ),
              ],
              ...syncFacts(d),
            ]}
          />
          <Facts
            title="Settings"
            facts={[
              ['ID', <Copyable value={d.id} label="Copy ID" />],
              ['Engine', `${engineLabel(d.engine)} ${d.version}`],
              ['Node size', d.size],
              ['Nodes', d.nodes],
              ['Storage per node', `${d.storageGiB} GiB`],
              ['Tags', d.tags.length > 0 ? d.tags.join(', ') : 'None'],
            ]}
          />
          <DatabaseBackupsCard database={d} />
        </div>
      )}
    </ResourceDetailPage>
  );
}
