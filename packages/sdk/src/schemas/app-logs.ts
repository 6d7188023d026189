import { z } from 'zod';
import { AppId, ProjectId } from './common.ts';

/** A Kubernetes pod name (DNS subdomain): one replica of an app. */
const PodName = z
  .string()
  .max(253)
  .regex(
    /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
    'a replica name as the replica picker lists it, e.g. app-…-x7k2p',
  );

/** The most lines one request may ask for, per replica. */
export const MAX_LOG_TAIL_LINES = 5000;

const logFilter = {
  projectId: ProjectId,
  id: AppId,
  /** One replica (a pod of the app); all replicas when absent. */
  pod: PodName.optional(),
  /** Only lines written in the last this many seconds (at most a week). */
  sinceSeconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600)
    .optional(),
};

export const AppLogsInput = z.object({
  ...logFilter,
  /** The last this many lines of each replica. */
  tailLines: z.number().int().min(1).max(MAX_LOG_TAIL_LINES).default(200),
});
export type AppLogsInput = z.input<typeof AppLogsInput>;

export const FollowAppLogsInput = z.object({
  ...logFilter,
  /** Lines of each replica's recent log to start with, before the new ones (0: only new lines). */
  tailLines: z.number().int().min(0).max(MAX_LOG_TAIL_LINES).default(0),
});
export type FollowAppLogsInput = z.input<typeof FollowAppLogsInput>;

/** One line an app's container wrote, from one replica. */
export const AppLogLine = z.object({
  pod: z.string(),
  /** When the container wrote it (RFC 3339), as the cluster recorded it. */
  at: z.string().nullable(),
  text: z.string(),
});
export type AppLogLine = z.infer<typeof AppLogLine>;

/** One replica of an app: a pod the cluster runs for it. */
export const AppReplica = z.object({
  pod: z.string(),
  phase: z.string(),
  ready: z.boolean(),
  restarts: z.number().int(),
  startedAt: z.string().nullable(),
});
export type AppReplica = z.infer<typeof AppReplica>;

/** An app's recent logs: its replicas (for the picker) and their lines, oldest first. */
export const AppLogs = z.object({
  replicas: z.array(AppReplica),
  lines: z.array(AppLogLine),
});
export type AppLogs = z.infer<typeof AppLogs>;
