import { useParams } from 'react-router';
import { Copyable } from '../../components/copy-button.tsx';
import { Facts, syncFacts, type Fact } from '../../components/facts.tsx';
import { ResourceDetailPage } from '../../components/resource-detail-page.tsx';
import { useResourceDetail } from '../../lib/use-resource.ts';
import { useReservedIpActions } from './reserved-ip-actions.tsx';
import { AssignedDroplet, reservedIpDeleteWarning } from './reserved-ips-page.tsx';

export function ReservedIpDetailPage() {
  const { reservedIpId = '' } = useParams();
  const detail = useResourceDetail('reservedIps', reservedIpId);
  const actions = useReservedIpActions();
  return (
    <ResourceDetailPage
      detail={detail}
      subtitle={(r) => `${r.ip} · ${r.dropletName ? `assigned to ${r.dropletName}` : 'unassigned'}`}
      actions={actions}
      deleteWarning={reservedIpDeleteWarning}
    >
      {(r) => (
        <div className="grid gap-6 lg:grid-cols-2">
          <Facts
            title="Reserved IP"
            facts={[
              ['Address', <Copyable key="ip" value={r.ip} label="Copy address" small={false} />],
              ['Assigned to', <AssignedDroplet key="droplet" reservedIp={r} />],
              ...(r.dropletId
                ? [
                    [
                      'SSH',
                      <Copyable key="ssh" value={`ssh root@${r.ip}`} label="Copy SSH command" />,
                    ] satisfies Fact,
                  ]
                : []),
              ['Region', r.region],
              ['ID', <Copyable key="id" value={r.id} label="Copy ID" />],
            ]}
          />
          <Facts
            title="Runtime"
            facts={[
              [
                'Load balancer',
                r.announced
                  ? 'Announcing the address'
                  : r.state === 'error'
                    ? 'Refuses the address (see the error)'
                    : 'Waiting for the address to be announced',
              ],
              ...syncFacts(r),
            ]}
          />
        </div>
      )}
    </ResourceDetailPage>
  );
}
