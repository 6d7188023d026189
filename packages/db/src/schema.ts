import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { ActionProgress } from './repositories/actions.ts';
import type {
  ActionId,
  ActionResourceKind,
  ActionStatus,
  ActionType,
  AppDatabaseAttachment,
  AppId,
  AuditEventId,
  BucketId,
  ComponentAction,
  DatabaseBackupId,
  DatabaseBackupOrigin,
  ComponentActionType,
  ComponentHealthItem,
  ComponentName,
  ComponentState,
  DatabaseEngine,
  DatabaseId,
  DatabaseSizeSlug,
  DropletId,
  DropletImageSlug,
  DropletSizeSlug,
  DropletState,
  ErrorCode,
  Filesystem,
  FirewallId,
  ForwardingRule,
  HealthCheck,
  TargetHealth,
  TlsCertificateInput,
  ImageSourceType,
  LoadBalancerId,
  InboundRule,
  ReservedIpId,
  OutboundRule,
  ProjectId,
  ProjectRole,
  RegistryCredentialId,
  ResourceState,
  SnapshotId,
  SnapshotResourceKind,
  SshKeyId,
  StorageVariant,
  TokenId,
  UserId,
  VolumeId,
} from '@uncloud/sdk';

const now = sql`(unixepoch('subsec') * 1000)`;
const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });
const json = <T>(name: string) => text(name, { mode: 'json' }).$type<T>();

/**
 * Columns every reconciled resource carries: intent bookkeeping (`generation` bumps on every change
 * of intent), what the sync engine last applied (`observed_generation`) and when it last looked.
 */
const reconciled = () => ({
  generation: integer('generation').notNull().default(1),
  observedGeneration: integer('observed_generation').notNull().default(0),
  observedAt: timestamp('observed_at'),
  syncError: text('sync_error'),
  createdAt: timestamp('created_at').notNull().default(now),
  updatedAt: timestamp('updated_at').notNull().default(now),
  deletedAt: timestamp('deleted_at'),
});

/** A text id column holding one kind of branded id (type-only: the column stays TEXT). */
const id = <Id extends string>(name = 'id') => text(name).$type<Id>();

export const users = sqliteTable('users', {
  id: id<UserId>().primaryKey(),
  name: text('name').notNull().unique(),
  email: text('email'),
  isAdmin: integer('is_admin', { mode: 'boolean' }).notNull().default(false),
  createdAt: timestamp('created_at').notNull().default(now),
  /** Set by an administrator: the user's tokens are refused until it is cleared. */
  disabledAt: timestamp('disabled_at'),
});

export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: id<TokenId>().primaryKey(),
    userId: id<UserId>('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** SHA-256 of the token; the token itself is never stored. */
    tokenHash: text('token_hash').notNull().unique(),
    /** The secret's first characters, to recognise it; null for tokens issued before they were kept. */
    prefix: text('prefix'),
    createdAt: timestamp('created_at').notNull().default(now),
    lastUsedAt: timestamp('last_used_at'),
    /** Where the token was last used from: the client's address and its User-Agent (cut short). */
    lastUsedIp: text('last_used_ip'),
    lastUsedUserAgent: text('last_used_user_agent'),
    /** When the token stops working; null: never. */
    expiresAt: timestamp('expires_at'),
    /** Refused every mutation. */
    readOnly: integer('read_only', { mode: 'boolean' }).notNull().default(false),
    /** The only projects the token may enter; null: every project of its user. */
    projectIds: json<ProjectId[]>('project_ids'),
  },
  (t) => [index('api_tokens_user_idx').on(t.userId)],
);

export const projects = sqliteTable(
  'projects',
  {
    id: id<ProjectId>().primaryKey(),
    name: text('name').notNull().unique(),
    description: text('description').notNull().default(''),
    purpose: text('purpose').notNull(),
    isDefault: integer('is_default', { mode: 'boolean' }).notNull().default(false),
    state: text('state').$type<ResourceState>().notNull().default('pending'),
    namespace: text('namespace'),
    /**
     * The project's ResourceQuota `status.used` as last observed, as JSON with sorted keys (a string,
     * so that an unchanged observation compares equal): what Kubernetes counts against the quota.
     */
    quotaUsed: text('quota_used'),
    ...reconciled(),
  },
  (t) => [index('projects_created_idx').on(t.createdAt, t.id)],
);

