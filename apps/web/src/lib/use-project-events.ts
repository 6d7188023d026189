import { type QueryKey, useQueryClient } from '@tanstack/react-query';
import { type ProjectEvent, ProjectId, isUncloudError, resourceKinds, routerOf } from '@uncloud/sdk';
import { useEffect } from 'react';
import { useTRPC, useTRPCClient } from './trpc.ts';

/** Changes arriving together (a burst of creates) are applied together, once per this long. */
const BATCH_MS = 100;
/** After the stream was refused or lost for good (too many open tabs, say), try again this much later. */
const RETRY_MS = 15_000;

type Trpc = ReturnType<typeof useTRPC>;

/** The cached queries a change makes out of date: the kind's lists and pages, and what shows them. */
const staleBy = (trpc: Trpc, event: Extract<ProjectEvent, { type: 'change' }>): QueryKey[] => {
  switch (event.kind) {
    case 'project':
      return [trpc.projects.pathKey(), trpc.auth.whoami.queryKey()];
    case 'quota':
      return [trpc.quotas.pathKey()];
    case 'action':
      return [
        trpc.actions.pathKey(),
        ...(event.action ? [trpc[routerOf(event.action.resourceKind)].pathKey()] : []),
      ];
    default:
      // A resource of the registry: its lists (the overview counts them too) and its detail page.
      return event.kind in resourceKinds ? [trpc[routerOf(event.kind)].pathKey()] : [];
  }
};

/**
 * Keeps every page of the open project current: one change stream per open project, and each change
 * refreshes the cached lists, detail pages, overview and action tray it concerns, whether it came
 * from this tab, another one, a script or another person. A missed stretch (`resync`) refreshes
 * everything. Where the stream cannot be opened the pages keep refreshing as they do on their own.
 */
export const useProjectEvents = (projectId: string | undefined) => {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  useEffect(() => {
    const parsed = ProjectId.safeParse(projectId);
    // Not a project id: the page says the project was not found; there is nothing to follow.
    if (!parsed.success) return;
    let lastEventId: string | undefined;
    let stale = new Map<string, QueryKey>();
    let everything = false;
    let flush: ReturnType<typeof setTimeout> | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let subscription: { unsubscribe(): void } | undefined;
    let stopped = false;

    const apply = () => {
      flush = undefined;
      if (everything) void queryClient.invalidateQueries();
      else for (const key of stale.values()) void queryClient.invalidateQueries({ queryKey: key });
      everything = false;
      stale = new Map();
    };
    const schedule = () => (flush ??= setTimeout(apply, BATCH_MS));

    const open = () => {
      subscription = client.events.watch.subscribe(
        { projectId: parsed.data, ...(lastEventId ? { lastEventId } : {}) },
        {
          onData: ({ id, data }) => {
            lastEventId = id;
            if (data.type === 'resync') {
              everything = true;
              schedule();
            } else if (data.type === 'change') {
              for (const key of staleBy(trpc, data)) stale.set(JSON.stringify(key), key);
              schedule();
            }
          },
          onError: (error) => {
            // A signed-out session is the sign-in page's business; anything else is tried again later.
            if (stopped || isUncloudError(error, 'UNAUTHORIZED')) return;
            retry = setTimeout(open, RETRY_MS);
          },
        },
      );
    };
    open();
    return () => {
      stopped = true;
      subscription?.unsubscribe();
      clearTimeout(retry);
      clearTimeout(flush);
    };
  }, [projectId, client, queryClient, trpc]);
};
