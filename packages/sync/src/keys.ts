import {
  AppId,
  BucketId,
  DatabaseBackupId,
  DatabaseId,
  DropletId,
  FirewallId,
  type IntentKind,
  LoadBalancerId,
  ProjectId,
  ReservedIpId,
  SnapshotId,
  VolumeId,
} from '@uncloud/sdk';

/** The id schema of each kind the engine reconciles: what a key's id must look like. */
const idSchemas = {
  project: ProjectId,
  droplet: DropletId,
  volume: VolumeId,
  app: AppId,
  database: DatabaseId,
  firewall: FirewallId,
  loadBalancer: LoadBalancerId,
  reservedIp: ReservedIpId,
  snapshot: SnapshotId,
  bucket: BucketId,
  databaseBackup: DatabaseBackupId,
} as const satisfies Record<IntentKind, unknown>;

/** The id of a resource of one kind the engine reconciles (`DropletId` for `droplet`). */
export type IntentIdOf<K extends IntentKind> = ReturnType<(typeof idSchemas)[K]['parse']>;
/** The id of any resource the engine reconciles. */
export type IntentId = IntentIdOf<IntentKind>;

/** A work queue key: `droplet:dpl_…`. */
export type Key = `${IntentKind}:${string}`;
export const keyOf = (kind: IntentKind, id: string): Key => `${kind}:${id}`;

const isIntentKind = (kind: string): kind is IntentKind => Object.hasOwn(idSchemas, kind);

/** What a key names, with its id checked against the kind's id schema; undefined for anything else. */
export const parseKey = (key: string): { kind: IntentKind; id: IntentId } | undefined => {
  const at = key.indexOf(':');
  const kind = key.slice(0, at);
  if (!isIntentKind(kind)) return undefined;
  const id = idSchemas[kind].safeParse(key.slice(at + 1));
  return id.success ? { kind, id: id.data } : undefined;
};
