import { z } from 'zod';
import { IsoDateTime } from './common.ts';

/** Health of the sync engine, for operators and the dashboard's overview. */
export const SyncStatus = z.object({
  /** `simulated`: the embedded cluster; `external`: a cluster from KUBECONFIG; `none`: intent only. */
  clusterMode: z.enum(['simulated', 'external', 'none']),
  /**
   * Where the cluster came from (`UNCLOUD_CLUSTER`, chosen or detected): `embedded` (the simulated
   * cluster), `kubeconfig`, or `in-cluster` (the service account of the pod Uncloud runs in).
   */
  clusterSource: z.enum(['embedded', 'kubeconfig', 'in-cluster']).nullable(),
  /** This installation's id: the `uncloud.dev/installation` label of every object it writes. */
  installationId: z.string().nullable(),
  /**
   * Orphans the last resync found but refused to delete, because they were more than the allowed
   * share of the managed objects (an empty or wrong database?); 0 when it deleted what it found.
   */
  orphansWithheld: z.number().int(),
  /** Objects labelled as Uncloud's that another installation wrote: never touched by this one. */
  otherInstallationObjects: z.number().int(),
  /** Whether this process holds the lease and reconciles. */
  leader: z.boolean(),
  /** False while Kubernetes cannot be reached: runtime facts are stale. */
  reachable: z.boolean(),
  lastContactAt: IsoDateTime.nullable(),
  lastResyncAt: IsoDateTime.nullable(),
  lastResyncMs: z.number().nullable(),
  resyncIntervalMs: z.number().int().nullable(),
  queueDepth: z.number().int(),
  inFlight: z.number().int(),
  reconciles: z.number().int(),
  errors: z.number().int(),
  driftCorrected: z.number().int(),
  /**
   * Every load balancer target's health check goes unanswered at once: more likely the network of
   * the server that checks than every target, so no target is taken out of rotation for it.
   */
  healthChecksUnanswered: z.boolean(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;
