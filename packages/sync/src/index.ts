export { WorkQueue, type WorkQueueOptions, type WorkResult } from './work-queue.ts';
export {
  createSyncEngine,
  type SyncEngine,
  type SyncEngineOptions,
  type SyncStatus,
  type SyncLogger,
  type SyncObserver,
} from './engine.ts';
export type { IntentKind, SyncSettings } from './kinds/types.ts';
export { contains } from './drift.ts';
export { networkProbe, type ProbeTarget, type TargetProbe } from './health/probe.ts';
export {
  HEALTH_CHECK_MODES,
  type HealthCheckMode,
  apiServerProxyProbe,
  defaultHealthCheckMode,
  offProbe,
} from './health/modes.ts';
export type { ProbeResult } from './health/judge.ts';
// What the engine would create for a resource, for tools that must make exactly the same objects.
export { reconcilers } from './kinds/index.ts';
export { directLookup } from './kinds/lookup.ts';
export {
  aggregatePodMetrics,
  createUsageSampler,
  USAGE_SELECTOR,
  type ResourceUsage,
  type UsageSampler,
  type UsageSamplerOptions,
} from './usage-sampler.ts';
// The provisioner: cluster components as intent.
export {
  createComponentReconciler,
  type ComponentReconciler,
  type ComponentReconcilerOptions,
} from './components/reconciler.ts';
export { runPreflight } from './components/preflight.ts';
export { newPassword } from './kinds/database.ts';
// Where backups' sizes are read and deleted backups' data removed: the engine's default, or a fake in tests.
export {
  type BackupObjectReader,
  type BackupObjectStore,
  ObjectMissing,
  type StoredObject,
  s3BackupObjectReader,
} from './backup-size/object-store.ts';
export { parseBackupInfo } from './backup-size/backup-info.ts';
