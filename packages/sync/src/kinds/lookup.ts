import {
  type DatabaseRow,
  type Db,
  type QuotaRow,
  bucketsRepository,
  databasesRepository,
  dropletsRepository,
  firewallsInProject,
  imagesRepository,
  projectsRepository,
  quotasRepository,
  sshKeysRepository,
  taggedInProject,
  volumeAttachments,
  volumesRepository,
} from '@uncloud/db';
import { type BackupBucket, type TagIndex, firewallTargetIds } from '@uncloud/kube';
import type {
  BucketId,
  DatabaseEngine,
  DatabaseId,
  DropletId,
  Filesystem,
  ProjectId,
  SshKeyId,
  VolumeId,
  InboundRule,
} from '@uncloud/sdk';

/** What an app's objects need of a database attached to it. */
export interface DatabaseFacts {
  engine: DatabaseEngine;
  activePasswordRevision: number;
}

/** The related intent a resource's desired objects depend on. */
export interface IntentLookup {
  /** Whether the sync engine has seen the project's namespace active. */
  namespaceReady(projectId: ProjectId): boolean;
  volumesOf(dropletId: DropletId): VolumeId[];
  /** A custom image's source (stock images are the manifests' own); undefined when there is none. */
  customImage(
    slug: string,
  ): { sourceType: 'registry' | 'http'; url: string; checksum: string | null } | undefined;
  /** What a droplet's guest needs of a volume attached to it: the name it is mounted by, its filesystem. */
  volume(id: VolumeId): { name: string; filesystem: Filesystem } | undefined;
  sshPublicKey(projectId: ProjectId, keyId: SshKeyId): string | undefined;
  /** Droplet and app ids of a project by tag (resources being deleted left out). */
  tagIndex(projectId: ProjectId): TagIndex;
  quota(projectId: ProjectId): QuotaRow | undefined;
  /** Droplet and app ids of a project that a firewall (not being deleted) applies to now. */
  firewalled(projectId: ProjectId): string[];
  /** The inbound rules of the firewalls applying to a droplet or app; null when none applies. */
  firewallInbound(projectId: ProjectId, id: string): InboundRule[] | null;
  /** A droplet of the project as it runs now, for the load balancers in front of it. */
  droplet(projectId: ProjectId, id: string): { ip: string | null; state: string } | undefined;
  /** A database of the project, for the apps attached to it (none once it is being deleted). */
  database(projectId: ProjectId, id: DatabaseId): DatabaseFacts | undefined;
  /** A bound bucket of the project (not being deleted), for the backups written to it. */
  bucket(projectId: ProjectId, id: string): BackupBucket | undefined;
  /** A database of the project as intent holds it (none once it is being deleted), for its backups. */
  databaseRow(projectId: ProjectId, id: DatabaseId): DatabaseRow | undefined;
}

const boundBucket = (
  row:
    | { id: string; projectId: ProjectId; state: string; bucketName: string | null; endpoint: string | null }
    | undefined,
  projectId: ProjectId,
): BackupBucket | undefined =>
  row && row.projectId === projectId && row.state !== 'deleting' && row.bucketName && row.endpoint
    ? { id: row.id, bucketName: row.bucketName, endpoint: row.endpoint }
    : undefined;

const databaseIn = (row: DatabaseRow | undefined, projectId: ProjectId) =>
  row && row.projectId === projectId && row.state !== 'deleting' ? row : undefined;

const factsOf = (
  row:
    | { projectId: ProjectId; state: string; engine: DatabaseEngine; activePasswordRevision: number }
    | undefined,
  projectId: ProjectId,
) =>
  row && row.projectId === projectId && row.state !== 'deleting'
    ? { engine: row.engine, activePasswordRevision: row.activePasswordRevision }
    : undefined;

const dropletIn = (
  row: { projectId: ProjectId; ip: string | null; state: string } | undefined,
  projectId: ProjectId,
) =>
  row && row.projectId === projectId && row.state !== 'deleting'
    ? { ip: row.ip, state: row.state }
    : undefined;

/** The ids the firewalls of one project apply to, tags expanded through the project's index. */
const firewalledIn = (
  firewalls: { projectId: string; state: string; targets: string[] }[],
  projectId: ProjectId,
  tags: TagIndex,
) =>
  [
    ...new Set(
      firewalls
        .filter((f) => f.projectId === projectId && f.state !== 'deleting')
        .flatMap((f) => firewallTargetIds(f, tags)),
    ),
  ].sort();

