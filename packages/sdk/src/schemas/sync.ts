import { z } from 'zod';
import { IsoDateTime } from './common.ts';

/** Health of the sync engine, for operators and the dashboard's overview. */
export const SyncStatus = z.object({
  /** `simulated`: the embedded cluster; `external`: a cluster from KUBECONFIG; `none`: intent only. */
  clusterMode: z.enum(['simulated', 'external', 'none']),
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
});
export type SyncStatus = z.infer<typeof SyncStatus>;
