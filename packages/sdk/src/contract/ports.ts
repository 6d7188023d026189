import type { TrackedEnvelope } from '@trpc/server';
import type { z } from 'zod';
import type * as s from '../schemas/index.ts';

type MaybePromise<T> = T | Promise<T>;

/** Who is calling, as established from the bearer token. */
export interface Caller {
  userId: s.UserId;
  name: string;
  /**
   * Administrator powers for this request: the user is an administrator and the token is not
   * limited to projects. An administrator's project-limited token acts with their project roles.
   */
  isAdmin: boolean;
  tokenId: s.TokenId;
  /** The token's first characters, to recognise it (null for tokens issued before they were kept). */
  tokenPrefix: string | null;
  /** The token may only read: every mutation is refused. */
  readOnly: boolean;
  /**
   * The only projects the token may see and touch (others answer as they would to a non-member);
   * null: every project the user may enter.
   */
  projectIds: readonly s.ProjectId[] | null;
  /** When the token stops working; null: never. */
  tokenExpiresAt: Date | null;
}

/** A project the caller may access, with the role that decides what they may do in it. */
export interface ProjectScope {
  caller: Caller;
  projectId: s.ProjectId;
  role: s.ProjectRole;
}

/** The port every project-scoped resource service implements. */
export interface ResourceService<Item, List, Ref, Create, Update> {
  list(scope: ProjectScope, input: List): MaybePromise<s.Page<Item>>;
  get(scope: ProjectScope, ref: Ref): MaybePromise<Item>;
  create(scope: ProjectScope, input: Create): MaybePromise<Item>;
  update(scope: ProjectScope, input: Update): MaybePromise<Item>;
  /** Marks the resource `deleting`; the sync engine removes it once Kubernetes confirms. */
  delete(scope: ProjectScope, ref: Ref): MaybePromise<Item>;
}

type Port<
  Item extends z.ZodType,
  List extends z.ZodType,
  Ref extends z.ZodType,
  Create extends z.ZodType,
  Update extends z.ZodType,
> = ResourceService<z.output<Item>, z.output<List>, z.output<Ref>, z.output<Create>, z.output<Update>>;

export type SshKeyService = Port<
  typeof s.SshKey,
  typeof s.ListSshKeysInput,
  typeof s.SshKeyRef,
  typeof s.CreateSshKeyInput,
  typeof s.UpdateSshKeyInput
>;
type In<T extends z.ZodType> = z.output<T>;
type Started = MaybePromise<s.Action>;

/** Actions record their change of intent and an `Action` in one transaction and return at once. */
export type DropletService = Port<
  typeof s.Droplet,
  typeof s.ListDropletsInput,
  typeof s.DropletRef,
  typeof s.CreateDropletInput,
  typeof s.UpdateDropletInput
> & {
  powerOn(scope: ProjectScope, ref: In<typeof s.DropletRef>): Started;
  powerOff(scope: ProjectScope, ref: In<typeof s.DropletRef>): Started;
  reboot(scope: ProjectScope, ref: In<typeof s.DropletRef>): Started;
  resize(scope: ProjectScope, input: In<typeof s.ResizeDropletInput>): Started;
  rebuild(scope: ProjectScope, input: In<typeof s.RebuildDropletInput>): Started;
  snapshot(scope: ProjectScope, input: In<typeof s.SnapshotDropletInput>): Started;
  /** Puts the root disk back to a snapshot of the droplet (KubeVirt's VirtualMachineRestore). */
  restore(scope: ProjectScope, input: In<typeof s.RestoreDropletInput>): Started;
  /** The serial console's recent output; UNAVAILABLE without a reachable cluster. */
  bootLog(scope: ProjectScope, ref: In<typeof s.DropletRef>): MaybePromise<s.DropletBootLog>;
};
export type VolumeService = Port<
  typeof s.Volume,
  typeof s.ListVolumesInput,
  typeof s.VolumeRef,
  typeof s.CreateVolumeInput,
  typeof s.UpdateVolumeInput
> & {
  attach(scope: ProjectScope, input: In<typeof s.AttachVolumeInput>): Started;
  detach(scope: ProjectScope, ref: In<typeof s.VolumeRef>): Started;
  resize(scope: ProjectScope, input: In<typeof s.ResizeVolumeInput>): Started;
  /** Takes a CSI VolumeSnapshot of the volume, as a snapshot of the project. */
  snapshot(scope: ProjectScope, input: In<typeof s.SnapshotVolumeInput>): MaybePromise<s.Snapshot>;
};
/** The droplet image catalogue: the stock images and those administrators add. */
export interface ImageService {
  list(): MaybePromise<s.Image[]>;
  create(input: In<typeof s.CreateImageInput>): MaybePromise<s.Image>;
  delete(input: In<typeof s.ImageRef>): MaybePromise<s.Image>;
}
/**
 * Buckets of the project's object storage, and their access keys: a key's secret is answered once,
 * by `createKey`, and kept only in the cluster's Secret (Uncloud stores its hash).
 */
