import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Database } from '@uncloud/sdk';
import { DatabaseIcon, PlusIcon } from 'lucide-react';
import { useState } from 'react';
import { useProjectId } from '../../app/use-project.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ResourceTable, type Column } from '../../components/resource-table.tsx';
import { StateBadge } from '../../components/state-badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { formatAge } from '../../lib/format.ts';
import { pollWhileTransitional } from '../../lib/states.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { useListControls } from '../../lib/use-list-controls.ts';
import { CreateDatabaseDialog, engineLabel } from './create-database-dialog.tsx';

const columns: Array<Column<Database>> = [
  { header: 'Name', cell: (d) => <span className="font-medium">{d.name}</span> },
  { header: 'State', cell: (d) => <StateBadge state={d.state} syncState={d.syncState} syncError={d.syncError} /> },
  { header: 'Engine', cell: (d) => `${engineLabel(d.engine)} ${d.version}` },
  {
    header: 'Nodes',
    cell: (d) => (
      <span aria-label={`${d.readyNodes ?? 0} of ${d.nodes} nodes ready`}>
        {d.readyNodes ?? 0}/{d.nodes} ready
      </span>
    ),
  },
  { header: 'Size', cell: (d) => d.size },
  {
    header: 'Connection',
    cell: (d) =>
      d.connection ? (
        <span className="font-mono text-xs">
          {d.connection.user}@{d.connection.host}:{d.connection.port}/{d.connection.database}
        </span>
      ) : (
        '—'
      ),
  },
  { header: 'Created', cell: (d) => <time dateTime={d.createdAt}>{formatAge(d.createdAt)}</time> },
];

export function DatabasesPage() {
  const projectId = useProjectId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const { filter, pager, listInput } = useListControls();
  const list = useQuery(
    trpc.databases.list.queryOptions(
      { projectId, ...listInput },
      { refetchInterval: pollWhileTransitional, placeholderData: keepPreviousData },
    ),
  );
  const remove = useMutation(
    trpc.databases.delete.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.databases.list.pathKey() }),
    }),
  );
  return (
    <>
      <PageHeader
        title="Databases"
        description="Managed PostgreSQL, MySQL and Valkey, with connection details once they are running."
        actions={
          <CreateDatabaseDialog
            projectId={projectId}
            open={creating}
            onOpenChange={setCreating}
            trigger={
              <Button>
                <PlusIcon aria-hidden /> Create database
              </Button>
            }
          />
        }
      />
      <ResourceTable
        kind="database"
        label="Databases"
        query={list}
        columns={columns}
        filter={filter}
        pager={pager}
        onDelete={(d) => remove.mutateAsync({ projectId, id: d.id })}
        deleteWarning={(d) => `The database ${d.name} and all its data will be destroyed. This cannot be undone.`}
        empty={{
          icon: <DatabaseIcon />,
          title: 'No databases yet',
          body: 'Create a PostgreSQL, MySQL or Valkey database; once it is active, its host, port and user appear here for your apps to connect.',
          action: (
            <Button onClick={() => setCreating(true)}>
              <PlusIcon aria-hidden /> Create your first database
            </Button>
          ),
        }}
      />
    </>
  );
}
