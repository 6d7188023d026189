import { tracked, type TrackedEnvelope } from '@trpc/server';
import { accountsRepository as accounts, type IntentStore } from '@uncloud/db';
import { type ProjectEvent, type UserId, tooManyRequests, unauthorized } from '@uncloud/sdk';
import type { EventService, ProjectScope } from '@uncloud/sdk/contract';
import type { ChangeFeed, FeedRecord } from '../change-feed.ts';
import { accessProject } from './projects.ts';

export interface StreamLimits {
  /** Change streams open at once, all users together. */
  maxStreams: number;
  /** Change streams one user may hold open at once. */
  maxStreamsPerUser: number;
  /** Time between two heartbeats on an idle stream. */
  heartbeatMs: number;
}

/**
 * The open change streams: counted against the limits, and ended together when the server shuts
 * down (an open stream would otherwise keep its connection, and the shutdown, waiting).
 */
export const createStreamRegistry = (limits: StreamLimits) => {
  const perUser = new Map<UserId, number>();
  const enders = new Set<() => void>();
  let open = 0;
  let closed = false;
  return {
    limits,
    /** Counts a new stream, or refuses it; the returned function gives the place back (once). */
    acquire(userId: UserId) {
      if (closed) throw tooManyRequests('The server is shutting down; reconnect in a moment');
      if (open >= limits.maxStreams)
        throw tooManyRequests(
          `The server has ${limits.maxStreams} change streams open, its limit; try again later`,
        );
      const mine = perUser.get(userId) ?? 0;
      if (mine >= limits.maxStreamsPerUser)
        throw tooManyRequests(
          `You have ${mine} change streams open, the limit per user; close a tab or a script that watches`,
        );
      open++;
      perUser.set(userId, mine + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        open--;
        const left = (perUser.get(userId) ?? 1) - 1;
        if (left > 0) perUser.set(userId, left);
        else perUser.delete(userId);
      };
    },
    /** Calls `end` on shutdown; the returned function forgets it. */
    onClose(end: () => void) {
      enders.add(end);
      return () => enders.delete(end);
    },
    get open() {
      return open;
    },
    closeAll() {
      closed = true;
      for (const end of enders) end();
      enders.clear();
    },
  };
};

export type StreamRegistry = ReturnType<typeof createStreamRegistry>;

/**
 * The caller as the database says now: a revoked or expired token and a disabled user are refused,
 * and the project is entered through the one door every query uses (membership, role, token scope).
 */
export const recheck = (store: IntentStore, scope: ProjectScope) => {
  const { caller } = scope;
  const token = accounts.findToken(store.db, caller.userId, caller.tokenId);
  const user = accounts.findUser(store.db, caller.userId);
  if (!token || !user || user.disabledAt || (token.expiresAt && token.expiresAt.getTime() <= Date.now()))
    throw unauthorized('This API token no longer works; sign in again');
  const scoped = token.projectIds;
  accessProject(
    store.db,
    { ...caller, isAdmin: user.isAdmin && !scoped, projectIds: scoped },
    scope.projectId,
  );
};

export interface EventServiceDeps {
  store: IntentStore;
  feed: ChangeFeed;
  streams: StreamRegistry;
}

export const createEventService = ({ store, feed, streams }: EventServiceDeps): EventService => ({
  watch(scope, input, signal) {
    // Counted at once, so that a stream over the limit is refused like any call.
    const release = streams.acquire(scope.caller.userId);
    signal?.addEventListener('abort', release, { once: true });
    return (async function* (): AsyncGenerator<TrackedEnvelope<ProjectEvent>> {
      const queue: FeedRecord[] = [];
      let wake: (() => void) | undefined;
      let ended = false;
      const end = () => {
        ended = true;
        wake?.();
      };
      const forget = streams.onClose(end);
      signal?.addEventListener('abort', end, { once: true });
      const following = feed.follow(
        scope.projectId,
        (record) => {
          queue.push(record);
          wake?.();
        },
        input.lastEventId,
      );
      try {
        let lastId = input.lastEventId && following.missed ? input.lastEventId : feed.headId();
        if (following.missed === null) {
          yield tracked(lastId, {
            type: 'resync',
            projectId: scope.projectId,
            reason: 'The changes since your last event are no longer kept; fetch the project again',
          });
        } else {
          queue.unshift(...following.missed);
        }
        // The first heartbeat tells the client the stream is open.
        yield tracked(lastId, { type: 'heartbeat', at: new Date().toISOString() });
        while (!ended) {
          if (queue.length === 0) {
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, streams.limits.heartbeatMs);
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
            wake = undefined;
          }
          if (ended) break;
          // Whoever lost access since the last event gets no more: the same answer a query would get.
          recheck(store, scope);
          if (queue.length === 0) {
            yield tracked(lastId, { type: 'heartbeat', at: new Date().toISOString() });
            continue;
          }
          for (const record of queue.splice(0)) {
            lastId = feed.idOf(record.seq);
            yield tracked(lastId, record.event);
          }
        }
      } finally {
        following.stop();
        forget();
        signal?.removeEventListener('abort', end);
        signal?.removeEventListener('abort', release);
        release();
      }
    })();
  },
});
