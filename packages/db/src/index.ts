export { openIntentStore, type Db, type IntentStore } from './client.ts';
export { hasSyncHeads, syncHeads, type SyncHead, type SyncHeadKind } from './repositories/sync-heads.ts';
export { firewallsInProject, taggedInProject, type TaggedRow } from './repositories/tagged.ts';
export { newId, type IdOf } from './ids.ts';
export * as tables from './schema.ts';
export type * from './schema.ts';
export { accountsRepository } from './repositories/accounts.ts';
export { auditRepository, type AuditEventView, type AuditFilter } from './repositories/audit.ts';
export { projectsRepository, quotasRepository } from './repositories/projects.ts';
export { imagesRepository } from './repositories/images.ts';
export { sshKeysRepository } from './repositories/ssh-keys.ts';
export { registryCredentialsRepository } from './repositories/registry-credentials.ts';
export { settingsRepository } from './repositories/settings.ts';
export {
  actionsRepository,
  type ActionFilter,
  type ActionProgress,
  type ActionResourceId,
  type Revert,
} from './repositories/actions.ts';
export {
  usageRepository,
  type UsagePointRow,
  type UsageResource,
  type UsageResourceId,
  type UsageResourceKind,
  type UsageSample,
} from './repositories/usage.ts';
export {
  appsRepository,
  backupSourceOf,
  bucketsRepository,
  databaseBackupsRepository,
  createResourceRepository,
  databasesRepository,
  dropletsRepository,
  firewallsRepository,
  loadBalancersRepository,
  reservedIpsRepository,
  snapshotsRepository,
  recordTargetHealth,
  recordBucketUsage,
  volumeAttachments,
  volumesRepository,
  type ListFilter,
  type ReconciledTable,
  type ResourceRepository,
  type SyncRecord,
} from './repositories/resources.ts';
export type { Page, PageRequest } from './repositories/pagination.ts';
export {
  componentsRepository,
  type ClusterCapabilities,
  type ComponentRecord,
  type ComponentRow,
} from './repositories/components.ts';
