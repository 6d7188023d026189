import { usageRouter } from './routers/usage.ts';
import { actionsRouter } from './routers/actions.ts';
import { authRouter, tokensRouter, usersRouter } from './routers/account.ts';
import { appsRouter } from './routers/apps.ts';
import { auditRouter } from './routers/audit.ts';
import { bucketsRouter } from './routers/buckets.ts';
import { databaseOptionsRouter, imagesRouter, sizesRouter } from './routers/catalog.ts';
import { componentsRouter, systemActionsRouter } from './routers/components.ts';
import { databaseBackupsRouter } from './routers/database-backups.ts';
import { databasesRouter } from './routers/databases.ts';
import { eventsRouter } from './routers/events.ts';
import { dropletsRouter } from './routers/droplets.ts';
import { firewallsRouter } from './routers/firewalls.ts';
import { loadBalancersRouter } from './routers/load-balancers.ts';
import { reservedIpsRouter } from './routers/reserved-ips.ts';
import { projectsRouter } from './routers/projects.ts';
import { quotasRouter } from './routers/quotas.ts';
import { registryRouter } from './routers/registry.ts';
import { snapshotsRouter } from './routers/snapshots.ts';
import { sshKeysRouter } from './routers/ssh-keys.ts';
import { syncRouter } from './routers/sync.ts';
import { volumesRouter } from './routers/volumes.ts';
import { router } from './trpc.ts';

export const appRouter = router({
  auth: authRouter,
  users: usersRouter,
  tokens: tokensRouter,
  projects: projectsRouter,
  quotas: quotasRouter,
  sizes: sizesRouter,
  images: imagesRouter,
  databaseOptions: databaseOptionsRouter,
  sshKeys: sshKeysRouter,
  droplets: dropletsRouter,
  volumes: volumesRouter,
  apps: appsRouter,
  databases: databasesRouter,
  firewalls: firewallsRouter,
  loadBalancers: loadBalancersRouter,
  reservedIps: reservedIpsRouter,
  snapshots: snapshotsRouter,
  buckets: bucketsRouter,
  databaseBackups: databaseBackupsRouter,
  registry: registryRouter,
  actions: actionsRouter,
  usage: usageRouter,
  sync: syncRouter,
  components: componentsRouter,
  systemActions: systemActionsRouter,
  audit: auditRouter,
  events: eventsRouter,
});

export type AppRouter = typeof appRouter;
