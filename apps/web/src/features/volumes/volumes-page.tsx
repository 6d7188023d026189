import { useQuery } from '@tanstack/react-query';
import type { Volume } from '@uncloud/sdk';
import { HardDriveIcon } from 'lucide-react';
import { Link } from 'react-router';
import { Time } from '../../components/facts.tsx';
import { ResourceListPage } from '../../components/resource-list-page.tsx';
import type { Column } from '../../components/resource-table.tsx';
import { detailPath } from '../../lib/resource-kinds.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { useResourceList } from '../../lib/use-resource.ts';
import { CreateVolumeDialog } from './create-volume-dialog.tsx';
import { useVolumeActions } from './volume-actions.tsx';

export const volumeSize = (v: Volume) =>
  v.capacityGiB !== null && v.capacityGiB !== v.sizeGiB
    ? `${v.sizeGiB} GiB (${v.capacityGiB} GiB provided)`
    : `${v.sizeGiB} GiB`;

export function VolumesPage() {
  const page = useResourceList('volumes');
  const actions = useVolumeActions();
  const trpc = useTRPC();
  // Names of the droplets volumes are attached to.
  const droplets = useQuery(trpc.droplets.list.queryOptions({ projectId: page.projectId, limit: 200 }));
  const dropletName = new Map((droplets.data?.items ?? []).map((d) => [d.id as string, d.name]));

  const columns: Array<Column<Volume>> = [
    { header: 'Size', sort: 'size', cell: volumeSize },
    { header: 'Filesystem', cell: (v) => v.filesystem },
    {
      header: 'Attached to',
      cell: (v) =>
        v.dropletId ? (
          <Link
            className="text-primary hover:underline"
            to={detailPath(page.projectId, 'droplets', v.dropletId)}
          >
            {dropletName.get(v.dropletId) ?? v.dropletId}
          </Link>
        ) : (
          'Not attached'
        ),
    },
    {
      header: 'Mounted at',
      cell: (v) => <span className="font-mono text-xs">{v.mountPath ?? '—'}</span>,
    },
    {
      header: 'Claim',
      cell: (v) => <span className="text-xs text-muted-foreground">{v.phase ?? 'Not bound yet'}</span>,
    },
    { header: 'Created', cell: (v) => <Time iso={v.createdAt} /> },
  ];

  return (
    <ResourceListPage
      page={page}
      description="Block storage that keeps its data when droplets come and go."
      createLabel="Create volume"
      createDialog={(slot) => <CreateVolumeDialog projectId={page.projectId} {...slot} />}
      columns={columns}
      subtitle={(v) => v.description || null}
      actions={actions}
      deleteWarning={(v) =>
        `The volume ${v.name} and all data on it will be destroyed. This cannot be undone.`
      }
      empty={{
        icon: <HardDriveIcon />,
        title: 'No volumes yet',
        body: 'Volumes hold data that must survive a droplet being rebuilt or deleted. Create one, then attach it to a droplet.',
        action: 'Create your first volume',
      }}
    />
  );
}
