import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Firewall, InboundRule } from '@uncloud/sdk';
import { PlusIcon, ShieldIcon } from 'lucide-react';
import { useState } from 'react';
import { useProjectId } from '../../app/use-project.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ResourceTable, type Column } from '../../components/resource-table.tsx';
import { StateBadge } from '../../components/state-badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { pollWhileTransitional } from '../../lib/states.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { useListControls } from '../../lib/use-list-controls.ts';
import { CreateFirewallDialog } from './create-firewall-dialog.tsx';

const describeRule = (r: InboundRule) => `${r.protocol.toUpperCase()} ${r.ports === 'all' ? 'all ports' : r.ports} from ${r.sources.join(', ')}`;

export function FirewallsPage() {
  const projectId = useProjectId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const { filter, pager, listInput } = useListControls();
  const list = useQuery(
    trpc.firewalls.list.queryOptions(
      { projectId, ...listInput },
      { refetchInterval: pollWhileTransitional, placeholderData: keepPreviousData },
    ),
  );
  // Names for the droplets and apps a firewall targets.
  const droplets = useQuery(trpc.droplets.list.queryOptions({ projectId, limit: 200 }));
  const apps = useQuery(trpc.apps.list.queryOptions({ projectId, limit: 200 }));
  const names = new Map<string, string>([
    ...(droplets.data?.items ?? []).map((d) => [d.id as string, d.name] as const),
    ...(apps.data?.items ?? []).map((a) => [a.id as string, a.name] as const),
  ]);
  const remove = useMutation(
    trpc.firewalls.delete.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.firewalls.list.pathKey() }),
    }),
  );

  const columns: Array<Column<Firewall>> = [
    { header: 'Name', cell: (f) => <span className="font-medium">{f.name}</span> },
    { header: 'State', cell: (f) => <StateBadge state={f.state} syncState={f.syncState} syncError={f.syncError} /> },
    {
      header: 'Inbound',
      cell: (f) =>
        f.inbound.length === 0 ? (
          'Nothing allowed'
        ) : (
          <ul className="text-xs">
            {f.inbound.map((r, i) => (
              <li key={i}>{describeRule(r)}</li>
            ))}
          </ul>
        ),
    },
    { header: 'Outbound rules', cell: (f) => f.outbound.length || 'None' },
    {
      header: 'Applies to',
      cell: (f) => (f.targets.length === 0 ? 'Nothing yet' : f.targets.map((t) => names.get(t) ?? t).join(', ')),
    },
  ];

  return (
    <>
      <PageHeader
        title="Firewalls"
        description="Rules for the traffic your droplets and apps accept."
        actions={
          <CreateFirewallDialog
            projectId={projectId}
            open={creating}
            onOpenChange={setCreating}
            trigger={
              <Button>
                <PlusIcon aria-hidden /> Create firewall
              </Button>
            }
          />
        }
      />
      <ResourceTable
        kind="firewall"
        label="Firewalls"
        query={list}
        columns={columns}
        filter={filter}
        pager={pager}
        onDelete={(f) => remove.mutateAsync({ projectId, id: f.id })}
        deleteWarning={(f) => `The rules of ${f.name} stop applying; its droplets and apps accept traffic as before it existed.`}
        empty={{
          icon: <ShieldIcon />,
          title: 'No firewalls yet',
          body: 'A firewall lets through only the traffic you allow, for example SSH on port 22 and HTTPS on 443. Create one and choose the droplets, apps or tags it applies to.',
          action: (
            <Button onClick={() => setCreating(true)}>
              <PlusIcon aria-hidden /> Create your first firewall
            </Button>
          ),
        }}
      />
    </>
  );
}
