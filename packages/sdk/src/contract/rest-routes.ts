import type { AnyTRPCProcedure, AnyTRPCSubscriptionProcedure } from '@trpc/server';
import { z } from 'zod';
import * as s from '../schemas/index.ts';
import type { AppRouter } from './router.ts';

/**
 * The REST surface under `/api/v1`: every procedure of the router at a resource path and HTTP verb
 * in DigitalOcean's style. This table is the one place that says so; the server's REST routes and
 * the OpenAPI document are derived from it and from the procedures' own input schemas, and its type
 * demands a route for every query and mutation (a procedure added to the router without one does
 * not compile, and the contract test names it).
 */

type ProcedurePaths<R, Prefix extends string = ''> = {
  [K in keyof R & string]: R[K] extends AnyTRPCProcedure
    ? R[K] extends AnyTRPCSubscriptionProcedure
      ? never
      : `${Prefix}${K}`
    : ProcedurePaths<R[K], `${Prefix}${K}.`>;
}[keyof R & string];

type SubscriptionPaths<R, Prefix extends string = ''> = {
  [K in keyof R & string]: R[K] extends AnyTRPCProcedure
    ? R[K] extends AnyTRPCSubscriptionProcedure
      ? `${Prefix}${K}`
      : never
    : SubscriptionPaths<R[K], `${Prefix}${K}.`>;
}[keyof R & string];

/** Every query and mutation of the router, as `router.procedure`. */
export type RestProcedure = ProcedurePaths<AppRouter['_def']['record']>;
/** The router's subscriptions: served as server-sent events (`stream`), not as calls. */
export type StreamProcedure = SubscriptionPaths<AppRouter['_def']['record']>;

/** What an operation answers with, by component name in the OpenAPI document. */
export const restOutputs = {
  Whoami: s.Whoami,
  User: s.User,
  UserList: z.array(s.User),
  CreatedUser: s.CreatedUser,
  ApiToken: s.ApiToken,
  ApiTokenList: z.array(s.ApiToken),
  UserApiTokenList: z.array(s.UserApiToken),
  IssuedToken: s.IssuedToken,
  Project: s.Project,
  ProjectPage: s.page(s.Project),
  Member: s.Member,
  MemberList: z.array(s.Member),
  Quota: s.Quota,
  SizeList: z.array(s.Size),
  ImageList: z.array(s.Image),
  Image: s.Image,
  DatabaseOptions: s.DatabaseOptions,
  SshKey: s.SshKey,
  SshKeyPage: s.page(s.SshKey),
  Droplet: s.Droplet,
  DropletPage: s.page(s.Droplet),
  DropletBootLog: s.DropletBootLog,
  Volume: s.Volume,
  VolumePage: s.page(s.Volume),
  App: s.App,
  AppPage: s.page(s.App),
  Database: s.Database,
  DatabasePage: s.page(s.Database),
  DatabaseBackup: s.DatabaseBackup,
  DatabaseBackupPage: s.page(s.DatabaseBackup),
  DatabaseCredentials: s.DatabaseCredentials,
  Firewall: s.Firewall,
  FirewallPage: s.page(s.Firewall),
  LoadBalancer: s.LoadBalancer,
  LoadBalancerPage: s.page(s.LoadBalancer),
  ReservedIp: s.ReservedIp,
  ReservedIpPage: s.page(s.ReservedIp),
  Snapshot: s.Snapshot,
  SnapshotPage: s.page(s.Snapshot),
  Bucket: s.Bucket,
  BucketPage: s.page(s.Bucket),
  BucketAccessKey: s.BucketAccessKey,
  BucketAccessKeyList: z.array(s.BucketAccessKey),
  CreatedBucketAccessKey: s.CreatedBucketAccessKey,
  RegistryInfo: s.RegistryInfo,
  RegistryRepositoryList: z.array(s.RegistryRepository),
  RegistryTagList: z.array(s.RegistryTag),
  RegistryCredential: s.RegistryCredential,
  RegistryCredentialList: z.array(s.RegistryCredential),
  Action: s.Action,
  ActionPage: s.page(s.Action),
  UsageSeriesList: z.array(s.UsageSeries),
  SyncStatus: s.SyncStatus,
  AuditEventPage: s.page(s.AuditEvent),
  ProjectEvent: s.ProjectEvent,
  AppLogs: s.AppLogs,
  AppLogLine: s.AppLogLine,
  Component: s.Component,
  ComponentList: z.array(s.Component),
  SystemAction: s.SystemAction,
  SystemActionPage: s.page(s.SystemAction),
  Preflight: s.Preflight,
  ComponentReadiness: s.ComponentReadiness,
} as const;
export type RestOutput = keyof typeof restOutputs;