export interface BucketService {
  list(scope: ProjectScope, input: In<typeof s.ListBucketsInput>): MaybePromise<s.Page<s.Bucket>>;
  get(scope: ProjectScope, ref: In<typeof s.BucketRef>): MaybePromise<s.Bucket>;
  create(scope: ProjectScope, input: In<typeof s.CreateBucketInput>): MaybePromise<s.Bucket>;
  delete(scope: ProjectScope, ref: In<typeof s.BucketRef>): MaybePromise<s.Bucket>;
  listKeys(scope: ProjectScope, ref: In<typeof s.BucketRef>): MaybePromise<s.BucketAccessKey[]>;
  createKey(
    scope: ProjectScope,
    input: In<typeof s.CreateBucketKeyInput>,
  ): MaybePromise<s.CreatedBucketAccessKey>;
  revokeKey(scope: ProjectScope, ref: In<typeof s.BucketKeyRef>): MaybePromise<s.BucketAccessKey>;
}
/** Snapshots are made by `droplets.snapshot` and `volumes.snapshot`; here they are read and deleted. */
export interface SnapshotService {
  list(scope: ProjectScope, input: In<typeof s.ListSnapshotsInput>): MaybePromise<s.Page<s.Snapshot>>;
  get(scope: ProjectScope, ref: In<typeof s.SnapshotRef>): MaybePromise<s.Snapshot>;
  delete(scope: ProjectScope, ref: In<typeof s.SnapshotRef>): MaybePromise<s.Snapshot>;
}
export type AppService = Port<
  typeof s.App,
  typeof s.ListAppsInput,
  typeof s.AppRef,
  typeof s.CreateAppInput,
  typeof s.UpdateAppInput
> & {
  scale(scope: ProjectScope, input: In<typeof s.ScaleAppInput>): Started;
  deploy(scope: ProjectScope, input: In<typeof s.DeployAppInput>): Started;
  redeploy(scope: ProjectScope, ref: In<typeof s.AppRef>): Started;
  rollback(scope: ProjectScope, ref: In<typeof s.AppRef>): Started;
  /** Gives the app's pods a database's connection as variables, from its Secret. */
  attachDatabase(scope: ProjectScope, input: In<typeof s.AttachDatabaseInput>): MaybePromise<s.App>;
  detachDatabase(scope: ProjectScope, input: In<typeof s.DetachDatabaseInput>): MaybePromise<s.App>;
  /** The replicas (pods) and their recent log lines, oldest first; UNAVAILABLE without the cluster. */
  logs(scope: ProjectScope, input: z.output<typeof s.AppLogsInput>): Promise<s.AppLogs>;
  /**
   * The replicas' log lines as they are written, until `signal` aborts, the server shuts down or the
   * cluster goes away; replicas started meanwhile join. Counted against the per-user stream limit.
   */
  followLogs(
    scope: ProjectScope,
    input: z.output<typeof s.FollowAppLogsInput>,
    signal: AbortSignal | undefined,
  ): AsyncIterable<s.AppLogLine>;
};
export type DatabaseService = Port<
  typeof s.Database,
  typeof s.ListDatabasesInput,
  typeof s.DatabaseRef,
  typeof s.CreateDatabaseInput,
  typeof s.UpdateDatabaseInput
> & {
  /** Connection details with the password, read from the cluster's Secret on request. */
  credentials(scope: ProjectScope, ref: z.output<typeof s.DatabaseRef>): MaybePromise<s.DatabaseCredentials>;
  resize(scope: ProjectScope, input: In<typeof s.ResizeDatabaseInput>): Started;
  resetPassword(scope: ProjectScope, ref: In<typeof s.DatabaseRef>): Started;
  /** Where, when and for how long the database is backed up; a null bucket turns the schedule off. */
  configureBackups(scope: ProjectScope, input: In<typeof s.ConfigureDatabaseBackupsInput>): MaybePromise<s.Database>;
  /** A new database from a backup, or from a database's backups at a point in time. */
  restore(scope: ProjectScope, input: In<typeof s.RestoreDatabaseInput>): MaybePromise<s.Database>;
};
/** Database backups: taken now (`create`) or on the database's schedule; read, and deleted. */
export interface DatabaseBackupService {
  list(
    scope: ProjectScope,
    input: In<typeof s.ListDatabaseBackupsInput>,
  ): MaybePromise<s.Page<s.DatabaseBackup>>;
  get(scope: ProjectScope, ref: In<typeof s.DatabaseBackupRef>): MaybePromise<s.DatabaseBackup>;
  create(scope: ProjectScope, input: In<typeof s.CreateDatabaseBackupInput>): MaybePromise<s.DatabaseBackup>;
  delete(scope: ProjectScope, ref: In<typeof s.DatabaseBackupRef>): MaybePromise<s.DatabaseBackup>;
}
export type FirewallService = Port<
  typeof s.Firewall,
  typeof s.ListFirewallsInput,
  typeof s.FirewallRef,
  typeof s.CreateFirewallInput,
  typeof s.UpdateFirewallInput