/** The inbound rules of the firewalls of a project that apply to one id (null: none applies). */
const inboundOf = (
  firewalls: { projectId: string; state: string; targets: string[]; inbound: InboundRule[] }[],
  projectId: ProjectId,
  id: string,
  tags: TagIndex,
) => {
  const applying = firewalls.filter(
    (f) => f.projectId === projectId && f.state !== 'deleting' && firewallTargetIds(f, tags).includes(id),
  );
  return applying.length === 0 ? null : applying.flatMap((f) => f.inbound);
};

const buildTagIndex = (
  rows: { projectId: string; state: string; id: string; tags: string[] }[],
  projectId?: string,
) => {
  const byProject = new Map<string, TagIndex>();
  for (const row of rows) {
    if (row.state === 'deleting' || (projectId && row.projectId !== projectId)) continue;
    const index = byProject.get(row.projectId) ?? {};
    byProject.set(row.projectId, index);
    for (const tag of row.tags) (index[tag] ??= []).push(row.id);
  }
  return byProject;
};

/**
 * Asks SQLite for each fact as it is needed, of the resource's own project only: right for
 * reconciling one resource. The project's tag index is built once per lookup, and only when a
 * firewall of the project needs it.
 */
export const directLookup = (db: Db): IntentLookup => {
  const tagIndexes = new Map<ProjectId, TagIndex>();
  const tagIndexOf = (projectId: ProjectId) => {
    let index = tagIndexes.get(projectId);
    if (!index) {
      index = buildTagIndex(taggedInProject(db, projectId), projectId).get(projectId) ?? {};
      tagIndexes.set(projectId, index);
    }
    return index;
  };
  const lookup: IntentLookup = {
    namespaceReady: (projectId) => Boolean(projectsRepository.find(db, projectId)?.namespace),
    volumesOf: (dropletId) => volumeAttachments(db, [dropletId]).get(dropletId) ?? [],
    volume: (id) => volumesRepository.byId(db, id),
    customImage: (slug) => imagesRepository.find(db, slug),
    sshPublicKey: (projectId, keyId) => sshKeysRepository.find(db, projectId, keyId)?.publicKey,
    tagIndex: tagIndexOf,
    quota: (projectId) => quotasRepository.find(db, projectId),
    droplet: (projectId, id) => dropletIn(dropletsRepository.byId(db, id as DropletId), projectId),
    database: (projectId, id) => factsOf(databasesRepository.byId(db, id), projectId),
    bucket: (projectId, id) => boundBucket(bucketsRepository.byId(db, id as BucketId), projectId),
    databaseRow: (projectId, id) => databaseIn(databasesRepository.byId(db, id), projectId),
    firewalled: (projectId) => {
      const firewalls = firewallsInProject(db, projectId);
      return firewalls.length === 0 ? [] : firewalledIn(firewalls, projectId, tagIndexOf(projectId));
    },
    firewallInbound: (projectId, id) => {
      const firewalls = firewallsInProject(db, projectId);
      return firewalls.length === 0 ? null : inboundOf(firewalls, projectId, id, tagIndexOf(projectId));
    },
  };
  return lookup;
};

/**
 * Asks as `directLookup` does, and remembers each answer for the rest of a pass (a resync, a
 * health-check round): a pass judges only the rows that changed, and loading every row of every
 * kind for them (thousands, tens of milliseconds in one go) would hold the event loop longer than
 * a request may wait.
 */
export const passLookup = (db: Db): IntentLookup => {
  const direct = directLookup(db);
  const remembered = new Map<string, unknown>();
  const remember =
    <A extends unknown[], R>(name: string, ask: (...args: A) => R) =>
    (...args: A): R => {
      const key = `${name}\u0000${args.join('\u0000')}`;
      if (remembered.has(key)) return remembered.get(key) as R;
      const answer = ask(...args);
      remembered.set(key, answer);
      return answer;
    };
  return Object.fromEntries(
    Object.entries(direct).map(([name, ask]) => [
      name,
      remember(name, ask as (...args: unknown[]) => unknown),
    ]),
  ) as unknown as IntentLookup;
};
