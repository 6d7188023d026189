import type { ComponentService, EventService, Services } from '@uncloud/sdk/contract';
import { createAuthService, createUserService } from './accounts.ts';
import { createActionService } from './actions.ts';
import { createAppService } from './apps.ts';
import { createAuditService } from './audit.ts';
import { createBucketService } from './buckets.ts';
import { createDatabaseBackupService } from './database-backups.ts';
import { createDatabaseService } from './databases.ts';
import type { ServiceDeps } from './deps.ts';
import { createDropletService } from './droplets.ts';
import { createFirewallService } from './firewalls.ts';
import { createLoadBalancerService } from './load-balancers.ts';
import { createImageService } from './images.ts';
import { createProjectService } from './projects.ts';
import { createQuotaService } from './quotas.ts';
import { createRegistryService } from './registry.ts';
import { createReservedIpService } from './reserved-ips.ts';
import { createSnapshotService } from './snapshots.ts';
import { createSshKeyService } from './ssh-keys.ts';
import { createSyncStatusService } from './sync.ts';
import { createUsageService } from './usage.ts';
import { createVolumeService } from './volumes.ts';

/** The contract's ports, implemented over the SQLite intent store. */
export const createServices = (
  deps: ServiceDeps,
  events: EventService,
  components: ComponentService,
): Services => ({
  events,
  components,
  sync: createSyncStatusService(deps),
  auth: createAuthService(deps),
  users: createUserService(deps),
  projects: createProjectService(deps),
  quotas: createQuotaService(deps),
  sshKeys: createSshKeyService(deps),
  droplets: createDropletService(deps),
  volumes: createVolumeService(deps),
  apps: createAppService(deps),
  databases: createDatabaseService(deps),
  firewalls: createFirewallService(deps),
  loadBalancers: createLoadBalancerService(deps),
  reservedIps: createReservedIpService(deps),
  snapshots: createSnapshotService(deps),
  buckets: createBucketService(deps),
  databaseBackups: createDatabaseBackupService(deps),
  registry: createRegistryService(deps, deps.registry ?? { host: undefined, api: undefined }),
  images: createImageService(deps),
  usage: createUsageService(deps),
  actions: createActionService(deps),
  audit: createAuditService(deps),
});