>;
export type LoadBalancerService = Port<
  typeof s.LoadBalancer,
  typeof s.ListLoadBalancersInput,
  typeof s.LoadBalancerRef,
  typeof s.CreateLoadBalancerInput,
  typeof s.UpdateLoadBalancerInput
> & {
  /** Puts droplets behind it (an action; refused for a load balancer that targets a tag). */
  addDroplets(scope: ProjectScope, input: In<typeof s.LoadBalancerDropletsInput>): Started;
  /** Takes droplets from behind it (an action). */
  removeDroplets(scope: ProjectScope, input: In<typeof s.LoadBalancerDropletsInput>): Started;
};
/** Addresses of the administrator's pool that a project keeps and points at its droplets. */
export type ReservedIpService = Port<
  typeof s.ReservedIp,
  typeof s.ListReservedIpsInput,
  typeof s.ReservedIpRef,
  typeof s.CreateReservedIpInput,
  typeof s.UpdateReservedIpInput
> & {
  assign(scope: ProjectScope, input: In<typeof s.AssignReservedIpInput>): Started;
  unassign(scope: ProjectScope, ref: In<typeof s.ReservedIpRef>): Started;
};

/** Where a request came from, as the server saw it. */
export interface ClientSeen {
  ip: string | null;
  userAgent: string | null;
}

export interface AuthService {
  /**
   * Resolves a bearer token to its caller, or null when the token is unknown or revoked; `from`
   * (the request's address and User-Agent) is recorded as where the token was last used.
   */
  authenticate(token: string, from?: ClientSeen): MaybePromise<Caller | null>;
  whoami(caller: Caller): MaybePromise<s.Whoami>;
}

export interface ProjectService {
  /** The caller's scope in a project; NOT_FOUND when it does not exist or the caller is not a member. */
  access(caller: Caller, projectId: s.ProjectId): MaybePromise<ProjectScope>;
  list(caller: Caller, input: z.output<typeof s.ListProjectsInput>): MaybePromise<s.Page<s.Project>>;
  get(scope: ProjectScope): MaybePromise<s.Project>;
  create(caller: Caller, input: z.output<typeof s.CreateProjectInput>): MaybePromise<s.Project>;
  update(scope: ProjectScope, input: z.output<typeof s.UpdateProjectInput>): MaybePromise<s.Project>;
  delete(scope: ProjectScope): MaybePromise<s.Project>;
  members(scope: ProjectScope): MaybePromise<s.Member[]>;
  addMember(scope: ProjectScope, input: z.output<typeof s.AddMemberInput>): MaybePromise<s.Member>;
  removeMember(scope: ProjectScope, userId: s.UserId): MaybePromise<void>;
}

export interface QuotaService {
  get(scope: ProjectScope): MaybePromise<s.Quota>;
  update(scope: ProjectScope, input: z.output<typeof s.UpdateQuotaInput>): MaybePromise<s.Quota>;
}

export interface UserService {
  list(): MaybePromise<s.User[]>;
  create(input: z.output<typeof s.CreateUserInput>): MaybePromise<s.CreatedUser>;
  listTokens(caller: Caller): MaybePromise<s.ApiToken[]>;
  createToken(caller: Caller, input: z.output<typeof s.CreateTokenInput>): MaybePromise<s.IssuedToken>;
  revokeToken(caller: Caller, id: s.TokenId): MaybePromise<void>;
  /** Refuses the user's tokens from the next request on; the account and its memberships stay. */
  disable(caller: Caller, userId: s.UserId): MaybePromise<s.User>;
  enable(caller: Caller, userId: s.UserId): MaybePromise<s.User>;
  /** Removes the user with their tokens and memberships. */
  delete(caller: Caller, userId: s.UserId): MaybePromise<void>;
  /** Any user's tokens (administrators). */
  listTokensOf(userId: s.UserId): MaybePromise<s.ApiToken[]>;
  revokeTokenOf(userId: s.UserId, id: s.TokenId): MaybePromise<void>;
  /** Every user's tokens with their user and where each was last used (administrators). */
  listAllTokens(caller: Caller): MaybePromise<s.UserApiToken[]>;
}

