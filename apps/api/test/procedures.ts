import type { inferRouterInputs } from '@trpc/server';
import { type IdOf, type IntentStore, databaseBackupsRepository, newId } from '@uncloud/db';
import { type AppRouter, RegistryCredentialId, type UncloudClient } from '@uncloud/sdk';
import { appRouter } from '@uncloud/sdk/contract';
import { newSshPublicKey, sshPublicKeys } from '@uncloud/testing';
import { z } from 'zod';

/**
 * Every procedure of the API, read from the router itself, and one valid input for each ("recipe"):
 * what the isolation and fuzz suites call. A procedure added to the router without a recipe here
 * fails to compile and fails both suites.
 */

/** Who a procedure is for, which decides what every other caller must get back. */
export type Access =
  /** The caller's own account, or the catalogue: any signed-in caller, about themselves only. */
  | 'own'
  /** Administrators only. */
  | 'admin'
  /** Reads a project's resources: its members, viewers included. */
  | 'project-read'
  /** Reads what viewers may not: database passwords (members), the activity log (owners). */
  | 'project-secret'
  /** Changes a project: members, owners or administrators, never viewers. */
  | 'project-write'
  /** Changes a project, by administrators alone (the people a quota bounds do not set it). */
  | 'project-admin';

/** Ids of real things a recipe points at (or, for the "nonexistent id" answer, of no thing at all). */
export interface Targets {
  projectId: IdOf['project'];
  dropletId: IdOf['droplet'];
  volumeId: IdOf['volume'];
  appId: IdOf['app'];
  databaseId: IdOf['database'];
  firewallId: IdOf['firewall'];
  loadBalancerId: IdOf['loadBalancer'];
  reservedIpId: IdOf['reservedIp'];
  snapshotId: IdOf['snapshot'];
  bucketId: IdOf['bucket'];
  /** A completed database backup (see `seedDatabaseBackup`). */
  databaseBackupId: IdOf['databaseBackup'];
  sshKeyId: IdOf['sshKey'];
  actionId: IdOf['action'];
  /** A user of the project (its owner). */
  userId: IdOf['user'];
  /** One of that user's API tokens. */
  tokenId: IdOf['token'];
}

const targetKinds = {
  projectId: 'project',
  dropletId: 'droplet',
  volumeId: 'volume',
  appId: 'app',
  databaseId: 'database',
  firewallId: 'firewall',
  loadBalancerId: 'loadBalancer',
  reservedIpId: 'reservedIp',
  snapshotId: 'snapshot',
  bucketId: 'bucket',
  databaseBackupId: 'databaseBackup',
  sshKeyId: 'sshKey',
  actionId: 'action',
  userId: 'user',
  tokenId: 'token',
} as const satisfies Record<keyof Targets, keyof IdOf>;

/** Well-formed ids of nothing, one per target: what "a nonexistent id" answers are compared with. */
export const ghostTargets = (): Targets =>
  Object.fromEntries(
    Object.entries(targetKinds).map(([key, kind]) => [key, newId(kind)]),
  ) as unknown as Targets;

/** The targets with their keys, for replacing ids in answers and finding them in inputs. */
export const targetEntries = (t: Targets) => Object.entries(t) as [keyof Targets, string][];

export interface Recipe<I> {
  access: Access;
  /** A valid input aimed at `t`; `fresh` is a new name each time, for creates. */
  input: (t: Targets, fresh: string) => I;
}

type Inputs = inferRouterInputs<AppRouter>;
type Recipes = { [R in keyof Inputs]: { [P in keyof Inputs[R]]: Recipe<Inputs[R][P]> } };

const none = () => undefined;
const own = <I>(input: Recipe<I>['input']): Recipe<I> => ({ access: 'own', input });
const admin = <I>(input: Recipe<I>['input']): Recipe<I> => ({ access: 'admin', input });
const read = <I>(input: Recipe<I>['input']): Recipe<I> => ({ access: 'project-read', input });
const write = <I>(input: Recipe<I>['input']): Recipe<I> => ({ access: 'project-write', input });

