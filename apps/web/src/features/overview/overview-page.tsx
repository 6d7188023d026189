import { useQueries } from '@tanstack/react-query';
import { routerOf } from '@uncloud/sdk';
import { useWhoami } from '../../app/require-auth.tsx';
import { useProjectId } from '../../app/use-project.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/query-states.tsx';
import { resourceKindViews } from '../../lib/resource-kinds.ts';
import { pollWhileTransitional } from '../../lib/states.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { proceduresOf } from '../../lib/use-resource.ts';
import { ComponentsBanner } from '../setup/components-banner.tsx';
import { GetStarted } from './get-started.tsx';
import { QuotaCard } from './quota-card.tsx';
import { RecentActionsCard } from './recent-actions-card.tsx';
import { ResourceCounts, type KindCount } from './resource-counts.tsx';
import { SyncHealthCard } from './sync-health-card.tsx';
import { UsageCard } from './usage-card.tsx';

const PAGE = 200;

/** The project at a glance: what it holds, how busy it is, what happened lately, how sync is doing. */
export function OverviewPage() {
  const projectId = useProjectId();
  const trpc = useTRPC();
  const whoami = useWhoami();
  const project = whoami.data?.projects.find((p) => p.id === projectId);
  const input = { projectId, limit: PAGE };
  const lists = useQueries({
    queries: resourceKindViews.map((view) =>
      proceduresOf(trpc, routerOf(view.kind)).list.queryOptions(
        input,
        view.stateful ? { refetchInterval: pollWhileTransitional } : {},
      ),
    ),
  });
  const kinds: KindCount[] = resourceKindViews.map((view, i) => ({
    label: view.title,
    to: view.path,
    icon: view.icon,
    query: lists[i]!,
  }));

  if (whoami.data && !project)
    return (
      <ErrorState
        error={
          new Error('This project does not exist or you are not a member of it. Pick another project above.')
        }
      />
    );

  const names = new Map<string, string>();
  for (const list of lists)
    for (const item of (list.data?.items ?? []) as ReadonlyArray<{ id: string; name: string }>)
      names.set(item.id, item.name);
  const loaded = kinds.every((k) => !k.query.isPending);
  const empty = loaded && kinds.every((k) => (k.query.data?.items.length ?? 0) === 0);

  return (
    <>
      <PageHeader
        title={project ? project.name : 'Overview'}
        description={
          project ? `Everything in this project at a glance. Your role: ${project.role}.` : undefined
        }
      />
      <div className="grid gap-6">
        <ComponentsBanner />
        {empty ? <GetStarted /> : null}
        <ResourceCounts kinds={kinds} />
        <div className="grid gap-6 lg:grid-cols-3">
          <div className="min-w-0 lg:col-span-2">
            <UsageCard projectId={projectId} />
          </div>
          <SyncHealthCard />
          <div className="min-w-0 lg:col-span-2">
            <RecentActionsCard projectId={projectId} names={names} />
          </div>
          <QuotaCard projectId={projectId} />
        </div>
      </div>
    </>
  );
}