/** One mutation to record: never its input or its answer, which may hold secrets. */
export interface AuditRecord {
  caller: Caller;
  procedure: string;
  projectId: s.ProjectId | null;
  resourceId: string | null;
  /** Null when the call succeeded. */
  errorCode: s.ErrorCode | null;
  requestId: string | null;
}

/** The project's place in Uncloud's private registry, and credentials for other registries. */
export interface RegistryService {
  info(scope: ProjectScope): MaybePromise<s.RegistryInfo>;
  /** The project's repositories (`<project>/…`) with their tags, read from the registry. */
  repositories(scope: ProjectScope): MaybePromise<s.RegistryRepository[]>;
  /** A repository's tags with their digest and size, read from the registry. */
  tags(scope: ProjectScope, input: z.output<typeof s.ListRegistryTagsInput>): MaybePromise<s.RegistryTag[]>;
  listCredentials(scope: ProjectScope): MaybePromise<s.RegistryCredential[]>;
  createCredential(
    scope: ProjectScope,
    input: z.output<typeof s.CreateRegistryCredentialInput>,
  ): MaybePromise<s.RegistryCredential>;
  deleteCredential(scope: ProjectScope, id: s.RegistryCredentialId): MaybePromise<void>;
}

export interface AuditService {
  /**
   * Records a mutation after it ended. Never throws: a record that cannot be written is logged,
   * and the caller's answer stands (the change itself is already committed or refused).
   */
  record(entry: AuditRecord): MaybePromise<void>;
  /** Newest first: administrators see everything, a project's owners their project's events. */
  list(caller: Caller, input: z.output<typeof s.ListAuditInput>): MaybePromise<s.Page<s.AuditEvent>>;
}

export interface ActionService {
  list(scope: ProjectScope, input: z.output<typeof s.ListActionsInput>): MaybePromise<s.Page<s.Action>>;
  get(scope: ProjectScope, ref: z.output<typeof s.ActionRef>): MaybePromise<s.Action>;
}

/** A project's change stream (`events.watch`). */
export interface EventService {
  /**
   * Every change in the project from now on, or replayed from after `input.lastEventId`, each as
   * `tracked(id, event)`; heartbeats in between. The caller's access is checked again before every
   * event and heartbeat (a removed member, a revoked token or a disabled user stops receiving).
   * Ends when `signal` aborts or the server shuts down; refused with TOO_MANY_REQUESTS when too
   * many streams are open.
   */
  watch(
    scope: ProjectScope,
    input: z.output<typeof s.WatchEventsInput>,
    signal: AbortSignal | undefined,
  ): AsyncIterable<TrackedEnvelope<s.ProjectEvent>>;
}

export interface UsageService {
  list(scope: ProjectScope, input: z.output<typeof s.ListUsageInput>): MaybePromise<s.UsageSeries[]>;
}

export interface SyncStatusService {
  status(): MaybePromise<s.SyncStatus>;
}

/** The provisioner (administrators; `readiness` for everyone). */
export interface ComponentService {
  list(): MaybePromise<s.Component[]>;
  get(name: s.ComponentName): MaybePromise<s.Component>;
  preflight(): MaybePromise<s.Preflight>;
  readiness(): MaybePromise<s.ComponentReadiness>;
  install(input: z.output<typeof s.InstallComponentInput>): MaybePromise<s.Component>;
  upgrade(input: z.output<typeof s.UpgradeComponentInput>): MaybePromise<s.Component>;
  repair(name: s.ComponentName): MaybePromise<s.Component>;
  uninstall(name: s.ComponentName): MaybePromise<s.Component>;
  listActions(input: z.output<typeof s.ListSystemActionsInput>): MaybePromise<s.Page<s.SystemAction>>;
  getAction(id: s.ActionId): MaybePromise<s.SystemAction>;
}

/** Everything the contract needs from a server; `apps/api` implements it over SQLite. */
export interface Services {
  sync: SyncStatusService;
  components: ComponentService;
  auth: AuthService;
  users: UserService;
  projects: ProjectService;
  quotas: QuotaService;
  sshKeys: SshKeyService;
  droplets: DropletService;
  volumes: VolumeService;
  apps: AppService;
  databases: DatabaseService;
  firewalls: FirewallService;
  loadBalancers: LoadBalancerService;
  reservedIps: ReservedIpService;
  snapshots: SnapshotService;
  buckets: BucketService;
  databaseBackups: DatabaseBackupService;
  registry: RegistryService;
  images: ImageService;
  actions: ActionService;
  usage: UsageService;
  audit: AuditService;
  events: EventService;
}
