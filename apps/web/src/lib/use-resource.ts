import {
  keepPreviousData,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryKey,
  type UseMutationOptions,
  type UseQueryOptions,
  type UseQueryResult,
} from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { idPattern, sortKeysOf, type Action, type AppRouter, type Page } from '@uncloud/sdk';
import { useState } from 'react';
import { useProjectId } from '../app/use-project.ts';
import { isUncloudError } from './errors.ts';
import { resourceKinds, type ResourceKind } from './resource-kinds.ts';
import { isTransitional, POLL_MS } from './states.ts';
import { useTRPC } from './trpc.ts';
import { useActionsInFlight, useResourceActions, useWhenSettled } from './use-actions.ts';
import { useListControls, type CursorPager, type ListFacet, type ListSort } from './use-list-controls.ts';

/** What every resource row has; `state` only where Uncloud reconciles the resource. */
export interface ResourceRow {
  id: string;
  name: string;
  state?: string;
}

/** A resource as `get` returns it, e.g. `ResourceOf<'droplets'>` is `Droplet`. */
export type ResourceOf<K extends ResourceKind> = inferRouterOutputs<AppRouter>[K]['get'];

/** A list page's state; generic over the row so that shared components need not know the kind. */
export interface ResourceListState<T> {
  kind: ResourceKind;
  projectId: string;
  list: UseQueryResult<Page<T>, unknown>;
  filter: { value: string; onChange: (value: string) => void };
  /** Filters by state and tag, and the order; all kept in the address with the search and page. */
  state: ListFacet;
  tag: ListFacet;
  sort: ListSort;
  pager: CursorPager;
  /** Actions in progress, by resource id. */
  inFlight: Map<string, Action>;
  creating: boolean;
  setCreating: (open: boolean) => void;
  remove: (row: ResourceRow) => Promise<unknown>;
}

/** A detail page's state. */
export interface ResourceDetailState<T> {
  kind: ResourceKind;
  projectId: string;
  resource: UseQueryResult<T, unknown>;
  actions: UseQueryResult<Page<Action>, unknown>;
  inFlight: Action[];
  remove: () => Promise<unknown>;
  /**
   * The resource is not there to show: the id in the address is not one of this kind's (never
   * asked for), or the API answered that it does not exist.
   */
  missing: boolean;
}

type Options = Record<string, unknown>;

/**
 * The three procedures every resource router has, seen through the one shape they share. tRPC's
 * own types are per procedure, so one typed view here lets the hooks below serve every kind.
 */
interface ResourceProcedures<T> {
  pathKey: () => QueryKey;
  list: {
    queryOptions: (input: Options, opts: Options) => UseQueryOptions<Page<T>, unknown, Page<T>, QueryKey>;
    pathKey: () => QueryKey;
  };
  get: { queryOptions: (input: Options, opts: Options) => UseQueryOptions<T, unknown, T, QueryKey> };
  delete: {
    mutationOptions: (
      opts: Options,
    ) => UseMutationOptions<unknown, unknown, { projectId: string; id: string }>;
  };
}

export const proceduresOf = <K extends ResourceKind>(trpc: ReturnType<typeof useTRPC>, kind: K) =>
  trpc[kind] as unknown as ResourceProcedures<ResourceOf<K>>;

/**
 * Everything a resource list page needs: the project, name filter and paging, the list (refreshed
 * every 2 s while a row is changing or has an action in flight), the in-flight actions by row, the
 * create dialog's open state, and delete.
 */
export const useResourceList = <K extends ResourceKind>(kind: K): ResourceListState<ResourceOf<K>> => {
  const projectId = useProjectId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const procedures = proceduresOf(trpc, kind);
  const [creating, setCreating] = useState(false);
  const { filter, state, tag, sort, pager, listInput, facetInput } = useListControls(
    50,
    sortKeysOf(resourceKinds[kind].kind),
  );
  const inFlight = useActionsInFlight(projectId, resourceKinds[kind].hasActions);
  const list = useQuery(
    procedures.list.queryOptions(
      // Kinds whose list takes no state or tag simply ignore them (the schemas strip unknown keys).
      { projectId, ...listInput, ...facetInput },
      {
        placeholderData: keepPreviousData,
        refetchInterval: (q: { state: { data?: Page<ResourceRow> } }) =>
          q.state.data?.items.some(
            (row) => (row.state !== undefined && isTransitional(row.state)) || inFlight.has(row.id),
          )
            ? POLL_MS
            : false,
      },
    ),
  );
  const remove = useMutation(
    procedures.delete.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: procedures.pathKey() }),
    }),
  );
  return {
    kind,
    projectId,
    list,
    filter,
    state,
    tag,
    sort,
    pager,
    inFlight,
    creating,
    setCreating,
    remove: (row: ResourceRow) => remove.mutateAsync({ projectId, id: row.id }),
  };
};

/**
 * Everything a detail page needs: the resource (refreshed while it changes or an action on it is in
 * flight, and once more when that action ends), its recent actions, and delete.
 */
export const useResourceDetail = <K extends ResourceKind>(
  kind: K,
  id: string,
): ResourceDetailState<ResourceOf<K>> => {
  const projectId = useProjectId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const procedures = proceduresOf(trpc, kind);
  // An address with a mistyped or truncated id names nothing: say so at once, without asking.
  const wellFormed = idPattern(resourceKinds[kind].kind).test(id);
  const actions = useResourceActions(projectId, id, resourceKinds[kind].hasActions && wellFormed);
  const busy = actions.inFlight.length > 0;
  const resource = useQuery(
    procedures.get.queryOptions(
      { projectId, id },
      {
        enabled: wellFormed,
        refetchInterval: (q: { state: { data?: ResourceRow } }) => {
          const state = q.state.data?.state;
          return (state !== undefined && isTransitional(state)) || busy ? POLL_MS : false;
        },
        // A resource that is gone stays gone; anything else is worth another try.
        retry: (count: number, error: unknown) => !isGone(error) && count < 2,
      },
    ),
  );
  useWhenSettled(
    actions.inFlight.map((a: Action) => a.id),
    () => void queryClient.invalidateQueries({ queryKey: procedures.pathKey() }),
  );
  // Only the lists are refetched: this page is left once the delete is accepted, and asking for a
  // resource that may already be gone would only earn a 404.
  const remove = useMutation(
    procedures.delete.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: procedures.list.pathKey() }),
    }),
  );
  return {
    kind,
    projectId,
    resource,
    actions: actions.query,
    inFlight: actions.inFlight,
    remove: () => remove.mutateAsync({ projectId, id }),
    missing: !wellFormed || (resource.isError && isGone(resource.error)),
  };
};

/** Answers that asking again cannot change: the resource does not exist, or the id is not valid. */
const isGone = (error: unknown) => isUncloudError(error, 'NOT_FOUND') || isUncloudError(error, 'BAD_REQUEST');
