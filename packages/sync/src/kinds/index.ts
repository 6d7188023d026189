import { appReconciler } from './app.ts';
import { bucketReconciler } from './bucket.ts';
import { databaseReconciler } from './database.ts';
import { databaseBackupReconciler } from './database-backup.ts';
import { dropletReconciler } from './droplet.ts';
import { firewallReconciler } from './firewall.ts';
import { withLaunchRefusal } from './launch-refusal.ts';
import { loadBalancerReconciler } from './load-balancer.ts';
import { projectReconciler } from './project.ts';
import { reservedIpReconciler } from './reserved-ip.ts';
import { snapshotReconciler } from './snapshot.ts';
import type { IntentKind, KindReconciler } from './types.ts';
import { volumeReconciler } from './volume.ts';

/** Every kind the engine reconciles, projects first so that namespaces exist before what goes in them. */
export const reconcilers: Record<IntentKind, KindReconciler> = {
  project: projectReconciler,
  volume: volumeReconciler,
  droplet: withLaunchRefusal(dropletReconciler),
  app: appReconciler,
  database: databaseReconciler,
  firewall: firewallReconciler,
  loadBalancer: loadBalancerReconciler,
  reservedIp: reservedIpReconciler,
  snapshot: snapshotReconciler,
  bucket: bucketReconciler,
  databaseBackup: databaseBackupReconciler,
};
