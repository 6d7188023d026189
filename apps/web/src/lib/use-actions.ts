import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { type Action, actionKinds, routerOf } from '@uncloud/sdk';
import { useEffect, useRef } from 'react';
import { POLL_MS } from './states.ts';
import { useTRPC } from './trpc.ts';

/** Something the action tray shows: an action started from this tab, or a refusal to start one. */
export type ActionNotice =
  /** A project's action, or a system action (`projectId` null: a component's install, …). */
  | { key: string; type: 'action'; projectId: string | null; actionId: string; subject: string }
  | { key: string; type: 'refused'; title: string; error: unknown };

// The tray lives in the query cache rather than a module: each QueryClient (each test, each
// sign-in) starts with an empty tray, and sign-out clears it with everything else.
const noticesKey = ['uncloud', 'action-notices'] as const;

const readNotices = (qc: QueryClient) => qc.getQueryData<ActionNotice[]>(noticesKey) ?? [];

export const useActionNotices = () => {
  const queryClient = useQueryClient();
  const notices = useQuery({
    queryKey: noticesKey,
    queryFn: () => readNotices(queryClient),
    initialData: [],
    staleTime: Infinity,
    gcTime: Infinity,
  }).data;
  const dismiss = (key: string) =>
    queryClient.setQueryData<ActionNotice[]>(noticesKey, (all = []) => all.filter((n) => n.key !== key));
  return { notices, dismiss };
};

type NewNotice = ActionNotice extends infer N
  ? N extends ActionNotice
    ? Omit<N, 'key'> & { key?: string }
    : never
  : never;

let noticeSeq = 0;
const addNotice = (qc: QueryClient, notice: NewNotice) => {
  noticeSeq += 1;
  const entry = { key: notice.key ?? `notice-${noticeSeq}`, ...notice } as ActionNotice;
  // The newest few are enough; older ones have long been read.
  qc.setQueryData<ActionNotice[]>(noticesKey, (all = []) =>
    [...all.filter((n) => n.key !== entry.key), entry].slice(-5),
  );
};

/**
 * What a page calls once the API has accepted an action: the action is put where every view of it
 * reads (its `actions.get` entry), the resource and its action history are refetched, and the tray
 * follows it to the end. A refusal (CONFLICT, a bad state) goes to the tray too.
 */
export const useActionTracker = () => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return {
    started(action: Action, subject: string) {
      queryClient.setQueryData(
        trpc.actions.get.queryKey({ projectId: action.projectId, id: action.id }),
        action,
      );
      void queryClient.invalidateQueries({ queryKey: trpc.actions.list.pathKey() });
      void queryClient.invalidateQueries({
        queryKey: trpc[routerOf(action.resourceKind)].pathKey(),
      });
      addNotice(queryClient, {
        type: 'action',
        key: action.id,
        projectId: action.projectId,
        actionId: action.id,
        subject,
      });
    },
    /** A system action (a component's install, upgrade, repair or uninstall) for the tray to follow. */
    startedSystem(actionId: string, subject: string) {
      void queryClient.invalidateQueries({ queryKey: trpc.systemActions.pathKey() });
      addNotice(queryClient, { type: 'action', key: actionId, projectId: null, actionId, subject });
    },
    refused(title: string, error: unknown) {
      addNotice(queryClient, { type: 'refused', title, error });
    },
  };
};

/**
 * Calls `onSettled` when an id leaves `inFlight`: an action finished, so what it changed is worth
 * fetching again (polling stops with the last in-flight action and would miss the final state).
 */
export const useWhenSettled = (inFlight: readonly string[], onSettled: () => void) => {
  const previous = useRef<readonly string[]>([]);
  const latest = useRef(onSettled);
  latest.current = onSettled;
  const key = [...inFlight].sort().join(',');
  useEffect(() => {
    const finished = previous.current.some((id) => !inFlight.includes(id));
    previous.current = inFlight;
    if (finished) latest.current();
    // `key` stands for the contents of `inFlight`, which is a new array on every render.
  }, [key]);
};

/**
 * Hands newer news of an action, seen in a list, to whoever follows that action on its own (the
 * tray), so that the tray and the page never disagree about where it stands.
 */
const useShareActionNews = (items: readonly Action[] | undefined) => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  useEffect(() => {
    for (const action of items ?? []) {
      const key = trpc.actions.get.queryKey({ projectId: action.projectId, id: action.id });
      const known = queryClient.getQueryData(key);
      if (known && known.status !== action.status) queryClient.setQueryData(key, action);
    }
  }, [items, queryClient, trpc]);
};

/**
 * The project's actions still in progress, by resource id, for list rows. Polls while there are
 * any; starting an action refetches it. An API without actions answers with an error, which
 * leaves the map empty: rows then just show their state.
 */
export const useActionsInFlight = (projectId: string, enabled = true) => {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(
    trpc.actions.list.queryOptions(
      { projectId, status: 'in-progress', limit: 200 },
      {
        enabled,
        retry: false,
        refetchInterval: (q) => ((q.state.data?.items.length ?? 0) > 0 ? POLL_MS : false),
      },
    ),
  );
  useShareActionNews(query.data?.items);
  const items = query.data?.items ?? [];
  const byResource = new Map<string, Action>();
  for (const action of items)
    if (!byResource.has(action.resourceId)) byResource.set(action.resourceId, action);
  useWhenSettled(
    items.map((a) => a.id),
    () => {
      void queryClient.invalidateQueries({ queryKey: trpc.actions.pathKey() });
      for (const router of actionKinds.map(routerOf))
        void queryClient.invalidateQueries({ queryKey: trpc[router].pathKey() });
    },
  );
  return byResource;
};

/** A resource's recent actions, newest first, polled while one of them is in progress. */
export const useResourceActions = (projectId: string, resourceId: string, enabled = true) => {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.actions.list.queryOptions(
      { projectId, resourceId, limit: 10 },
      {
        enabled,
        refetchInterval: (q) =>
          q.state.data?.items.some((a) => a.status === 'in-progress') ? POLL_MS : false,
      },
    ),
  );
  useShareActionNews(query.data?.items);
  const inFlight = (query.data?.items ?? []).filter((a) => a.status === 'in-progress');
  return { query, inFlight };
};