export const memberships = sqliteTable(
  'memberships',
  {
    projectId: id<ProjectId>('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    userId: id<UserId>('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').$type<ProjectRole>().notNull(),
    createdAt: timestamp('created_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.userId] }), index('memberships_user_idx').on(t.userId)],
);

export const quotas = sqliteTable('quotas', {
  projectId: id<ProjectId>('project_id')
    .primaryKey()
    .references(() => projects.id, { onDelete: 'cascade' }),
  droplets: integer('droplets').notNull(),
  vcpus: integer('vcpus').notNull(),
  memoryMiB: integer('memory_mib').notNull(),
  volumeGiB: integer('volume_gib').notNull(),
  apps: integer('apps').notNull(),
  databases: integer('databases').notNull(),
  reservedIps: integer('reserved_ips').notNull().default(5),
  loadBalancers: integer('load_balancers').notNull().default(10),
  state: text('state').$type<ResourceState>().notNull().default('pending'),
  ...reconciled(),
});

/** Columns and indexes shared by every project-scoped resource table. */
const projectScoped = <Id extends string>() => ({
  id: id<Id>().primaryKey(),
  projectId: id<ProjectId>('project_id')
    .notNull()
    .references(() => projects.id, { onDelete: 'restrict' }),
  name: text('name').notNull(),
});

export const sshKeys = sqliteTable(
  'ssh_keys',
  {
    ...projectScoped<SshKeyId>(),
    publicKey: text('public_key').notNull(),
    fingerprint: text('fingerprint').notNull(),
    createdAt: timestamp('created_at').notNull().default(now),
    updatedAt: timestamp('updated_at').notNull().default(now),
  },
  (t) => [
    uniqueIndex('ssh_keys_project_name_uq').on(t.projectId, t.name),
    uniqueIndex('ssh_keys_project_fingerprint_uq').on(t.projectId, t.fingerprint),
    index('ssh_keys_page_idx').on(t.projectId, t.createdAt, t.id),
  ],
);

export const droplets = sqliteTable(
  'droplets',
  {
    ...projectScoped<DropletId>(),
    size: text('size').$type<DropletSizeSlug>().notNull(),
    image: text('image').$type<DropletImageSlug>().notNull(),
    sshKeyIds: json<SshKeyId[]>('ssh_key_ids').notNull(),
    tags: json<string[]>('tags').notNull(),
    userData: text('user_data'),
    /** Intent: whether the droplet should run (`powerOff` clears it). */
    poweredOn: integer('powered_on', { mode: 'boolean' }).notNull().default(true),
    state: text('state').$type<DropletState>().notNull().default('pending'),
    ip: text('ip'),
    /** The address its LoadBalancer Service was given (reachable from outside the cluster). */
    publicIp: text('public_ip'),
    /**
     * Its root disk's DataVolume, when a rebuild or restore replaced the first one (`<vm>-root`): a
     * new name is a new disk.
     */
    rootDisk: text('root_disk'),
    /** The snapshot the root disk was made from (create or rebuild from a snapshot, restore). */
    rootDiskSnapshotId: id<SnapshotId>('root_disk_snapshot_id'),
    /** The VolumeSnapshot that snapshot's root disk is, kept so the disk's source outlives it. */
    rootDiskVolumeSnapshot: text('root_disk_volume_snapshot'),
    node: text('node'),
    phase: text('phase'),
    ...reconciled(),
  },
  (t) => [
    uniqueIndex('droplets_project_name_uq').on(t.projectId, t.name),
    index('droplets_page_idx').on(t.projectId, t.createdAt, t.id),
  ],
);

export const volumes = sqliteTable(
  'volumes',
  {
    ...projectScoped<VolumeId>(),
    sizeGiB: integer('size_gib').notNull(),
    filesystem: text('filesystem').$type<Filesystem>().notNull(),
    description: text('description').notNull().default(''),
    tags: json<string[]>('tags').notNull(),
    dropletId: id<DropletId>('droplet_id').references(() => droplets.id, { onDelete: 'set null' }),
    state: text('state').$type<ResourceState>().notNull().default('pending'),
    phase: text('phase'),
    capacityGiB: integer('capacity_gib'),
    /** The snapshot it was restored from, and its VolumeSnapshot (the claim's dataSource). */
    snapshotId: id<SnapshotId>('snapshot_id'),
    volumeSnapshot: text('volume_snapshot'),
    ...reconciled(),
  },
  (t) => [
    uniqueIndex('volumes_project_name_uq').on(t.projectId, t.name),
    index('volumes_page_idx').on(t.projectId, t.createdAt, t.id),
    index('volumes_droplet_idx').on(t.dropletId),
  ],
);

/**
 * Custom droplet images an administrator added: where CDI imports a droplet's root disk from, pinned
 * (a registry digest, or an HTTP URL with its checksum). The stock images are not stored here.
 */
export const images = sqliteTable('images', {
  slug: text('slug').primaryKey(),
  distribution: text('distribution').notNull(),
  version: text('version').notNull(),
  sourceType: text('source_type').$type<ImageSourceType>().notNull(),
  url: text('url').notNull(),
  checksum: text('checksum'),
  createdBy: id<UserId>('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at').notNull().default(now),
});

/**
 * Snapshots of a droplet's root disk (a VirtualMachineSnapshot) or of a volume (a VolumeSnapshot).
 * No foreign key to what they were taken of: a snapshot outlives its droplet or volume.
 */
export const snapshots = sqliteTable(
  'snapshots',
  {
    ...projectScoped<SnapshotId>(),
    resourceKind: text('resource_kind').$type<SnapshotResourceKind>().notNull(),
    resourceId: text('resource_id').$type<DropletId | VolumeId>().notNull(),
    resourceName: text('resource_name').notNull(),
    sizeGiB: integer('size_gib').notNull(),
    dropletSize: text('droplet_size').$type<DropletSizeSlug>(),
    image: text('image').$type<DropletImageSlug>(),
    filesystem: text('filesystem').$type<Filesystem>(),
    state: text('state').$type<ResourceState>().notNull().default('pending'),
    /** The VolumeSnapshot holding the disk (a droplet's root disk's, inside its VM snapshot). */
    volumeSnapshot: text('volume_snapshot'),
    ...reconciled(),
  },
  (t) => [
    uniqueIndex('snapshots_project_name_uq').on(t.projectId, t.name),
    index('snapshots_page_idx').on(t.projectId, t.createdAt, t.id),
    index('snapshots_resource_idx').on(t.resourceId),
  ],
);

export const apps = sqliteTable(
  'apps',
  {
    ...projectScoped<AppId>(),
    image: text('image').notNull(),
    port: integer('port').notNull(),
    replicas: integer('replicas').notNull(),
    env: json<Record<string, string>>('env').notNull(),
    domains: json<string[]>('domains').notNull(),
    healthCheckPath: text('health_check_path'),
    tags: json<string[]>('tags').notNull(),
    /** The image the last image-changing deploy replaced: what `rollback` goes back to. */
    previousImage: text('previous_image'),
    /** Databases attached to the app: their credentials Secret reaches its pods as variables. */
    databases: json<AppDatabaseAttachment[]>('databases').notNull().default([]),
    /** Set by `redeploy`: a new value restarts every replica (the rollout-restart annotation). */
    restartedAt: timestamp('restarted_at'),
    state: text('state').$type<ResourceState>().notNull().default('pending'),
    readyReplicas: integer('ready_replicas'),
    availableReplicas: integer('available_replicas'),
    updatedReplicas: integer('updated_replicas'),
    url: text('url'),
    ...reconciled(),
  },
  (t) => [
    uniqueIndex('apps_project_name_uq').on(t.projectId, t.name),
    index('apps_page_idx').on(t.projectId, t.createdAt, t.id),
  ],
);

export const databases = sqliteTable(
  'databases',
  {
    ...projectScoped<DatabaseId>(),
    engine: text('engine').$type<DatabaseEngine>().notNull(),
    version: text('version').notNull(),
    size: text('size').$type<DatabaseSizeSlug>().notNull(),
    nodes: integer('nodes').notNull(),
    /** Disk per node when grown past the size's own; null means the size's disk. */
    storageGiB: integer('storage_gib'),
    /** Bumped by `resetPassword`: the credentials Secret is rewritten when it carries an older one. */
    passwordRevision: integer('password_revision').notNull().default(1),
    /**
     * The revision whose password the server accepts: written by the sync engine once a reset took
     * effect (the engine's Job ran, or CloudNativePG applied the role's Secret). Attached apps
     * redeploy when it changes.
     */
    activePasswordRevision: integer('active_password_revision').notNull().default(1),
    tags: json<string[]>('tags').notNull(),
    state: text('state').$type<ResourceState>().notNull().default('pending'),
    readyNodes: integer('ready_nodes'),
    primaryInstance: text('primary_instance'),
    connectionHost: text('connection_host'),
    connectionPort: integer('connection_port'),
    connectionDatabase: text('connection_database'),
    connectionUser: text('connection_user'),
    /** Backup settings: the bucket (null: scheduled backups off), schedule and retention. */
    backupBucketId: id<BucketId>('backup_bucket_id'),
    backupSchedule: text('backup_schedule'),
    backupRetentionDays: integer('backup_retention_days'),
    /** What a restored database was made from (`databases.restore`); fixed at creation. */
    restoreFrom: json<DatabaseRestoreSource>('restore_from'),
    /**
     * Runtime: when a restored MySQL or Valkey database's restore Job was seen complete. From then
     * on its data is its own: the Job is not kept or made again (it would load the dump over it).
     */
    restoreLoadedAt: timestamp('restore_loaded_at'),
    /** Runtime: the point-in-time window CloudNativePG reports (`firstRecoverabilityPoint`, …). */
    firstRecoverabilityPoint: timestamp('first_recoverability_point'),
    lastSuccessfulBackup: timestamp('last_successful_backup'),
    ...reconciled(),
  },
  (t) => [
    uniqueIndex('databases_project_name_uq').on(t.projectId, t.name),
    index('databases_page_idx').on(t.projectId, t.createdAt, t.id),
  ],
);

/** Where a restored database's data comes from: a backup, or a database's backups and WAL at a time. */
export interface DatabaseRestoreSource {
  databaseId: DatabaseId;
  bucketId: BucketId;
  /** The backup's name in the cluster and bucket (and its id), or null for a point in time. */
  backupId: DatabaseBackupId | null;
  backupName: string | null;
  targetTime: string | null;
}

/** A database's engine, version and shape when a backup of it was taken. */
export interface DatabaseBackupSource {
  name: string;
  engine: DatabaseEngine;
  version: string;
  size: DatabaseSizeSlug;
  nodes: number;
  storageGiB: number | null;
}

/**
 * Backups of databases (a CloudNativePG Backup, or a Job's dump for MySQL and Valkey). No foreign
 * key to the database: a backup outlives it, and is what it is restored from.
 */
export const databaseBackups = sqliteTable(
  'database_backups',
  {
    ...projectScoped<DatabaseBackupId>(),
    databaseId: id<DatabaseId>('database_id').notNull(),
    databaseName: text('database_name').notNull(),
    engine: text('engine').$type<DatabaseEngine>().notNull(),
    bucketId: id<BucketId>('bucket_id').notNull(),
    origin: text('origin').$type<DatabaseBackupOrigin>().notNull(),
    /** The object's name in the cluster (a scheduled one's is the operator's) and in the bucket. */
    objectName: text('object_name').notNull(),
    state: text('state').$type<ResourceState>().notNull().default('pending'),
    /** Runtime: what the backup tool reports. */
    phase: text('phase'),
    startedAt: timestamp('started_at'),
    stoppedAt: timestamp('stopped_at'),
    beginWal: text('begin_wal'),
    endWal: text('end_wal'),
    error: text('error'),
    /** Runtime: bytes in the bucket (barman's backup.info, or the dump object's), once read. */
    sizeBytes: integer('size_bytes'),
    /** Runtime: why the size could not be read, in words (null while unread or when known). */
    sizeNote: text('size_note'),
    /** The database as it was when backed up: what a restore defaults to and must match. */
    source: json<DatabaseBackupSource>('source'),
    /**
     * Where its data is in the bucket, `s3://<bucket>/<key or prefix/>` (PostgreSQL: Barman's base
     * backup directory, from the Backup's status): what a delete removes once the Backup is gone.
     */
    dataLocation: text('data_location'),
    /** When its data was removed from the bucket: a backup being deleted is gone only after that. */
    dataDeletedAt: timestamp('data_deleted_at'),
    ...reconciled(),
  },
  (t) => [
    uniqueIndex('database_backups_project_name_uq').on(t.projectId, t.name),
    index('database_backups_page_idx').on(t.projectId, t.createdAt, t.id),
    index('database_backups_database_idx').on(t.databaseId),
  ],
);

export const firewalls = sqliteTable(
  'firewalls',
  {
    ...projectScoped<FirewallId>(),
    inbound: json<InboundRule[]>('inbound').notNull(),
    outbound: json<OutboundRule[]>('outbound').notNull(),
    targets: json<string[]>('targets').notNull(),
    allowDns: integer('allow_dns', { mode: 'boolean' }).notNull().default(true),
    state: text('state').$type<ResourceState>().notNull().default('pending'),
    /** Runtime: the droplet and app ids the policy in the cluster selects. */
    appliedTo: json<string[]>('applied_to').notNull().default([]),
    /** Runtime: the kind of policy enforcing it (`CiliumNetworkPolicy` or `NetworkPolicy`). */
    policyKind: text('policy_kind'),
    ...reconciled(),
  },
  (t) => [
    uniqueIndex('firewalls_project_name_uq').on(t.projectId, t.name),
    index('firewalls_page_idx').on(t.projectId, t.createdAt, t.id),
  ],
);

/** Load balancers: a LoadBalancer Service in front of droplets named by id or by tag. */
export const loadBalancers = sqliteTable(
  'load_balancers',
  {
    ...projectScoped<LoadBalancerId>(),
    forwardingRules: json<ForwardingRule[]>('forwarding_rules').notNull(),
    healthCheck: json<HealthCheck>('health_check').notNull(),
    dropletIds: json<DropletId[]>('droplet_ids').notNull(),
    tag: text('tag'),
    stickySessions: integer('sticky_sessions', { mode: 'boolean' }).notNull().default(false),
    /** The HTTPS certificate: uploaded (certificate and key, written to a Secret) or cert-manager's. */
    tlsCertificate: json<TlsCertificateInput>('tls_certificate'),
    redirectHttpToHttps: integer('redirect_http_to_https', { mode: 'boolean' }).notNull().default(false),
    state: text('state').$type<ResourceState>().notNull().default('pending'),
    /**
     * Runtime: each target's health check as last judged (the sync engine's health checker), by
     * droplet id; the EndpointSlice lists a target ready only while it is healthy here.
     */
    targetHealth: json<Record<string, TargetHealth>>('target_health').notNull().default({}),
    /** Runtime: the address the cluster's load balancer gave the Service. */
    address: text('address'),
    /** Runtime: the target droplets the cluster's endpoints list as ready. */
    healthy: json<string[]>('healthy').notNull().default([]),
    ...reconciled(),
  },
  (t) => [
    uniqueIndex('load_balancers_project_name_uq').on(t.projectId, t.name),
    index('load_balancers_page_idx').on(t.projectId, t.createdAt, t.id),
  ],
);

/**
 * Reserved IPs: addresses of the administrator's pool that a project keeps, each a LoadBalancer
 * Service asking for its address and pointing at the droplet it is assigned to. The address is
 * unique in the installation: two projects never hold the same one.
 */
export const reservedIps = sqliteTable(
  'reserved_ips',
  {
    ...projectScoped<ReservedIpId>(),
    ip: text('ip').notNull(),
    region: text('region').notNull(),
    dropletId: id<DropletId>('droplet_id').references(() => droplets.id, { onDelete: 'set null' }),
    state: text('state').$type<ResourceState>().notNull().default('pending'),
    /** Runtime: the cluster's load balancer gave the Service the address it asks for. */
    announced: integer('announced', { mode: 'boolean' }).notNull().default(false),
    ...reconciled(),
  },
  (t) => [
    uniqueIndex('reserved_ips_project_name_uq').on(t.projectId, t.name),
    uniqueIndex('reserved_ips_ip_uq').on(t.ip),
    index('reserved_ips_page_idx').on(t.projectId, t.createdAt, t.id),
    index('reserved_ips_droplet_idx').on(t.dropletId),
  ],
);

/**
 * Credentials a project gave for another registry: apps whose image is on `server` pull with them
 * (an image pull Secret per app). The password is write-only at the API, and kept here like app
 * environment values (the data dir is its owner's alone).
 */
export const registryCredentials = sqliteTable(
  'registry_credentials',
  {
    id: id<RegistryCredentialId>().primaryKey(),
    // They go with the project: nothing in the cluster holds them but apps' pull Secrets.
    projectId: id<ProjectId>('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    server: text('server').notNull(),
    username: text('username').notNull(),
    password: text('password').notNull(),
    createdAt: timestamp('created_at').notNull().default(now),
    updatedAt: timestamp('updated_at').notNull().default(now),
  },
  (t) => [
    uniqueIndex('registry_credentials_project_name_uq').on(t.projectId, t.name),
    uniqueIndex('registry_credentials_project_server_uq').on(t.projectId, t.server),
  ],
);
export type RegistryCredentialRow = typeof registryCredentials.$inferSelect;

/** An access key of a bucket as stored: never its secret, only the secret's SHA-256. */
export interface BucketKeyRecord {
  accessKeyId: string;
  name: string;
  secretSha256: string;
  createdAt: string;
}

/**
 * Buckets of the object store (an ObjectBucketClaim each). Their access keys are intent: adding or
 * revoking one is a change the sync engine carries to the object store's users.
 */
export const buckets = sqliteTable(
  'buckets',
  {
    ...projectScoped<BucketId>(),
    keys: json<BucketKeyRecord[]>('keys').notNull().default([]),
    state: text('state').$type<ResourceState>().notNull().default('pending'),
    /** Runtime: the S3 bucket name and endpoint the object store bound the claim to. */
    bucketName: text('bucket_name'),
    endpoint: text('endpoint'),
    /** Runtime: the access key ids whose object store user is ready. */
    readyKeys: json<string[]>('ready_keys').notNull().default([]),
    /** Runtime: what the object store reports the bucket holds, when it does. */
    usageObjects: integer('usage_objects'),
    usageBytes: integer('usage_bytes'),
    ...reconciled(),
  },
  (t) => [
    uniqueIndex('buckets_project_name_uq').on(t.projectId, t.name),
    index('buckets_page_idx').on(t.projectId, t.createdAt, t.id),
  ],
);

/**
 * Asynchronous operations on resources. `generation` is the resource's generation that carries the
 * action's change of intent (null for actions that change no intent, such as a reboot); `progress`
 * holds what the sync engine needs to remember between passes (such as the instance it restarted).
 * A null `projectId` marks a system action, on what belongs to no project (a cluster component's
 * install, upgrade, repair or uninstall): administrators' only.
 */
export const actions = sqliteTable(
  'actions',
  {
    id: id<ActionId>().primaryKey(),
    projectId: id<ProjectId>('project_id').references(() => projects.id, { onDelete: 'cascade' }),
    resourceKind: text('resource_kind').$type<ActionResourceKind | 'component'>().notNull(),
    resourceId: id<DropletId | VolumeId | AppId | DatabaseId | ReservedIpId | LoadBalancerId | ComponentName>(
      'resource_id',
    ).notNull(),
    type: text('type').$type<ActionType | ComponentActionType>().notNull(),
    status: text('status').$type<ActionStatus>().notNull().default('in-progress'),
    params: json<Record<string, unknown>>('params').notNull(),
    generation: integer('generation'),
    progress: json<ActionProgress>('progress'),
    error: text('error'),
    createdAt: timestamp('created_at').notNull().default(now),
    completedAt: timestamp('completed_at'),
  },
  (t) => [
    index('actions_page_idx').on(t.projectId, t.createdAt, t.id),
    index('actions_resource_idx').on(t.resourceId, t.status),
    index('actions_status_idx').on(t.status),
  ],
);

/** CPU and memory of droplets and apps over time, sampled by the sync engine from the metrics API. */
export const usageSamples = sqliteTable(
  'usage_samples',
  {
    resourceId: id<DropletId | AppId>('resource_id').notNull(),
    projectId: id<ProjectId>('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    at: timestamp('at').notNull(),
    cpuMillicores: integer('cpu_millicores').notNull(),
    memoryMiB: integer('memory_mib').notNull(),
  },
  (t) => [primaryKey({ columns: [t.resourceId, t.at] }), index('usage_samples_at_idx').on(t.at)],
);

/**
 * The audit log: one row per mutation a signed-in caller made, successful or not. Ids only, never
 * inputs or answers. No foreign keys: an event outlives its actor, token and project.
 */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: id<AuditEventId>().primaryKey(),
    createdAt: timestamp('created_at').notNull(),
    actorId: id<UserId>('actor_id').notNull(),
    tokenId: id<TokenId>('token_id'),
    tokenPrefix: text('token_prefix'),
    procedure: text('procedure').notNull(),
    projectId: id<ProjectId>('project_id'),
    resourceId: text('resource_id'),
    /** Null when the call succeeded. */
    errorCode: text('error_code').$type<ErrorCode>(),
    requestId: text('request_id'),
  },
  (t) => [
    // Newest first for administrators, and retention's range delete on the oldest.
    index('audit_events_page_idx').on(t.createdAt, t.id),
    index('audit_events_project_idx').on(t.projectId, t.createdAt, t.id),
    index('audit_events_actor_idx').on(t.actorId, t.createdAt, t.id),
  ],
);

/** Facts about this installation itself, one value per key (its id, made on the first start). */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  createdAt: timestamp('created_at').notNull().default(now),
});

export type UserRow = typeof users.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;
export type ProjectRow = typeof projects.$inferSelect;
export type MembershipRow = typeof memberships.$inferSelect;
export type QuotaRow = typeof quotas.$inferSelect;
export type SshKeyRow = typeof sshKeys.$inferSelect;
export type DropletRow = typeof droplets.$inferSelect;
export type VolumeRow = typeof volumes.$inferSelect;
export type AppRow = typeof apps.$inferSelect;
export type DatabaseRow = typeof databases.$inferSelect;
export type FirewallRow = typeof firewalls.$inferSelect;
export type LoadBalancerRow = typeof loadBalancers.$inferSelect;
export type ReservedIpRow = typeof reservedIps.$inferSelect;
export type BucketRow = typeof buckets.$inferSelect;
/** Any row of `actions`: a project's action, or a system action (no project: a component's). */
export type AnyActionRow = typeof actions.$inferSelect;
/** A project's action: what every project-scoped reader of `actions` gets. */
export type ActionRow = AnyActionRow & {
  projectId: ProjectId;
  resourceKind: ActionResourceKind;
  resourceId: Exclude<AnyActionRow['resourceId'], ComponentName>;
  type: ActionType;
};
export type UsageSampleRow = typeof usageSamples.$inferSelect;
export type AuditEventRow = typeof auditEvents.$inferSelect;
export type SnapshotRow = typeof snapshots.$inferSelect;
export type DatabaseBackupRow = typeof databaseBackups.$inferSelect;
export type ImageRow = typeof images.$inferSelect;

/**
 * The provisioner's intent: one row per cluster component an administrator installed (or is
 * uninstalling), with what the sync engine last applied and saw. Not a project's resource.
 */
export const components = sqliteTable('components', {
  name: text('name').$type<ComponentName>().primaryKey(),
  /** `installed` or `uninstalled`: what the administrator asked for. */
  desired: text('desired').$type<'installed' | 'uninstalled'>().notNull(),
  version: text('version').notNull(),
  variant: text('variant').$type<StorageVariant>(),
  state: text('state').$type<ComponentState>().notNull().default('installing'),
  /** The version whose manifests were last applied in full. */
  installedVersion: text('installed_version'),
  /** Every object applied for the installed version: what an upgrade prunes and an uninstall deletes. */
  applied: json<ComponentObjectRef[]>('applied').notNull().default([]),
  health: json<ComponentHealthItem[]>('health').notNull().default([]),
  /** The install, upgrade, repair or uninstall last started, with its outcome. */
  action: json<ComponentAction>('action'),
  generation: integer('generation').notNull().default(1),
  observedGeneration: integer('observed_generation').notNull().default(0),
  observedAt: timestamp('observed_at'),
  syncError: text('sync_error'),
  createdAt: timestamp('created_at').notNull().default(now),
  updatedAt: timestamp('updated_at').notNull().default(now),
});

/** An object a component applied, by address (the provisioner's manifests hold any kind). */
export interface ComponentObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}