const publicKey = sshPublicKeys.ed25519.line;

export const recipes: Recipes = {
  auth: { whoami: own(none) },
  users: {
    list: admin(none),
    create: admin((_, fresh) => ({ name: fresh })),
    disable: admin((t) => ({ userId: t.userId })),
    enable: admin((t) => ({ userId: t.userId })),
    delete: admin((t) => ({ userId: t.userId })),
    allTokens: admin(none),
    tokens: admin((t) => ({ userId: t.userId })),
    revokeToken: admin((t) => ({ userId: t.userId, id: t.tokenId })),
  },
  tokens: {
    list: own(none),
    create: own((_, fresh) => ({ name: fresh })),
    revoke: own((t) => ({ id: t.tokenId })),
  },
  projects: {
    list: own(() => ({})),
    get: read((t) => ({ projectId: t.projectId })),
    create: own((_, fresh) => ({ name: fresh })),
    update: write((t) => ({ projectId: t.projectId, description: 'changed' })),
    delete: write((t) => ({ projectId: t.projectId })),
    members: read((t) => ({ projectId: t.projectId })),
    addMember: write((t) => ({ projectId: t.projectId, userId: t.userId, role: 'viewer' })),
    removeMember: write((t) => ({ projectId: t.projectId, userId: t.userId })),
  },
  quotas: {
    get: read((t) => ({ projectId: t.projectId })),
    update: { access: 'project-admin', input: (t) => ({ projectId: t.projectId, droplets: 1000 }) },
  },
  sizes: { list: own(none) },
  images: {
    list: own(none),
    create: admin((_, fresh) => ({
      slug: fresh,
      distribution: 'Alpine',
      version: '3.21',
      sourceType: 'registry',
      url: `docker://quay.io/containerdisks/alpine@sha256:${'a'.repeat(64)}`,
    })),
    delete: admin((_, fresh) => ({ slug: fresh })),
  },
  databaseOptions: { list: own(none) },
  sshKeys: {
    list: read((t) => ({ projectId: t.projectId })),
    get: read((t) => ({ projectId: t.projectId, id: t.sshKeyId })),
    create: write((t, fresh) => ({ projectId: t.projectId, name: fresh, publicKey })),
    update: write((t, fresh) => ({ projectId: t.projectId, id: t.sshKeyId, name: fresh })),
    delete: write((t) => ({ projectId: t.projectId, id: t.sshKeyId })),
  },
  droplets: {
    list: read((t) => ({ projectId: t.projectId })),
    get: read((t) => ({ projectId: t.projectId, id: t.dropletId })),
    create: write((t, fresh) => ({
      projectId: t.projectId,
      name: fresh,
      size: 's-1vcpu-1gb',
      image: 'debian-12',
      sshKeyIds: [t.sshKeyId],
      volumeIds: [t.volumeId],
    })),
    update: write((t) => ({ projectId: t.projectId, id: t.dropletId, tags: ['changed'] })),
    powerOn: write((t) => ({ projectId: t.projectId, id: t.dropletId })),
    powerOff: write((t) => ({ projectId: t.projectId, id: t.dropletId })),
    reboot: write((t) => ({ projectId: t.projectId, id: t.dropletId })),
    bootLog: { access: 'project-secret', input: (t) => ({ projectId: t.projectId, id: t.dropletId }) },
    resize: write((t) => ({ projectId: t.projectId, id: t.dropletId, size: 's-2vcpu-4gb' })),
    rebuild: write((t) => ({ projectId: t.projectId, id: t.dropletId, image: 'fedora-42' })),
    snapshot: write((t, fresh) => ({ projectId: t.projectId, id: t.dropletId, name: fresh })),
    restore: write((t) => ({ projectId: t.projectId, id: t.dropletId, snapshotId: t.snapshotId })),
    delete: write((t) => ({ projectId: t.projectId, id: t.dropletId })),
  },
  volumes: {
    list: read((t) => ({ projectId: t.projectId })),
    get: read((t) => ({ projectId: t.projectId, id: t.volumeId })),
    create: write((t, fresh) => ({ projectId: t.projectId, name: fresh, sizeGiB: 10 })),
    update: write((t) => ({ projectId: t.projectId, id: t.volumeId, description: 'changed' })),
    attach: write((t) => ({ projectId: t.projectId, id: t.volumeId, dropletId: t.dropletId })),
    detach: write((t) => ({ projectId: t.projectId, id: t.volumeId })),
    resize: write((t) => ({ projectId: t.projectId, id: t.volumeId, sizeGiB: 500 })),
    snapshot: write((t, fresh) => ({ projectId: t.projectId, id: t.volumeId, name: fresh })),
    delete: write((t) => ({ projectId: t.projectId, id: t.volumeId })),
  },
  snapshots: {
    list: read((t) => ({ projectId: t.projectId })),
    get: read((t) => ({ projectId: t.projectId, id: t.snapshotId })),
    delete: write((t) => ({ projectId: t.projectId, id: t.snapshotId })),
  },
  buckets: {
    list: read((t) => ({ projectId: t.projectId })),
    get: read((t) => ({ projectId: t.projectId, id: t.bucketId })),
    create: write((t, fresh) => ({ projectId: t.projectId, name: fresh })),
    delete: write((t) => ({ projectId: t.projectId, id: t.bucketId })),
    listKeys: read((t) => ({ projectId: t.projectId, id: t.bucketId })),
    createKey: write((t) => ({ projectId: t.projectId, id: t.bucketId, name: 'ci' })),
    revokeKey: write((t) => ({
      projectId: t.projectId,
      id: t.bucketId,
      accessKeyId: 'UCAAAAAAAAAAAAAAAAAA',
    })),
  },
  apps: {
    list: read((t) => ({ projectId: t.projectId })),
    get: read((t) => ({ projectId: t.projectId, id: t.appId })),
    create: write((t, fresh) => ({ projectId: t.projectId, name: fresh, image: 'nginx:1.27', port: 80 })),
    update: write((t) => ({ projectId: t.projectId, id: t.appId, port: 8081 })),
    scale: write((t) => ({ projectId: t.projectId, id: t.appId, replicas: 3 })),
    deploy: write((t) => ({ projectId: t.projectId, id: t.appId, image: 'nginx:1.28' })),
    redeploy: write((t) => ({ projectId: t.projectId, id: t.appId })),
    rollback: write((t) => ({ projectId: t.projectId, id: t.appId })),
    attachDatabase: write((t) => ({ projectId: t.projectId, id: t.appId, databaseId: t.databaseId })),
    detachDatabase: write((t) => ({ projectId: t.projectId, id: t.appId, databaseId: t.databaseId })),
    delete: write((t) => ({ projectId: t.projectId, id: t.appId })),
    logs: read((t) => ({ projectId: t.projectId, id: t.appId })),
    // A stream, not a call: its refusals are those of a query (app-logs.test.ts).
    followLogs: read((t) => ({ projectId: t.projectId, id: t.appId })),
  },
  databases: {
    list: read((t) => ({ projectId: t.projectId })),
    get: read((t) => ({ projectId: t.projectId, id: t.databaseId })),
    create: write((t, fresh) => ({
      projectId: t.projectId,
      name: fresh,
      engine: 'postgres',
      size: 'db-s-1vcpu-1gb',
    })),
    update: write((t) => ({ projectId: t.projectId, id: t.databaseId, tags: ['changed'] })),
    credentials: { access: 'project-secret', input: (t) => ({ projectId: t.projectId, id: t.databaseId }) },
    resize: write((t) => ({ projectId: t.projectId, id: t.databaseId, storageGiB: 200 })),
    resetPassword: write((t) => ({ projectId: t.projectId, id: t.databaseId })),
    delete: write((t) => ({ projectId: t.projectId, id: t.databaseId })),
    configureBackups: write((t) => ({ projectId: t.projectId, id: t.databaseId, bucketId: t.bucketId })),
    restore: write((t, fresh) => ({ projectId: t.projectId, name: fresh, backupId: t.databaseBackupId })),
  },
  databaseBackups: {
    list: read((t) => ({ projectId: t.projectId, databaseId: t.databaseId })),
    get: read((t) => ({ projectId: t.projectId, id: t.databaseBackupId })),
    create: write((t) => ({ projectId: t.projectId, databaseId: t.databaseId })),
    delete: write((t) => ({ projectId: t.projectId, id: t.databaseBackupId })),
  },
  firewalls: {
    list: read((t) => ({ projectId: t.projectId })),
    get: read((t) => ({ projectId: t.projectId, id: t.firewallId })),
    create: write((t, fresh) => ({
      projectId: t.projectId,
      name: fresh,
      inbound: [{ protocol: 'tcp', ports: '22', sources: ['0.0.0.0/0'] }],
      targets: [t.dropletId, t.appId],
    })),
    update: write((t) => ({ projectId: t.projectId, id: t.firewallId, targets: [t.dropletId] })),
    delete: write((t) => ({ projectId: t.projectId, id: t.firewallId })),
  },
  loadBalancers: {
    list: read((t) => ({ projectId: t.projectId })),
    get: read((t) => ({ projectId: t.projectId, id: t.loadBalancerId })),
    create: write((t, fresh) => ({
      projectId: t.projectId,
      name: fresh,
      forwardingRules: [{ entryProtocol: 'http', entryPort: 80, targetPort: 8080 }],
      dropletIds: [t.dropletId],
    })),
    update: write((t) => ({ projectId: t.projectId, id: t.loadBalancerId, stickySessions: true })),
    delete: write((t) => ({ projectId: t.projectId, id: t.loadBalancerId })),
    addDroplets: write((t) => ({ projectId: t.projectId, id: t.loadBalancerId, dropletIds: [t.dropletId] })),
    removeDroplets: write((t) => ({
      projectId: t.projectId,
      id: t.loadBalancerId,
      dropletIds: [t.dropletId],
    })),
  },
  reservedIps: {
    list: read((t) => ({ projectId: t.projectId })),
    get: read((t) => ({ projectId: t.projectId, id: t.reservedIpId })),
    create: write((t, fresh) => ({ projectId: t.projectId, name: fresh })),
    update: write((t, fresh) => ({ projectId: t.projectId, id: t.reservedIpId, name: fresh })),
    delete: write((t) => ({ projectId: t.projectId, id: t.reservedIpId })),
    assign: write((t) => ({ projectId: t.projectId, id: t.reservedIpId, dropletId: t.dropletId })),
    unassign: write((t) => ({ projectId: t.projectId, id: t.reservedIpId })),
  },
  registry: {
    info: read((t) => ({ projectId: t.projectId })),
    repositories: read((t) => ({ projectId: t.projectId })),
    tags: read((t) => ({ projectId: t.projectId, repository: 'api' })),
    listCredentials: read((t) => ({ projectId: t.projectId })),
    createCredential: write((t, fresh) => ({
      projectId: t.projectId,
      name: fresh,
      // One credential per registry and project: a registry of its own for each call.
      server: `${fresh}.example.com`,
      username: 'ci',
      password: 'registry-password',
    })),
    // Credentials are not among the targets: an id of nothing (the same for the same targets),
    // refused alike whoever asks.
    deleteCredential: write((t) => ({
      projectId: t.projectId,
      id: RegistryCredentialId.parse(`rcred_${t.userId.slice('usr_'.length)}`),
    })),
  },
  actions: {
    list: read((t) => ({ projectId: t.projectId, resourceId: t.dropletId })),
    get: read((t) => ({ projectId: t.projectId, id: t.actionId })),
  },
  usage: { list: read((t) => ({ projectId: t.projectId, resourceId: t.appId })) },
  sync: { status: admin(none) },
  components: {
    list: admin(none),
    get: admin(() => ({ name: 'kubevirt' })),
    preflight: admin(none),
    // Whether required components are missing: the overview's banner, for everyone signed in.
    readiness: own(none),
    install: admin(() => ({ name: 'metrics-server' })),
    upgrade: admin(() => ({ name: 'kubevirt', version: 'v1.7.0' })),
    repair: admin(() => ({ name: 'kubevirt' })),
    uninstall: admin(() => ({ name: 'kubevirt' })),
  },
  // A project's action id names no system action: not found, alike through both doors.
  systemActions: { list: admin(() => ({})), get: admin((t) => ({ id: t.actionId })) },
  // A project's activity names who did what to which resource: its owners' alone, like a secret.
  audit: { list: { access: 'project-secret', input: (t) => ({ projectId: t.projectId, userId: t.userId }) } },
  // A stream, not a call: its refusals are those of a query (events.test.ts), not listed below.
  events: { watch: read((t) => ({ projectId: t.projectId })) },
};

