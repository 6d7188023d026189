import { type ProjectId, type RegistryCredentialId, notFound } from '@uncloud/sdk';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { type RegistryCredentialRow, registryCredentials } from '../schema.ts';
import { uniquely } from './constraints.ts';

const unique = {
  name: 'credentials with this name already exist in the project',
  server: {
    message: 'the project already has credentials for this registry: delete them first to replace them',
    field: 'server',
  },
};

/**
 * Credentials a project gave for other registries. Intent only: they reach the cluster inside the
 * image pull Secrets of the apps whose image is on their server.
 */
export const registryCredentialsRepository = {
  list(db: Db, projectId: ProjectId): RegistryCredentialRow[] {
    return db
      .select()
      .from(registryCredentials)
      .where(eq(registryCredentials.projectId, projectId))
      .orderBy(asc(registryCredentials.createdAt), asc(registryCredentials.id))
      .all();
  },

  /** The project's credentials for a registry host, if it gave some. */
  forServer(db: Db, projectId: ProjectId, server: string): RegistryCredentialRow | undefined {
    return db
      .select()
      .from(registryCredentials)
      .where(and(eq(registryCredentials.projectId, projectId), eq(registryCredentials.server, server)))
      .get();
  },

  insert(db: Db, values: typeof registryCredentials.$inferInsert): RegistryCredentialRow {
    return uniquely(() => db.insert(registryCredentials).values(values).returning().get(), unique);
  },

  delete(db: Db, projectId: ProjectId, id: RegistryCredentialId): RegistryCredentialRow {
    const row = db
      .delete(registryCredentials)
      .where(and(eq(registryCredentials.projectId, projectId), eq(registryCredentials.id, id)))
      .returning()
      .get();
    if (!row) throw notFound('registry credential', id);
    return row;
  },
};