export type HttpMethod = 'get' | 'post' | 'patch' | 'delete';

export interface RestRoute {
  method: HttpMethod;
  /**
   * Under `/api/v1`. Each `{name}` segment is the input field of that name; the other fields come
   * from the query string (GET, DELETE) or the JSON body (POST, PATCH).
   */
  path: string;
  /** On an `…/actions` path: the body's `type` that selects this procedure (`power_off`). */
  action?: string;
  /** The answer's schema; null: the procedure answers nothing (204 No Content). */
  output: RestOutput | null;
  /** 201 for what a call creates (resources, actions), 202 for a deletion under way; else 200. */
  status?: 200 | 201 | 202;
  summary: string;
}

export interface StreamRoute {
  method: 'get';
  path: string;
  /** The schema of each event's `data`. */
  output: RestOutput;
  summary: string;
}

const inProject = (rest = '') => `/projects/{projectId}${rest}`;

type CrudOp = 'list' | 'get' | 'create' | 'update' | 'delete';

/** The five routes of a project's resource: collection, item, and its verbs. */
const crud = <R extends string>(
  router: R,
  segment: string,
  noun: { one: string; many: string },
  item: RestOutput,
  page: RestOutput,
): { [K in CrudOp as `${R}.${K}`]: RestRoute } => {
  const collection = inProject(`/${segment}`);
  const one = `${collection}/{id}`;
  const routes: Record<CrudOp, RestRoute> = {
    list: { method: 'get', path: collection, output: page, summary: `List the project's ${noun.many}` },
    get: { method: 'get', path: one, output: item, summary: `Get ${noun.one}` },
    create: { method: 'post', path: collection, output: item, status: 201, summary: `Create ${noun.one}` },
    update: { method: 'patch', path: one, output: item, summary: `Update ${noun.one}` },
    delete: {
      method: 'delete',
      path: one,
      output: item,
      status: 202,
      summary: `Delete ${noun.one} (answers it as \`deleting\`; it goes once the cluster confirms)`,
    },
  };
  return Object.fromEntries(Object.entries(routes).map(([op, route]) => [`${router}.${op}`, route])) as {
    [K in CrudOp as `${R}.${K}`]: RestRoute;
  };
};

/** A procedure that starts an `Action`: `POST …/{id}/actions` with `{ "type": action }`. */
const action = (segment: string, type: string, summary: string): RestRoute => ({
  method: 'post',
  path: inProject(`/${segment}/{id}/actions`),
  action: type,
  output: 'Action',
  status: 201,
  summary,
});

/** An operation of the provisioner on one component: `POST /components/{name}/actions`. */
const component = (type: string, summary: string): RestRoute => ({
  method: 'post',
  path: '/components/{name}/actions',
  action: type,
  output: 'Component',
  summary,
});