export type ProcedureType = 'query' | 'mutation';

export interface Procedure {
  path: string;
  type: ProcedureType;
  /** The procedure's input schemas, in the order its builders add them. */
  inputs: z.ZodType[];
  recipe: Recipe<unknown> | undefined;
}

interface RouterProcedure {
  _def: { type: ProcedureType | 'subscription'; inputs: z.ZodType[] };
}

/** Every procedure of the live router, with its recipe (undefined where none was written). */
export const procedures = (): Procedure[] =>
  Object.entries(appRouter._def.procedures as unknown as Record<string, RouterProcedure>).flatMap(
    ([path, p]) => {
      if (p._def.type === 'subscription') {
        if (path !== 'events.watch' && path !== 'apps.followLogs')
          throw new Error(`${path}: subscriptions are not covered`);
        return [];
      }
      const [group, name] = path.split('.') as [string, string];
      const byGroup = recipes as unknown as Record<string, Record<string, Recipe<unknown>> | undefined>;
      return [{ path, type: p._def.type, inputs: p._def.inputs, recipe: byGroup[group]?.[name] }];
    },
  );

/** Procedures of the router that have no recipe: each one a hole in both suites. */
export const missingRecipes = () =>
  procedures()
    .filter((p) => !p.recipe)
    .map((p) => p.path);

