import type { Snapshot } from '@uncloud/sdk';
import { CameraIcon } from 'lucide-react';
import { Link } from 'react-router';
import { Time } from '../../components/facts.tsx';
import { ResourceListPage } from '../../components/resource-list-page.tsx';
import type { Column } from '../../components/resource-table.tsx';
import { imageName } from '../../lib/format.ts';
import { detailPath } from '../../lib/resource-kinds.ts';
import { useResourceList } from '../../lib/use-resource.ts';
import { useSnapshotActions } from './snapshot-actions.tsx';
import { TakeSnapshotDialog } from './take-snapshot-dialog.tsx';

/** "droplet web-1", linking to it: what a snapshot was taken of (which may since be gone). */
export function SnapshotSource({ snapshot }: { snapshot: Snapshot }) {
  const kind = snapshot.resourceKind === 'droplet' ? 'droplets' : 'volumes';
  return (
    <span>
      {snapshot.resourceKind}{' '}
      <Link
        className="text-primary hover:underline"
        to={detailPath(snapshot.projectId, kind, snapshot.resourceId)}
      >
        {snapshot.resourceName}
      </Link>
    </span>
  );
}

export const snapshotContents = (s: Snapshot) =>
  s.resourceKind === 'droplet'
    ? s.image
      ? imageName(s.image)
      : 'Droplet disk'
    : `${s.filesystem ?? ''} volume`;

export function SnapshotsPage() {
  const page = useResourceList('snapshots');
  const actions = useSnapshotActions();
  const columns: Array<Column<Snapshot>> = [
    { header: 'Of', sort: 'resource', cell: (s) => <SnapshotSource snapshot={s} /> },
    { header: 'Size', sort: 'size', cell: (s) => `${s.sizeGiB} GiB` },
    { header: 'Holds', cell: snapshotContents },
    { header: 'Taken', sort: 'createdAt', cell: (s) => <Time iso={s.createdAt} /> },
  ];
  return (
    <ResourceListPage
      page={page}
      description="Copies of droplet disks and volumes: restore a droplet to one, or start a new droplet or volume from it."
      createLabel="Take snapshot"
      createDialog={(slot) => <TakeSnapshotDialog projectId={page.projectId} {...slot} />}
      columns={columns}
      actions={actions}
      deleteWarning={(s) =>
        `The snapshot ${s.name} will be deleted. Droplets and volumes made from it keep their data.`
      }
      empty={{
        icon: <CameraIcon />,
        title: 'No snapshots yet',
        body: 'Take a snapshot of a droplet before an upgrade, or of a volume before a migration, to go back to it later.',
        action: 'Take your first snapshot',
      }}
    />
  );
}
