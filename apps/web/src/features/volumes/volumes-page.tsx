import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Volume } from '@uncloud/sdk';
import { HardDriveIcon, PlusIcon } from 'lucide-react';
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
import { CreateVolumeDialog } from './create-volume-dialog.tsx';

export function VolumesPage() {
  const projectId = useProjectId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const { filter, pager, listInput } = useListControls();
  const list = useQuery(
    trpc.volumes.list.queryOptions(
      { projectId, ...listInput },
      { refetchInterval: pollWhileTransitional, placeholderData: keepPreviousData },
    ),
  );
  // Names of the droplets volumes are attached to.
  const droplets = useQuery(trpc.droplets.list.queryOptions({ projectId, limit: 200 }));
  const dropletName = new Map((droplets.data?.items ?? []).map((d) => [d.id as string, d.name]));
  const remove = useMutation(
    trpc.volumes.delete.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.volumes.list.pathKey() }),
    }),
  );

  const columns: Array<Column<Volume>> = [
    {
      header: 'Name',
      cell: (v) => (
        <div>
          <div className="font-medium">{v.name}</div>
          {v.description ? <div className="text-xs text-muted-foreground">{v.description}</div> : null}
        </div>
      ),
    },
    { header: 'State', cell: (v) => <StateBadge state={v.state} syncState={v.syncState} syncError={v.syncError} /> },
    {
      header: 'Size',
      cell: (v) =>
        v.capacityGiB !== null && v.capacityGiB !== v.sizeGiB ? `${v.sizeGiB} GiB (${v.capacityGiB} GiB provided)` : `${v.sizeGiB} GiB`,
    },
    { header: 'Filesystem', cell: (v) => v.filesystem },
    {
      header: 'Attached to',
      cell: (v) => (v.dropletId ? (dropletName.get(v.dropletId) ?? <span className="font-mono text-xs">{v.dropletId}</span>) : 'Not attached'),
    },
    { header: 'Created', cell: (v) => <time dateTime={v.createdAt}>{formatAge(v.createdAt)}</time> },
  ];

  return (
    <>
      <PageHeader
        title="Volumes"
        description="Block storage that keeps its data when droplets come and go."
        actions={
          <CreateVolumeDialog
            projectId={projectId}
            open={creating}
            onOpenChange={setCreating}
            trigger={
              <Button>
                <PlusIcon aria-hidden /> Create volume
              </Button>
            }
          />
        }
      />
      <ResourceTable
        kind="volume"
        label="Volumes"
        query={list}
        columns={columns}
        filter={filter}
        pager={pager}
        onDelete={(v) => remove.mutateAsync({ projectId, id: v.id })}
        deleteWarning={(v) => `The volume ${v.name} and all data on it will be destroyed. This cannot be undone.`}
        empty={{
          icon: <HardDriveIcon />,
          title: 'No volumes yet',
          body: 'Volumes hold data that must survive a droplet being rebuilt or deleted. Create one, then attach it to a droplet.',
          action: (
            <Button onClick={() => setCreating(true)}>
              <PlusIcon aria-hidden /> Create your first volume
            </Button>
          ),
        }}
      />
    </>
  );
}
