import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Droplet } from '@uncloud/sdk';
import { PlusIcon, ServerIcon } from 'lucide-react';
import { useState } from 'react';
import { useProjectId } from '../../app/use-project.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ResourceTable, type Column } from '../../components/resource-table.tsx';
import { StateBadge } from '../../components/state-badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { formatAge, formatMemory } from '../../lib/format.ts';
import { pollWhileTransitional } from '../../lib/states.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { useListControls } from '../../lib/use-list-controls.ts';
import { CreateDropletDialog } from './create-droplet-dialog.tsx';

const columns: Array<Column<Droplet>> = [
  {
    header: 'Name',
    cell: (d) => (
      <div>
        <div className="font-medium">{d.name}</div>
        {d.tags.length > 0 ? <div className="text-xs text-muted-foreground">{d.tags.join(', ')}</div> : null}
      </div>
    ),
  },
  { header: 'State', cell: (d) => <StateBadge state={d.state} syncState={d.syncState} syncError={d.syncError} /> },
  { header: 'IP address', cell: (d) => <span className="font-mono text-xs">{d.ip ?? '—'}</span> },
  { header: 'Size', cell: (d) => `${d.vcpus} vCPU · ${formatMemory(d.memoryMiB)} · ${d.diskGiB} GiB` },
  { header: 'Image', cell: (d) => d.image },
  { header: 'Volumes', cell: (d) => d.volumeIds.length || '—' },
  { header: 'Created', cell: (d) => <time dateTime={d.createdAt}>{formatAge(d.createdAt)}</time> },
];

export function DropletsPage() {
  const projectId = useProjectId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const { filter, pager, listInput } = useListControls();
  const list = useQuery(
    trpc.droplets.list.queryOptions(
      { projectId, ...listInput },
      { refetchInterval: pollWhileTransitional, placeholderData: keepPreviousData },
    ),
  );
  const remove = useMutation(
    trpc.droplets.delete.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.droplets.list.pathKey() }),
    }),
  );

  return (
    <>
      <PageHeader
        title="Droplets"
        description="Virtual machines you can log in to, each with its own address, size and image."
        actions={
          <CreateDropletDialog
            projectId={projectId}
            open={creating}
            onOpenChange={setCreating}
            trigger={
              <Button>
                <PlusIcon aria-hidden /> Create droplet
              </Button>
            }
          />
        }
      />
      <ResourceTable
        kind="droplet"
        label="Droplets"
        query={list}
        columns={columns}
        filter={filter}
        pager={pager}
        onDelete={(d) => remove.mutateAsync({ projectId, id: d.id })}
        deleteWarning={(d) =>
          `The droplet ${d.name} will be shut down and its disk destroyed. Attached volumes are detached and kept.`
        }
        empty={{
          icon: <ServerIcon />,
          title: 'No droplets yet',
          body: 'A droplet is a virtual machine. Add an SSH key first so you can log in, then create a droplet and pick its size and image.',
          action: (
            <Button onClick={() => setCreating(true)}>
              <PlusIcon aria-hidden /> Create your first droplet
            </Button>
          ),
        }}
      />
    </>
  );
}
