import {
  type Db,
  type QuotaRow,
  appsRepository,
  dropletsRepository,
  projectsRepository,
  quotasRepository,
  sshKeysRepository,
  tables,
  volumeAttachments,
} from '@uncloud/db';
import type { TagIndex } from '@uncloud/kube';
import type { DropletId, ProjectId, SshKeyId, VolumeId } from '@uncloud/sdk';

/** The related intent a resource's desired objects depend on. */
export interface IntentLookup {
  /** Whether the sync engine has seen the project's namespace active. */
  namespaceReady(projectId: ProjectId): boolean;
  volumesOf(dropletId: DropletId): VolumeId[];
  sshPublicKey(projectId: ProjectId, keyId: SshKeyId): string | undefined;
  /** Droplet and app ids of a project by tag (resources being deleted left out). */
  tagIndex(projectId: ProjectId): TagIndex;
  quota(projectId: ProjectId): QuotaRow | undefined;
}

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

/** Asks SQLite for each fact as it is needed: right for reconciling one resource. */
export const directLookup = (db: Db): IntentLookup => ({
  namespaceReady: (projectId) => Boolean(projectsRepository.find(db, projectId)?.namespace),
  volumesOf: (dropletId) => volumeAttachments(db, [dropletId]).get(dropletId) ?? [],
  sshPublicKey: (projectId, keyId) => sshKeysRepository.find(db, projectId, keyId)?.publicKey,
  tagIndex: (projectId) =>
    buildTagIndex([...dropletsRepository.all(db), ...appsRepository.all(db)], projectId).get(projectId) ?? {},
  quota: (projectId) => quotasRepository.find(db, projectId),
});

/**
 * Loads each kind of fact once, for everything, the first time it is asked: right for a resync
 * pass over every resource, where per-row queries would dominate the pass.
 */
export const passLookup = (db: Db): IntentLookup => {
  const once = <T>(load: () => T) => {
    let value: T | undefined;
    return () => (value ??= load());
  };
  const namespaces = once(
    () =>
      new Set(
        projectsRepository
          .all(db)
          .filter((p) => p.namespace)
          .map((p) => p.id),
      ),
  );
  const attachments = once(() => {
    const map = new Map<DropletId, VolumeId[]>();
    for (const v of db
      .select({ id: tables.volumes.id, dropletId: tables.volumes.dropletId })
      .from(tables.volumes)
      .all()) {
      if (v.dropletId) map.set(v.dropletId, [...(map.get(v.dropletId) ?? []), v.id].sort());
    }
    return map;
  });
  const keys = once(
    () =>
      new Map(
        db
          .select()
          .from(tables.sshKeys)
          .all()
          .map((k) => [`${k.projectId}/${k.id}`, k.publicKey]),
      ),
  );
  const tags = once(() => buildTagIndex([...dropletsRepository.all(db), ...appsRepository.all(db)]));
  const quotas = once(
    () =>
      new Map(
        db
          .select()
          .from(tables.quotas)
          .all()
          .map((q) => [q.projectId, q]),
      ),
  );
  return {
    namespaceReady: (projectId) => namespaces().has(projectId),
    volumesOf: (dropletId) => attachments().get(dropletId) ?? [],
    sshPublicKey: (projectId, keyId) => keys().get(`${projectId}/${keyId}`),
    tagIndex: (projectId) => tags().get(projectId) ?? {},
    quota: (projectId) => quotas().get(projectId),
  };
};