/** Whether a procedure's input names a project (it runs in a project's scope). */
export const takesProject = (p: Procedure) =>
  p.inputs.some((input) => input instanceof z.ZodObject && 'projectId' in input.shape);

export interface Answer {
  status: number;
  body: string;
  /** The tRPC error of the answer, when it is one. */
  error: { message: string; data: { code: string; field?: string; httpStatus: number } } | undefined;
}

/**
 * One call over HTTP as any client would make it: a GET for a query, a JSON POST for a mutation.
 * `body` sends these exact bytes instead of the JSON of `input` (for inputs JSON cannot express).
 */
export const callProcedure = async (
  url: string,
  p: Pick<Procedure, 'path' | 'type'>,
  options: { authorization?: string; input?: unknown; body?: string },
): Promise<Answer> => {
  const headers: Record<string, string> = options.authorization
    ? { authorization: options.authorization }
    : {};
  const json = options.body ?? (options.input === undefined ? undefined : JSON.stringify(options.input));
  const res =
    p.type === 'query'
      ? await fetch(
          `${url}/trpc/${p.path}${json === undefined ? '' : `?input=${encodeURIComponent(json)}`}`,
          {
            headers,
            signal: AbortSignal.timeout(10_000),
          },
        )
      : await fetch(`${url}/trpc/${p.path}`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          ...(json === undefined ? {} : { body: json }),
          signal: AbortSignal.timeout(10_000),
        });
  const body = await res.text();
  let error: Answer['error'];
  if (res.status >= 300) {
    try {
      error = (JSON.parse(body) as { error?: Answer['error'] }).error;
    } catch {
      error = undefined;
    }
  }
  return { status: res.status, body, error };
};

