import {
  type RegistryCredentialRow,
  appsRepository,
  newId,
  projectsRepository,
  registryCredentialsRepository as credentials,
} from '@uncloud/db';
import { registryHostOf } from '@uncloud/kube';
import { type RegistryCredential, type RegistryTag, badRequest } from '@uncloud/sdk';
import type { ProjectScope, RegistryService } from '@uncloud/sdk/contract';
import type { RegistryServiceDeps, ServiceDeps } from './deps.ts';

const presentCredential = (row: RegistryCredentialRow): RegistryCredential => ({
  id: row.id,
  projectId: row.projectId,
  name: row.name,
  server: row.server,
  username: row.username,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

/** Tags read for their manifests at once (each one request to the registry). */
const MANIFEST_CONCURRENCY = 4;
const MAX_TAGS_DESCRIBED = 100;

/**
 * The project's place in Uncloud's registry (repositories `<project>/…`, read from the registry
 * with Uncloud's own token) and the credentials it gave for other registries.
 */
export const createRegistryService = (
  { store, events }: ServiceDeps,
  { host, api }: RegistryServiceDeps,
): RegistryService => {
  const projectName = (scope: ProjectScope) => projectsRepository.find(store.db, scope.projectId)!.name;
  // Without a registry there is nothing in it: lists are empty, and `info` says why.
  const registry = () => (host && api ? api : undefined);
  /** Apps of the project pulling from `server` get their pull Secret again (or lose it). */
  const touchAppsOn = (scope: ProjectScope, server: string) => {
    for (const app of appsRepository.all(store.db))
      if (app.projectId === scope.projectId && !app.deletedAt && registryHostOf(app.image) === server)
        events.emit({ kind: 'app', id: app.id, projectId: app.projectId });
  };

  return {
    info(scope) {
      const name = projectName(scope);
      return {
        enabled: Boolean(host),
        host: host ?? null,
        prefix: host ? `${host}/${name}/` : null,
        canPush: scope.role !== 'viewer' && !scope.caller.readOnly,
      };
    },

    async repositories(scope) {
      const api = registry();
      if (!api) return [];
      const prefix = `${projectName(scope)}/`;
      const names = await api.repositories(prefix);
      return Promise.all(
        names.map(async (name) => ({ name, image: `${host}/${name}`, tags: await api.tags(name) })),
      );
    },

    async tags(scope, input) {
      const api = registry();
      if (!api) return [];
      const name = `${projectName(scope)}/${input.repository}`;
      const tags = (await api.tags(name)).slice(0, MAX_TAGS_DESCRIBED);
      const out: RegistryTag[] = [];
      for (let i = 0; i < tags.length; i += MANIFEST_CONCURRENCY) {
        const batch = tags.slice(i, i + MANIFEST_CONCURRENCY);
        out.push(
          ...(await Promise.all(
            batch.map(async (tag) => ({ name: tag, ...(await api.manifest(name, tag)) })),
          )),
        );
      }
      return out;
    },

    listCredentials: (scope) => credentials.list(store.db, scope.projectId).map(presentCredential),

    createCredential(scope, input) {
      if (host && input.server === host)
        throw badRequest(
          `${host} is Uncloud's own registry: apps pull this project's images from it with a credential Uncloud manages, and need none from you`,
          'server',
        );
      const row = credentials.insert(store.db, {
        id: newId('registryCredential'),
        projectId: scope.projectId,
        name: input.name,
        server: input.server,
        username: input.username,
        password: input.password,
      });
      touchAppsOn(scope, row.server);
      return presentCredential(row);
    },

    deleteCredential(scope, id) {
      const row = credentials.delete(store.db, scope.projectId, id);
      touchAppsOn(scope, row.server);
    },
  };
};
