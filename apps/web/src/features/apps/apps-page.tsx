import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { App } from '@uncloud/sdk';
import { AppWindowIcon, PlusIcon } from 'lucide-react';
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
import { CreateAppDialog } from './create-app-dialog.tsx';

const columns: Array<Column<App>> = [
  { header: 'Name', cell: (a) => <span className="font-medium">{a.name}</span> },
  { header: 'State', cell: (a) => <StateBadge state={a.state} syncState={a.syncState} syncError={a.syncError} /> },
  {
    header: 'Replicas',
    cell: (a) => (
      <span aria-label={`${a.readyReplicas ?? 0} of ${a.replicas} replicas ready`}>
        {a.readyReplicas ?? 0}/{a.replicas} ready
      </span>
    ),
  },
  { header: 'Image', cell: (a) => <span className="font-mono text-xs">{a.image}</span> },
  {
    header: 'Address',
    cell: (a) =>
      a.url ? (
        <a className="text-primary underline-offset-4 hover:underline" href={a.url} target="_blank" rel="noreferrer">
          {a.url}
        </a>
      ) : (
        (a.domains[0] ?? '—')
      ),
  },
  { header: 'Created', cell: (a) => <time dateTime={a.createdAt}>{formatAge(a.createdAt)}</time> },
];

export function AppsPage() {
  const projectId = useProjectId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const { filter, pager, listInput } = useListControls();
  const list = useQuery(
    trpc.apps.list.queryOptions({ projectId, ...listInput }, { refetchInterval: pollWhileTransitional, placeholderData: keepPreviousData }),
  );
  const remove = useMutation(
    trpc.apps.delete.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.apps.list.pathKey() }),
    }),
  );
  return (
    <>
      <PageHeader
        title="Apps"
        description="Containers run from an image, scaled to the replicas you choose."
        actions={
          <CreateAppDialog
            projectId={projectId}
            open={creating}
            onOpenChange={setCreating}
            trigger={
              <Button>
                <PlusIcon aria-hidden /> Deploy app
              </Button>
            }
          />
        }
      />
      <ResourceTable
        kind="app"
        label="Apps"
        query={list}
        columns={columns}
        filter={filter}
        pager={pager}
        onDelete={(a) => remove.mutateAsync({ projectId, id: a.id })}
        deleteWarning={(a) => `All replicas of ${a.name} stop and its address goes away. This cannot be undone.`}
        empty={{
          icon: <AppWindowIcon />,
          title: 'No apps yet',
          body: 'Deploy a container image (for example nginx:1.27), tell Uncloud which port it listens on, and it runs and stays running.',
          action: (
            <Button onClick={() => setCreating(true)}>
              <PlusIcon aria-hidden /> Deploy your first app
            </Button>
          ),
        }}
      />
    </>
  );
}