export const restRoutes = {
  'auth.whoami': { method: 'get', path: '/account', output: 'Whoami', summary: 'Who the token belongs to' },

  'users.list': { method: 'get', path: '/users', output: 'UserList', summary: 'List users (administrators)' },
  'users.create': {
    method: 'post',
    path: '/users',
    output: 'CreatedUser',
    status: 201,
    summary: 'Create a user and their first API token, shown once (administrators)',
  },
  'users.disable': {
    method: 'post',
    path: '/users/{userId}/actions',
    action: 'disable',
    output: 'User',
    summary: "Refuse the user's tokens until enabled again (administrators)",
  },
  'users.enable': {
    method: 'post',
    path: '/users/{userId}/actions',
    action: 'enable',
    output: 'User',
    summary: 'Enable a disabled user (administrators)',
  },
  'users.delete': {
    method: 'delete',
    path: '/users/{userId}',
    output: null,
    summary: 'Delete a user with their tokens and memberships (administrators)',
  },
  'users.allTokens': {
    method: 'get',
    path: '/users/tokens',
    output: 'UserApiTokenList',
    summary: "Every user's API tokens and where each was last used (administrators)",
  },
  'users.tokens': {
    method: 'get',
    path: '/users/{userId}/tokens',
    output: 'ApiTokenList',
    summary: "List a user's API tokens (administrators)",
  },
  'users.revokeToken': {
    method: 'delete',
    path: '/users/{userId}/tokens/{id}',
    output: null,
    summary: "Revoke a user's API token (administrators)",
  },

  'tokens.list': { method: 'get', path: '/tokens', output: 'ApiTokenList', summary: 'List your API tokens' },
  'tokens.create': {
    method: 'post',
    path: '/tokens',
    output: 'IssuedToken',
    status: 201,
    summary: 'Create an API token (its secret is shown once)',
  },
  'tokens.revoke': {
    method: 'delete',
    path: '/tokens/{id}',
    output: null,
    summary: 'Revoke one of your tokens',
  },

  'projects.list': { method: 'get', path: '/projects', output: 'ProjectPage', summary: 'List your projects' },
  'projects.get': { method: 'get', path: inProject(), output: 'Project', summary: 'Get a project' },
  'projects.create': {
    method: 'post',
    path: '/projects',
    output: 'Project',
    status: 201,
    summary: 'Create a project (you become its owner)',
  },
  'projects.update': {
    method: 'patch',
    path: inProject(),
    output: 'Project',
    summary: 'Update a project (owners)',
  },
  'projects.delete': {
    method: 'delete',
    path: inProject(),
    output: 'Project',
    status: 202,
    summary: 'Delete an empty project (owners)',
  },
  'projects.members': {
    method: 'get',
    path: inProject('/members'),
    output: 'MemberList',
    summary: "List the project's members",
  },
  'projects.addMember': {
    method: 'post',
    path: inProject('/members'),
    output: 'Member',
    status: 201,
    summary: 'Add a member, or change their role (owners)',
  },
  'projects.removeMember': {
    method: 'delete',
    path: inProject('/members/{userId}'),
    output: null,
    summary: 'Remove a member (owners)',
  },

  'quotas.get': {
    method: 'get',
    path: inProject('/quota'),
    output: 'Quota',
    summary: "The project's quota and usage",
  },
  'quotas.update': {
    method: 'patch',
    path: inProject('/quota'),
    output: 'Quota',
    summary: "Change the project's limits (administrators)",
  },

  'sizes.list': { method: 'get', path: '/sizes', output: 'SizeList', summary: 'Droplet sizes' },
  'images.list': { method: 'get', path: '/images', output: 'ImageList', summary: 'Droplet images' },
  'images.create': {
    method: 'post',
    path: '/images',
    output: 'Image',
    status: 201,
    summary: 'Add a custom image, pinned by digest or checksum (administrators)',
  },
  'images.delete': {
    method: 'delete',
    path: '/images/{slug}',
    output: 'Image',
    summary: 'Remove a custom image no droplet uses (administrators)',
  },
  'databaseOptions.list': {
    method: 'get',
    path: '/databases/options',
    output: 'DatabaseOptions',
    summary: 'Database engines, versions and sizes',
  },

  ...crud('sshKeys', 'ssh_keys', { one: 'an SSH key', many: 'SSH keys' }, 'SshKey', 'SshKeyPage'),

  ...crud('droplets', 'droplets', { one: 'a droplet', many: 'droplets' }, 'Droplet', 'DropletPage'),
  'droplets.powerOn': action('droplets', 'power_on', 'Start a stopped droplet'),
  'droplets.powerOff': action('droplets', 'power_off', 'Shut a droplet down gracefully'),
  'droplets.reboot': action('droplets', 'reboot', 'Restart a running droplet'),
  'droplets.resize': action('droplets', 'resize', 'Change CPU and memory (powered off)'),
  'droplets.rebuild': action('droplets', 'rebuild', 'Reinstall from an image, keeping the id'),
  'droplets.snapshot': action('droplets', 'snapshot', 'Take a snapshot'),
  'droplets.restore': action('droplets', 'restore', 'Put the root disk back to a snapshot (powered off)'),
  'droplets.bootLog': {
    method: 'get',
    path: inProject('/droplets/{id}/boot_log'),
    output: 'DropletBootLog',
    summary: "The serial console's recent output: kernel, systemd and cloud-init lines (members)",
  },

  ...crud('volumes', 'volumes', { one: 'a volume', many: 'volumes' }, 'Volume', 'VolumePage'),
  'volumes.attach': action('volumes', 'attach', 'Attach to a droplet of the project'),
  'volumes.detach': action('volumes', 'detach', 'Detach from its droplet'),
  'volumes.resize': action('volumes', 'resize', 'Grow the volume'),
  'volumes.snapshot': {
    method: 'post',
    path: inProject('/volumes/{id}/snapshots'),
    output: 'Snapshot',
    status: 201,
    summary: 'Take a snapshot of the volume',
  },

  'snapshots.list': {
    method: 'get',
    path: inProject('/snapshots'),
    output: 'SnapshotPage',
    summary: "List the project's snapshots",
  },
  'snapshots.get': {
    method: 'get',
    path: inProject('/snapshots/{id}'),
    output: 'Snapshot',
    summary: 'Get a snapshot',
  },
  'snapshots.delete': {
    method: 'delete',
    path: inProject('/snapshots/{id}'),
    output: 'Snapshot',
    status: 202,
    summary: 'Delete a snapshot (answers it as `deleting`; it goes once the cluster confirms)',
  },

  'buckets.list': {
    method: 'get',
    path: inProject('/buckets'),
    output: 'BucketPage',
    summary: "List the project's buckets",
  },
  'buckets.get': {
    method: 'get',
    path: inProject('/buckets/{id}'),
    output: 'Bucket',
    summary: 'Get a bucket',
  },
  'buckets.create': {
    method: 'post',
    path: inProject('/buckets'),
    output: 'Bucket',
    status: 201,
    summary: 'Create a bucket (answers it as `pending`; active once the object store has bound it)',
  },
  'buckets.delete': {
    method: 'delete',
    path: inProject('/buckets/{id}'),
    output: 'Bucket',
    status: 202,
    summary: 'Delete a bucket and everything in it, with its access keys',
  },
  'buckets.listKeys': {
    method: 'get',
    path: inProject('/buckets/{id}/keys'),
    output: 'BucketAccessKeyList',
    summary: "List a bucket's access keys (never their secrets)",
  },
  'buckets.createKey': {
    method: 'post',
    path: inProject('/buckets/{id}/keys'),
    output: 'CreatedBucketAccessKey',
    status: 201,
    summary: 'Create an access key; its secret is answered this once',
  },
  'buckets.revokeKey': {
    method: 'delete',
    path: inProject('/buckets/{id}/keys/{accessKeyId}'),
    output: 'BucketAccessKey',
    summary: 'Revoke an access key: the object store refuses it from then on',
  },

  'registry.info': {
    method: 'get',
    path: inProject('/registry'),
    output: 'RegistryInfo',
    summary: "Where the project's images go in Uncloud's registry, and whether you may push",
  },
  'registry.repositories': {
    method: 'get',
    path: inProject('/registry/repositories'),
    output: 'RegistryRepositoryList',
    summary: "List the project's repositories in the registry, with their tags",
  },
  'registry.tags': {
    method: 'get',
    path: inProject('/registry/tags'),
    output: 'RegistryTagList',
    summary:
      "List a repository's tags (`repository` without the project: `api` for `shop/api`), with digest and size",
  },
  'registry.listCredentials': {
    method: 'get',
    path: inProject('/registry/credentials'),
    output: 'RegistryCredentialList',
    summary: 'List the credentials the project gave for other registries (never their passwords)',
  },
  'registry.createCredential': {
    method: 'post',
    path: inProject('/registry/credentials'),
    output: 'RegistryCredential',
    status: 201,
    summary: 'Give credentials for another registry: apps whose image is on that server pull with them',
  },
  'registry.deleteCredential': {
    method: 'delete',
    path: inProject('/registry/credentials/{id}'),
    output: null,
    summary: 'Delete credentials for another registry; apps using them pull without from then on',
  },

  ...crud('apps', 'apps', { one: 'an app', many: 'apps' }, 'App', 'AppPage'),
  'apps.scale': action('apps', 'scale', 'Set the number of replicas'),
  'apps.deploy': action('apps', 'deploy', 'Roll out a new image and/or environment'),
  'apps.redeploy': action('apps', 'redeploy', 'Restart every replica, one at a time'),
  'apps.rollback': action('apps', 'rollback', 'Roll back to the image before the last deploy'),
  'apps.logs': {
    method: 'get',
    path: inProject('/apps/{id}/logs'),
    output: 'AppLogs',
    summary: "The app's replicas and their recent log lines",
  },
  'apps.attachDatabase': {
    method: 'post',
    path: inProject('/apps/{id}/databases'),
    output: 'App',
    summary: "Give the app's pods a database's connection variables",
  },
  'apps.detachDatabase': {
    method: 'delete',
    path: inProject('/apps/{id}/databases/{databaseId}'),
    output: 'App',
    summary: "Take an attached database's variables away from the app",
  },

  ...crud('databases', 'databases', { one: 'a database', many: 'databases' }, 'Database', 'DatabasePage'),
  'databases.credentials': {
    method: 'get',
    path: inProject('/databases/{id}/credentials'),
    output: 'DatabaseCredentials',
    summary: 'Connection details with the password (members)',
  },
  'databases.resize': action('databases', 'resize', 'Change size, node count or storage'),
  'databases.resetPassword': action('databases', 'reset_password', 'Replace the password'),
  'databases.configureBackups': {
    method: 'patch',
    path: inProject('/databases/{id}/backup_settings'),
    output: 'Database',
    summary: 'Set the bucket, schedule and retention of backups (a null bucket turns the schedule off)',
  },
  'databases.restore': {
    method: 'post',
    path: inProject('/databases/restore'),
    output: 'Database',
    status: 201,
    summary: 'Create a database from a backup, or from a database’s backups at a point in time',
  },

  'databaseBackups.list': {
    method: 'get',
    path: inProject('/database_backups'),
    output: 'DatabaseBackupPage',
    summary: "List the project's database backups (filter by `databaseId`)",
  },
  'databaseBackups.get': {
    method: 'get',
    path: inProject('/database_backups/{id}'),
    output: 'DatabaseBackup',
    summary: 'Get a database backup',
  },
  'databaseBackups.create': {
    method: 'post',
    path: inProject('/database_backups'),
    output: 'DatabaseBackup',
    status: 201,
    summary: 'Back up a database now, to the bucket of its backup settings',
  },
  'databaseBackups.delete': {
    method: 'delete',
    path: inProject('/database_backups/{id}'),
    output: 'DatabaseBackup',
    status: 202,
    summary: 'Delete a database backup (answers it as `deleting`)',
  },

  ...crud('firewalls', 'firewalls', { one: 'a firewall', many: 'firewalls' }, 'Firewall', 'FirewallPage'),
  ...crud(
    'loadBalancers',
    'load_balancers',
    { one: 'a load balancer', many: 'load balancers' },
    'LoadBalancer',
    'LoadBalancerPage',
  ),
  'loadBalancers.addDroplets': action('load_balancers', 'add_droplets', 'Put droplets behind it'),
  'loadBalancers.removeDroplets': action('load_balancers', 'remove_droplets', 'Take droplets from behind it'),
  ...crud(
    'reservedIps',
    'reserved_ips',
    { one: 'a reserved IP', many: 'reserved IPs' },
    'ReservedIp',
    'ReservedIpPage',
  ),
  'reservedIps.assign': action(
    'reserved_ips',
    'assign',
    'Point at a droplet, moving it from the one it points at',
  ),
  'reservedIps.unassign': action('reserved_ips', 'unassign', 'Take it off its droplet; the project keeps it'),

  'actions.list': {
    method: 'get',
    path: inProject('/actions'),
    output: 'ActionPage',
    summary: "List the project's actions, newest first",
  },
  'actions.get': {
    method: 'get',
    path: inProject('/actions/{id}'),
    output: 'Action',
    summary: 'Get an action',
  },

  'usage.list': {
    method: 'get',
    path: inProject('/usage'),
    output: 'UsageSeriesList',
    summary: 'CPU and memory over time per droplet and app',
  },
  'sync.status': {
    method: 'get',
    path: '/sync/status',
    output: 'SyncStatus',
    summary: "The sync engine's health (administrators)",
  },
  'components.list': {
    method: 'get',
    path: '/components',
    output: 'ComponentList',
    summary: 'What Uncloud installs into its cluster, and where each part stands (administrators)',
  },
  'components.get': {
    method: 'get',
    path: '/components/{name}',
    output: 'Component',
    summary: 'Get a component (administrators)',
  },
  'components.preflight': {
    method: 'get',
    path: '/components/preflight',
    output: 'Preflight',
    summary: 'Check the cluster before an install (administrators)',
  },
  'components.readiness': {
    method: 'get',
    path: '/components/readiness',
    output: 'ComponentReadiness',
    summary: 'Required components known to be missing',
  },
  'components.install': component('install', 'Install a component (administrators)'),
  'components.upgrade': component('upgrade', 'Upgrade a component to a version (administrators)'),
  'components.repair': component('repair', "Apply the installed version's manifests again (administrators)"),
  'components.uninstall': component('uninstall', 'Uninstall a component (administrators)'),
  'systemActions.list': {
    method: 'get',
    path: '/system_actions',
    output: 'SystemActionPage',
    summary: "Components' installs, upgrades, repairs and uninstalls, newest first (administrators)",
  },
  'systemActions.get': {
    method: 'get',
    path: '/system_actions/{id}',
    output: 'SystemAction',
    summary: 'Get a system action (administrators)',
  },
  'audit.list': {
    method: 'get',
    path: '/audit_events',
    output: 'AuditEventPage',
    summary: 'The audit log, newest first (administrators; owners for their project)',
  },
} as const satisfies Record<RestProcedure, RestRoute>;

/** Subscriptions, served as `text/event-stream` (one event per change, resumable with `Last-Event-ID`). */
export const streamRoutes = {
  'events.watch': {
    method: 'get',
    path: inProject('/events'),
    output: 'ProjectEvent',
    summary: "The project's changes as they happen (server-sent events)",
  },
  'apps.followLogs': {
    method: 'get',
    path: inProject('/apps/{id}/logs/stream'),
    output: 'AppLogLine',
    summary: "The app's log lines as its replicas write them (server-sent events)",
  },
} as const satisfies Record<StreamProcedure, StreamRoute>;

/** The body of every REST error: the same `code` and `field` as tRPC's `error.data`. */
export const RestError = z.object({
  code: s.ErrorCode,
  message: z.string(),
  /** Dotted path of the first offending input field. */
  field: z.string().optional(),
  /** Every invalid field with its reasons (validation errors). */
  fieldErrors: z.record(z.string(), z.array(z.string())).optional(),
  /** The request's `X-Request-Id`, as recorded in the audit log and the server's log. */
  requestId: z.string(),
});
export type RestError = z.infer<typeof RestError>;
