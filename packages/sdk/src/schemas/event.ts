import { z } from 'zod';
import { ProjectId } from './common.ts';
import { type ResourceKind, allResourceKinds } from './kinds.ts';
import { ActionResourceKind, ActionStatus, ActionType } from './action.ts';

/** What a change event is about: a resource of the registry, the project itself, its quota or an action. */
export const EventKind = z.enum([
  ...(allResourceKinds as [ResourceKind, ...ResourceKind[]]),
  'project',
  'quota',
  'action',
]);
export type EventKind = z.infer<typeof EventKind>;

/**
 * `events.watch`: the project to follow, and where to resume. `lastEventId` is the id of the last
 * event received (tRPC's `httpSubscriptionLink` sends it by itself when it reconnects).
 */
export const WatchEventsInput = z.object({
  projectId: ProjectId,
  lastEventId: z.string().max(100).nullish(),
});
// What callers pass (plain strings for ids), as for every procedure's input.
export type WatchEventsInput = z.input<typeof WatchEventsInput>;

/**
 * One change of intent or observed state. It names what changed (`changed`: field names only),
 * never the values: env values, user data and secrets reach no one through the stream; read the
 * resource with its `get` to see them, as the caller's role allows.
 */
export const ChangeEvent = z.object({
  type: z.literal('change'),
  kind: EventKind,
  id: z.string(),
  projectId: ProjectId,
  /** The resource's state (an action's status) after the change; null when it has none. */
  state: z.string().nullable(),
  /** Names of the fields that changed; empty for a resource that appeared or went away. */
  changed: z.array(z.string()),
  /** `created` the first time it is seen, `deleted` once it is gone. */
  change: z.enum(['created', 'updated', 'deleted']),
  /** For an action: what it does, to what, and where it stands. */
  action: z
    .object({
      type: ActionType,
      status: ActionStatus,
      resourceKind: ActionResourceKind,
      resourceId: z.string(),
    })
    .optional(),
  at: z.string(),
});
export type ChangeEvent = z.infer<typeof ChangeEvent>;

/**
 * What `events.watch` streams: changes; `resync` when the server cannot replay what was missed
 * (the last event id is too old, or from before a restart): refetch everything, then follow on;
 * `heartbeat` every few seconds, so that proxies keep the stream open and clients know it is alive.
 */
export const ProjectEvent = z.discriminatedUnion('type', [
  ChangeEvent,
  z.object({ type: z.literal('resync'), projectId: ProjectId, reason: z.string() }),
  z.object({ type: z.literal('heartbeat'), at: z.string() }),
]);
export type ProjectEvent = z.infer<typeof ProjectEvent>;
