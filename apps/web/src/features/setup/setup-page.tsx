import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Component } from '@uncloud/sdk';
import { ShieldIcon } from 'lucide-react';
import { useAccess } from '../../app/access.ts';
import { useWhoami } from '../../app/require-auth.tsx';
import { ActionTray } from '../../components/action-tray.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, ErrorState, LoadingRows } from '../../components/query-states.tsx';
import { RefusalNote } from '../../components/refusal-note.tsx';
import { Card } from '../../components/ui/card.tsx';
import { useTRPC } from '../../lib/trpc.ts';
import { useActionTracker } from '../../lib/use-actions.ts';
import { ComponentCard, type ComponentChange } from './component-card.tsx';
import { PreflightCard } from './preflight-card.tsx';
import { SystemActionsCard } from './system-actions-card.tsx';

const MOVING = new Set(['installing', 'uninstalling', 'degraded']);

/** The provisioner: what the cluster needs, installed from the dashboard (administrators). */
export function SetupPage() {
  const whoami = useWhoami();
  const refusal = useAccess().refusal('admin', { verb: 'set up', object: 'the cluster', read: true });
  if (whoami.isPending) return <LoadingRows />;
  if (refusal || !whoami.data)
    return (
      <>
        <PageHeader title="Setup" />
        <Card>
          <EmptyState icon={<ShieldIcon />} title="Only administrators set up the cluster">
            <RefusalNote className="justify-center" refusals={[refusal]} />
          </EmptyState>
        </Card>
      </>
    );
  return <Setup />;
}

function Setup() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(
    trpc.components.list.queryOptions(undefined, {
      // Installs and uninstalls are followed until they settle.
      refetchInterval: (q) =>
        (q.state.data ?? []).some((c) => MOVING.has(c.state) || c.action?.status === 'in-progress')
          ? 1000
          : 10_000,
    }),
  );
  const preflight = useQuery(trpc.components.preflight.queryOptions());
  const tracker = useActionTracker();
  // The component's action is a system action: the tray follows it to its end, as any action.
  const refresh = (component: Component) => {
    if (component.action?.status === 'in-progress')
      tracker.startedSystem(component.action.id, component.title);
    return Promise.all([queryClient.invalidateQueries({ queryKey: trpc.components.pathKey() })]);
  };
  const install = useMutation(trpc.components.install.mutationOptions({ onSuccess: refresh }));
  const upgrade = useMutation(trpc.components.upgrade.mutationOptions({ onSuccess: refresh }));
  const repair = useMutation(trpc.components.repair.mutationOptions({ onSuccess: refresh }));
  const uninstall = useMutation(trpc.components.uninstall.mutationOptions({ onSuccess: refresh }));

  const change = (c: ComponentChange) => {
    switch (c.kind) {
      case 'install':
        return install.mutateAsync({
          name: c.name,
          version: c.version,
          ...(c.variant ? { variant: c.variant as 'longhorn' | 'rook-ceph' | 'local-path' } : {}),
        });
      case 'upgrade':
        return upgrade.mutateAsync({ name: c.name, version: c.version });
      case 'repair':
        return repair.mutateAsync({ name: c.name });
      case 'uninstall':
        return uninstall.mutateAsync({ name: c.name });
    }
  };

  return (
    <>
      <PageHeader
        title="Setup"
        description="What the cluster needs for droplets, volumes and databases. Each component is pinned by version and checksum, fetched by the server and applied to the cluster; its health comes from the cluster itself."
      />
      {/* One column that never grows past the screen: long commands scroll inside their box. */}
      <div className="grid grid-cols-1 gap-6">
        {preflight.isPending ? (
          <LoadingRows rows={2} />
        ) : preflight.error ? (
          <ErrorState error={preflight.error} onRetry={() => void preflight.refetch()} />
        ) : (
          <PreflightCard preflight={preflight.data} onRecheck={() => void preflight.refetch()} />
        )}
        {list.isPending ? (
          <LoadingRows />
        ) : list.error ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
            {list.data.map((c) => (
              <ComponentCard key={c.name} component={c} onChange={change} />
            ))}
          </div>
        )}
        {list.data ? <SystemActionsCard components={list.data} /> : null}
      </div>
      {/* Outside any project, so outside the project layout's tray: the page shows its own. */}
      <ActionTray />
    </>
  );
}