/**
 * One resource of each kind in a project, named `<prefix>-<kind>`, and an action (a power-off):
 * what recipes aim at. `secrets` go where a project keeps them (app env, droplet user data).
 */
export const createResources = async (
  client: UncloudClient,
  projectId: Targets['projectId'],
  prefix: string,
  secrets: { env: string; userData: string },
) => {
  const sshKey = await client.sshKeys.create.mutate({
    projectId,
    name: `${prefix}-key`,
    publicKey: await newSshPublicKey(`${prefix}@example.com`),
  });
  const volume = await client.volumes.create.mutate({ projectId, name: `${prefix}-vol`, sizeGiB: 10 });
  const droplet = await client.droplets.create.mutate({
    projectId,
    name: `${prefix}-web`,
    size: 's-1vcpu-1gb',
    image: 'ubuntu-24-04',
    sshKeyIds: [sshKey.id],
    userData: secrets.userData,
    tags: [`${prefix}-tag`],
  });
  const app = await client.apps.create.mutate({
    projectId,
    name: `${prefix}-api`,
    image: 'nginx:1.27',
    port: 80,
    env: { DATABASE_URL: secrets.env },
  });
  const database = await client.databases.create.mutate({
    projectId,
    name: `${prefix}-db`,
    engine: 'postgres',
    size: 'db-s-1vcpu-1gb',
  });
  const firewall = await client.firewalls.create.mutate({
    projectId,
    name: `${prefix}-fw`,
    inbound: [{ protocol: 'tcp', ports: '22', sources: ['203.0.113.7/32'] }],
    targets: [droplet.id],
  });
  const loadBalancer = await client.loadBalancers.create.mutate({
    projectId,
    name: `${prefix}-lb`,
    forwardingRules: [{ entryProtocol: 'tcp', entryPort: 443, targetPort: 443 }],
    dropletIds: [droplet.id],
  });
  const reservedIp = await client.reservedIps.create.mutate({ projectId, name: `${prefix}-ip` });
  const action = await client.droplets.powerOff.mutate({ projectId, id: droplet.id });
  const snapshot = await client.volumes.snapshot.mutate({ projectId, id: volume.id, name: `${prefix}-snap` });
  const bucket = await client.buckets.create.mutate({ projectId, name: `${prefix}-bucket` });
  return {
    sshKey,
    volume,
    droplet,
    app,
    database,
    firewall,
    loadBalancer,
    reservedIp,
    action,
    snapshot,
    bucket,
  };
};

/**
 * A completed backup of the project's database, written straight into the store: taking one needs a
 * running database and bucket, which suites without a cluster do not have (database-backups.test.ts
 * takes real ones).
 */
export const seedDatabaseBackup = (
  store: IntentStore,
  t: Pick<Targets, 'projectId' | 'databaseId' | 'bucketId'>,
  name: string,
) => {
  const id = newId('databaseBackup');
  databaseBackupsRepository.insert(store.db, {
    id,
    projectId: t.projectId,
    name,
    databaseId: t.databaseId,
    databaseName: name,
    engine: 'postgres',
    bucketId: t.bucketId,
    origin: 'manual',
    objectName: id.replace('_', '-'),
  });
  // As the engine records a completed backup: the state is its to set, not the creator's.
  databaseBackupsRepository.recordSync(store.db, id, {
    state: 'active',
    phase: 'completed',
    observedGeneration: 1,
    observedAt: new Date(),
    syncError: null,
  });
  return id;
};
