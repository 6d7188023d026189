import { type ProjectId, type SshKeyId, notFound } from '@uncloud/sdk';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { sshKeys, type SshKeyRow } from '../schema.ts';
import { uniquely } from './constraints.ts';
import { filter, type Page, type PageRequest, selectPage } from './pagination.ts';

const unique = {
  name: 'an SSH key with this name already exists in the project',
  fingerprint: { message: 'this public key is already in the project', field: 'publicKey' },
};

/** SSH keys live only in intent: they reach Kubernetes inside the droplets that use them. */
export const sshKeysRepository = {
  list(db: Db, projectId: ProjectId, request: PageRequest & { name?: string | undefined }): Page<SshKeyRow> {
    const filters = [
      filter('project', () => eq(sshKeys.projectId, sql.placeholder('projectId')), { projectId }),
    ];
    if (request.name) {
      filters.push(
        filter('name', () => sql`instr(${sshKeys.name}, ${sql.placeholder('name')}) > 0`, {
          name: request.name.toLowerCase(),
        }),
      );
    }
    return selectPage<SshKeyRow>(db, sshKeys, filters, request);
  },

  find(db: Db, projectId: ProjectId, id: SshKeyId): SshKeyRow | undefined {
    return db
      .select()
      .from(sshKeys)
      .where(and(eq(sshKeys.projectId, projectId), eq(sshKeys.id, id)))
      .get();
  },

  get(db: Db, projectId: ProjectId, id: SshKeyId): SshKeyRow {
    const row = sshKeysRepository.find(db, projectId, id);
    if (!row) throw notFound('SSH key', id);
    return row;
  },

  insert(db: Db, values: typeof sshKeys.$inferInsert): SshKeyRow {
    return uniquely(() => db.insert(sshKeys).values(values).returning().get(), unique);
  },

  rename(db: Db, projectId: ProjectId, id: SshKeyId, name: string): SshKeyRow {
    const row = uniquely(
      () =>
        db
          .update(sshKeys)
          .set({ name, updatedAt: new Date() })
          .where(and(eq(sshKeys.projectId, projectId), eq(sshKeys.id, id)))
          .returning()
          .get(),
      unique,
    );
    if (!row) throw notFound('SSH key', id);
    return row;
  },

  delete(db: Db, projectId: ProjectId, id: SshKeyId): SshKeyRow {
    const row = db
      .delete(sshKeys)
      .where(and(eq(sshKeys.projectId, projectId), eq(sshKeys.id, id)))
      .returning()
      .get();
    if (!row) throw notFound('SSH key', id);
    return row;
  },

  countInProject(db: Db, projectId: ProjectId): number {
    return db
      .select({ n: sql<number>`count(*)` })
      .from(sshKeys)
      .where(eq(sshKeys.projectId, projectId))
      .get()!.n;
  },
};
