import type { ReservedIp } from '@uncloud/sdk';
import { GlobeIcon } from 'lucide-react';
import { Link } from 'react-router';
import { Copyable } from '../../components/copy-button.tsx';
import { Time } from '../../components/facts.tsx';
import { ResourceListPage } from '../../components/resource-list-page.tsx';
import type { Column } from '../../components/resource-table.tsx';
import { detailPath } from '../../lib/resource-kinds.ts';
import { useResourceList } from '../../lib/use-resource.ts';
import { CreateReservedIpDialog } from './create-reserved-ip-dialog.tsx';
import { useReservedIpActions } from './reserved-ip-actions.tsx';

export const reservedIpDeleteWarning = (r: ReservedIp) =>
  `The address ${r.ip} goes back to the pool; another project may get it next.`;

/** The droplet a reserved IP reaches, as a link, or that it reaches none. */
export function AssignedDroplet({ reservedIp: r }: { reservedIp: ReservedIp }) {
  if (!r.dropletId) return <>Unassigned</>;
  return (
    <Link className="text-primary hover:underline" to={detailPath(r.projectId, 'droplets', r.dropletId)}>
      {r.dropletName ?? r.dropletId}
    </Link>
  );
}

export function ReservedIpsPage() {
  const page = useResourceList('reservedIps');
  const actions = useReservedIpActions();
  const columns: Array<Column<ReservedIp>> = [
    { header: 'Address', cell: (r) => <Copyable value={r.ip} label={`Copy ${r.ip}`} /> },
    { header: 'Assigned to', cell: (r) => <AssignedDroplet reservedIp={r} /> },
    { header: 'Region', cell: (r) => r.region },
    { header: 'Created', cell: (r) => <Time iso={r.createdAt} /> },
  ];
  return (
    <ResourceListPage
      page={page}
      description="Public addresses the project keeps, and points at one droplet or another."
      createLabel="Reserve IP"
      createDialog={(slot) => <CreateReservedIpDialog projectId={page.projectId} {...slot} />}
      columns={columns}
      actions={actions}
      deleteWarning={reservedIpDeleteWarning}
      empty={{
        icon: <GlobeIcon />,
        title: 'No reserved IPs yet',
        body: 'A reserved IP keeps its address when you replace a droplet: move it to the new one, and clients keep connecting to the same address.',
        action: 'Reserve your first IP',
      }}
    />
  );
}
