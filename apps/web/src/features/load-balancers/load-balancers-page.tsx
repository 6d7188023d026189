import type { LoadBalancer } from '@uncloud/sdk';
import { NetworkIcon } from 'lucide-react';
import { Time } from '../../components/facts.tsx';
import { ResourceListPage } from '../../components/resource-list-page.tsx';
import type { Column } from '../../components/resource-table.tsx';
import { useResourceList } from '../../lib/use-resource.ts';
import { CreateLoadBalancerDialog } from './create-load-balancer-dialog.tsx';
import { describeRule, healthSummary } from './load-balancer-text.ts';

export const loadBalancerDeleteWarning = (lb: LoadBalancer) =>
  `The load balancer ${lb.name} and its address ${lb.address ?? ''} go away; its droplets stay.`;

export function LoadBalancersPage() {
  const page = useResourceList('loadBalancers');
  const columns: Array<Column<LoadBalancer>> = [
    { header: 'Address', cell: (lb) => lb.address ?? 'Waiting for an address' },
    { header: 'Forwarding', cell: (lb) => lb.forwardingRules.map(describeRule).join(', ') },
    { header: 'Targets', cell: healthSummary },
    { header: 'Created', cell: (lb) => <Time iso={lb.createdAt} /> },
  ];
  return (
    <ResourceListPage
      page={page}
      description="Public addresses that spread traffic over droplets, sending only to healthy ones."
      createLabel="Create load balancer"
      createDialog={(slot) => <CreateLoadBalancerDialog projectId={page.projectId} {...slot} />}
      columns={columns}
      deleteWarning={loadBalancerDeleteWarning}
      empty={{
        icon: <NetworkIcon />,
        title: 'No load balancers yet',
        body: 'A load balancer gives several droplets one address and stops sending to a droplet that is down.',
        action: 'Create your first load balancer',
      }}
    />
  );
}
