import { useInfiniteQuery, useQueries, useQuery } from '@tanstack/react-query';
import { routerOf, type AuditEvent, type AuditOutcome } from '@uncloud/sdk';
import { HistoryIcon } from 'lucide-react';
import { useState } from 'react';
import { useWhoami } from '../../app/require-auth.tsx';
import { Time } from '../../components/facts.tsx';
import { EmptyState, ErrorState, LoadingRows } from '../../components/query-states.tsx';
import { Button } from '../../components/ui/button.tsx';
import { Card } from '../../components/ui/card.tsx';
import { NativeSelect } from '../../components/ui/input.tsx';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '../../components/ui/table.tsx';
import { resourceKindViews } from '../../lib/resource-kinds.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { proceduresOf } from '../../lib/use-resource.ts';
import { describeEvent, outcomeText } from './activity-text.ts';

const PAGE = 50;

/** Resource id → name, from the project's lists (deleted resources are no longer in them). */
const useResourceNames = (projectId: string | undefined) => {
  const trpc = useTRPC();
  const lists = useQueries({
    queries: resourceKindViews.map((view) => ({
      ...proceduresOf(trpc, routerOf(view.kind)).list.queryOptions(
        { projectId: projectId ?? '', limit: 200 },
        {},
      ),
      enabled: projectId !== undefined,
    })),
  });
  const names = new Map<string, string>();
  for (const list of lists)
    for (const item of (list.data?.items ?? []) as ReadonlyArray<{ id: string; name: string }>)
      names.set(item.id, item.name);
  return names;
};

/** The people to filter by: the project's members, or every user for an administrator's whole view. */
const usePeople = (projectId: string | undefined) => {
  const trpc = useTRPC();
  const members = useQuery(
    trpc.projects.members.queryOptions({ projectId: projectId ?? '' }, { enabled: projectId !== undefined }),
  );
  const users = useQuery(trpc.users.list.queryOptions(undefined, { enabled: projectId === undefined }));
  return projectId === undefined
    ? (users.data ?? []).map((u) => ({ id: u.id as string, name: u.name }))
    : (members.data ?? []).map((m) => ({ id: m.user.id as string, name: m.user.name }));
};

const outcomeClass = (e: AuditEvent) =>
  e.outcome === 'ok'
    ? 'border-emerald-600/40 bg-emerald-600/10 text-emerald-700 dark:text-emerald-400'
    : 'border-destructive/40 bg-destructive/10 text-destructive';

/**
 * The audit log, newest first: who asked for which change, when, with which token, and how it
 * ended. One project's, or (for administrators, without `projectId`) every project's.
 */
export function ActivityLog({ projectId }: { projectId?: string }) {
  const trpc = useTRPC();
  const [userId, setUserId] = useState('');
  const [outcome, setOutcome] = useState<'' | AuditOutcome>('');
  const projects = useWhoami().data?.projects ?? [];
  const names = useResourceNames(projectId);
  const people = usePeople(projectId);
  const nameOf = (id: string) => names.get(id) ?? projects.find((p) => p.id === id)?.name;
  const log = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      {
        ...(projectId ? { projectId } : {}),
        ...(userId ? { userId } : {}),
        ...(outcome ? { outcome } : {}),
        limit: PAGE,
      },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const events = log.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = userId !== '' || outcome !== '';

  let body;
  if (log.isPending) body = <LoadingRows rows={5} />;
  else if (log.isError)
    body = (
      <div className="p-4">
        <ErrorState error={log.error} onRetry={() => void log.refetch()} />
      </div>
    );
  else if (events.length === 0)
    body = filtered ? (
      <p className="p-6 text-center text-sm text-muted-foreground">No activity matches these filters.</p>
    ) : (
      <EmptyState icon={<HistoryIcon />} title="Nothing has happened yet">
        Every change anyone asks for — creating, changing, deleting, powering off — is listed here, with who
        asked and how it ended.
      </EmptyState>
    );
  else
    body = (
      <Table aria-label="Activity">
        <TableHeader>
          <TableRow>
            <TableHead>When</TableHead>
            <TableHead>Who</TableHead>
            <TableHead>What</TableHead>
            {projectId ? null : <TableHead>Project</TableHead>}
            <TableHead>Outcome</TableHead>
            <TableHead>Request</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {events.map((e) => {
            const what = describeEvent(e, nameOf);
            return (
              <TableRow key={e.id}>
                <TableCell className="whitespace-nowrap">
                  <Time iso={e.at} />
                </TableCell>
                <TableCell>
                  <div className="font-medium">
                    {e.actor?.name ?? <span className="text-muted-foreground">a deleted user</span>}
                  </div>
                  {e.tokenPrefix ? (
                    <div className="text-xs text-muted-foreground">
                      token <span className="font-mono">{e.tokenPrefix}…</span>
                    </div>
                  ) : null}
                </TableCell>
                <TableCell>
                  {what.named ? what.text : <span className="font-mono text-xs">{what.text}</span>}
                </TableCell>
                {projectId ? null : (
                  <TableCell>{e.projectId ? (nameOf(e.projectId) ?? e.projectId) : '—'}</TableCell>
                )}
                <TableCell>
                  <span
                    className={`rounded-full border px-2 py-0.5 text-xs font-medium whitespace-nowrap ${outcomeClass(e)}`}
                    title={e.errorCode ?? undefined}
                  >
                    {outcomeText(e)}
                  </span>
                </TableCell>
                <TableCell className="font-mono text-xs text-muted-foreground">
                  {e.requestId ?? '—'}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    );

  return (
    <Card className="overflow-hidden">
      <div className="flex flex-wrap items-end gap-3 border-b p-3">
        <label className="grid gap-1 text-sm">
          <span className="text-xs font-medium text-muted-foreground">Person</span>
          <NativeSelect value={userId} onChange={(e) => setUserId(e.target.value)}>
            <option value="">Everyone</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </NativeSelect>
        </label>
        <label className="grid gap-1 text-sm">
          <span className="text-xs font-medium text-muted-foreground">Outcome</span>
          <NativeSelect value={outcome} onChange={(e) => setOutcome(e.target.value as '' | AuditOutcome)}>
            <option value="">Any</option>
            <option value="ok">Succeeded</option>
            <option value="error">Failed</option>
          </NativeSelect>
        </label>
        {log.isFetching && !log.isPending && !log.isFetchingNextPage ? (
          <span className="text-xs text-muted-foreground" aria-live="polite">
            Refreshing…
          </span>
        ) : null}
      </div>
      {body}
      {log.hasNextPage ? (
        <div className="flex justify-center border-t p-3">
          <Button
            variant="outline"
            size="sm"
            disabled={log.isFetchingNextPage}
            onClick={() => void log.fetchNextPage()}
          >
            {log.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </Button>
        </div>
      ) : null}
    </Card>
  );
}
