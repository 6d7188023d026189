import { useQuery } from '@tanstack/react-query';
import { type Action, routerOf } from '@uncloud/sdk';
import { HistoryIcon } from 'lucide-react';
import { Link } from 'react-router';
import {
  type ActionColumn,
  ActionsTable,
  actionColumn,
  statusColumn,
} from '../../components/action-history.tsx';
import { Time } from '../../components/facts.tsx';
import { Card, CardHeader, CardTitle } from '../../components/ui/card.tsx';
import { detailPath } from '../../lib/resource-kinds.ts';
import { POLL_MS } from '../../lib/states.ts';
import { useTRPC } from '../../lib/trpc.ts';

/** Resource id → name, for saying what an action acted on. */
export type ResourceNames = ReadonlyMap<string, string>;

const stillRunning = (items: readonly Action[] | undefined) =>
  items?.some((a) => a.status === 'in-progress') ?? false;

/** Action, what it acted on (linked), status and start. */
const columns = (projectId: string, names: ResourceNames): ActionColumn[] => [
  actionColumn,
  {
    heading: 'On',
    cell: (a) => (
      <>
        <span className="text-muted-foreground">{a.resourceKind} </span>
        <Link
          className="underline-offset-4 hover:underline"
          to={detailPath(projectId, routerOf(a.resourceKind), a.resourceId)}
        >
          {names.get(a.resourceId) ?? a.resourceId}
        </Link>
      </>
    ),
  },
  statusColumn,
  { heading: 'Started', cell: (a) => <Time iso={a.startedAt} /> },
];

/** The project's latest actions (power off, scale, resize…), followed while any still runs. */
export function RecentActionsCard({ projectId, names }: { projectId: string; names: ResourceNames }) {
  const trpc = useTRPC();
  const actions = useQuery(
    trpc.actions.list.queryOptions(
      { projectId, limit: 10 },
      { refetchInterval: (q) => (stillRunning(q.state.data?.items) ? POLL_MS : 15_000) },
    ),
  );
  return (
    <Card className="overflow-hidden">
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <HistoryIcon className="size-4 text-muted-foreground" aria-hidden />
          Recent actions
        </CardTitle>
      </CardHeader>
      <ActionsTable query={actions} loadingRows={3} columns={columns(projectId, names)}>
        Powering a droplet off, scaling an app or resizing a volume starts an action; the latest ones show
        here with their progress.
      </ActionsTable>
    </Card>
  );
}
