import type { Firewall } from '@uncloud/sdk';
import { ShieldIcon } from 'lucide-react';
import { ResourceListPage } from '../../components/resource-list-page.tsx';
import type { Column } from '../../components/resource-table.tsx';
import { useResourceList } from '../../lib/use-resource.ts';
import { CreateFirewallDialog } from './create-firewall-dialog.tsx';
import { describeInbound } from './firewall-text.ts';
import { useTargetNames } from './use-target-names.ts';

export function FirewallsPage() {
  const page = useResourceList('firewalls');
  const { name } = useTargetNames(page.projectId);

  const columns: Array<Column<Firewall>> = [
    {
      header: 'Inbound',
      cell: (f) =>
        f.inbound.length === 0 ? (
          'Nothing allowed'
        ) : (
          <ul className="text-xs">
            {f.inbound.map((r, i) => (
              <li key={i}>{describeInbound(r, name)}</li>
            ))}
          </ul>
        ),
    },
    { header: 'Outbound rules', cell: (f) => f.outbound.length || 'None' },
    {
      header: 'Applies to',
      cell: (f) => (f.targets.length === 0 ? 'Nothing yet' : f.targets.map(name).join(', ')),
    },
  ];

  return (
    <ResourceListPage
      page={page}
      description="Rules for the traffic your droplets and apps accept."
      createLabel="Create firewall"
      createDialog={(slot) => <CreateFirewallDialog projectId={page.projectId} {...slot} />}
      columns={columns}
      deleteWarning={(f) =>
        `The rules of ${f.name} stop applying; its droplets and apps accept traffic as before it existed.`
      }
      empty={{
        icon: <ShieldIcon />,
        title: 'No firewalls yet',
        body: 'A firewall lets through only the traffic you allow, for example SSH on port 22 and HTTPS on 443. Create one and choose the droplets, apps or tags it applies to.',
        action: 'Create your first firewall',
      }}
    />
  );
}
