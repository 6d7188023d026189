import type { Database } from '@uncloud/sdk';
import { DatabaseIcon } from 'lucide-react';
import { Time } from '../../components/facts.tsx';
import { ResourceListPage } from '../../components/resource-list-page.tsx';
import type { Column } from '../../components/resource-table.tsx';
import { useResourceList } from '../../lib/use-resource.ts';
import { CreateDatabaseDialog, engineLabel } from './create-database-dialog.tsx';
import { useDatabaseActions } from './database-actions.tsx';

export const connectionText = (d: Database) =>
  d.connection
    ? `${d.connection.user}@${d.connection.host}:${d.connection.port}/${d.connection.database}`
    : null;

export function NodesReady({ database: d }: { database: Database }) {
  return (
    <span aria-label={`${d.readyNodes ?? 0} of ${d.nodes} nodes ready`}>
      {d.readyNodes ?? 0}/{d.nodes} ready
    </span>
  );
}

const columns: Array<Column<Database>> = [
  { header: 'Engine', sort: 'engine', cell: (d) => `${engineLabel(d.engine)} ${d.version}` },
  { header: 'Nodes', sort: 'nodes', cell: (d) => <NodesReady database={d} /> },
  { header: 'Size', sort: 'size', cell: (d) => `${d.size} · ${d.storageGiB} GiB` },
  {
    header: 'Connection',
    cell: (d) => <span className="font-mono text-xs">{connectionText(d) ?? 'Once active'}</span>,
  },
  { header: 'Created', cell: (d) => <Time iso={d.createdAt} /> },
];

export function DatabasesPage() {
  const page = useResourceList('databases');
  const actions = useDatabaseActions();
  return (
    <ResourceListPage
      page={page}
      description="Managed PostgreSQL, MySQL and Valkey, with connection details once they are running."
      createLabel="Create database"
      createDialog={(slot) => <CreateDatabaseDialog projectId={page.projectId} {...slot} />}
      columns={columns}
      subtitle={(d) => (d.tags.length > 0 ? d.tags.join(', ') : null)}
      actions={actions}
      deleteWarning={(d) =>
        `The database ${d.name} and all its data will be destroyed. This cannot be undone.`
      }
      empty={{
        icon: <DatabaseIcon />,
        title: 'No databases yet',
        body: 'Create a PostgreSQL, MySQL or Valkey database; once it is active, its host, port and user appear here for your apps to connect.',
        action: 'Create your first database',
      }}
    />
  );
}
