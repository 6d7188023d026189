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
