import { isDeepStrictEqual } from 'node:util';
import { badRequest, conflict } from '@uncloud/sdk';
import { type AppRow, type Db, appsRepository as apps, newId } from '@uncloud/db';
import type { App } from '@uncloud/sdk';
import { type AppService, type ProjectScope } from '@uncloud/sdk/contract';
import { nothingToChange } from './actions.ts';
import { assertImageReachable } from '../registry/image-access.ts';
import type { ServiceDeps } from './deps.ts';
import { readsSecrets, reconciledOutput } from './present.ts';
import { appCost, assertWithinQuota, costDelta } from './quota-usage.ts';
import { attachedVariables, presentAttachments, withAttachment, withoutAttachment } from './app-databases.ts';
import { resourceService } from './resource-service.ts';
import { createAppLogs } from './app-logs.ts';

/** Every name with its value withheld: what a viewer sees of an app's environment. */
const redactedEnv = (env: Record<string, string>): Record<string, null> =>
  Object.fromEntries(Object.keys(env).map((name) => [name, null]));

const presentApps = (db: Db, rows: AppRow[], scope: ProjectScope): App[] => {
  const secrets = readsSecrets(scope);
  return rows.map((row): App => ({
    id: row.id,
    projectId: row.projectId,
    name: row.name,
    image: row.image,
    port: row.port,
    replicas: row.replicas,
    env: secrets ? row.env : redactedEnv(row.env),
    envRedacted: !secrets && Object.keys(row.env).length > 0,
    domains: row.domains,
    healthCheckPath: row.healthCheckPath,
    tags: row.tags,
    state: row.state,
    readyReplicas: row.readyReplicas,
    availableReplicas: row.availableReplicas,
    updatedReplicas: row.updatedReplicas,
    previousImage: row.previousImage,
    url: row.url,
    databases: presentAttachments(db, row),
    ...reconciledOutput(row),
  }));
};

export const createAppService = (deps: ServiceDeps): AppService => {
  const base = resourceService(deps, 'app', apps, presentApps);

  return {
    ...createAppLogs(deps),
    list: base.list,
    get: base.get,

    create: (scope, input) =>
      base.commit(scope, (db) => {
        assertImageReachable(db, deps.registry?.host, scope.projectId, input.image);
        assertWithinQuota(db, scope.projectId, appCost(scope.projectId, input), {
          apps: 'name',
          vcpus: 'replicas',
          memoryMiB: 'replicas',
        });
        return apps.insert(db, {
          id: newId('app'),
          projectId: scope.projectId,
          name: input.name,
          image: input.image,
          port: input.port,
          replicas: input.replicas,
          env: input.env,
          domains: input.domains,
          healthCheckPath: input.healthCheckPath ?? null,
          tags: input.tags,
        });
      }),

    update: (scope, { projectId: _, id, ...patch }) => base.update(scope, id, patch),

    delete: (scope, ref) => base.delete(scope, ref),

    scale: (scope, { id, replicas }) =>
      base.act(scope, id, 'scale', (db, row) => {
        if (replicas === row.replicas)
          throw nothingToChange(`app ${row.name} already runs ${replicas} replicas`, 'replicas');
        assertWithinQuota(
          db,
          scope.projectId,
          costDelta(appCost(scope.projectId, { replicas }), appCost(scope.projectId, row)),
          'replicas',
        );
        return { patch: { replicas }, params: { replicas, from: row.replicas } };
      }),

    deploy: (scope, { id, image, env }) =>
      base.act(scope, id, 'deploy', (db, row) => {
        if (image !== undefined) assertImageReachable(db, deps.registry?.host, scope.projectId, image);
        const attached = attachedVariables(db, row);
        const taken = Object.keys(env ?? {}).find((name) => attached.has(name));
        if (taken)
          throw badRequest(
            `${taken} comes from a database attached to app ${row.name}; use another name, or detach the database`,
            `env.${taken}`,
          );
        const newImage = image !== undefined && image !== row.image;
        if (!newImage && (env === undefined || isDeepStrictEqual(env, row.env)))
          throw nothingToChange(
            `app ${row.name} already runs ${row.image}${env === undefined ? '' : ' with that environment'}`,
            image !== undefined || env === undefined ? 'image' : 'env',
          );
        return {
          patch: {
            ...(image !== undefined ? { image } : {}),
            ...(env !== undefined ? { env } : {}),
            ...(newImage ? { previousImage: row.image } : {}),
          },
          // Values of environment variables may be secrets: the action shows only their names.
          params: {
            ...(image !== undefined ? { image } : {}),
            ...(env !== undefined ? { env: Object.keys(env).sort() } : {}),
          },
        };
      }),

    redeploy: (scope, ref) =>
      base.act(scope, ref.id, 'redeploy', (_db, row) => {
        if (row.replicas === 0)
          throw conflict(`app ${row.name} runs no replicas; scale it up (apps.scale) instead`);
        return { patch: { restartedAt: new Date() }, revertible: false };
      }),

    // Attaching changes the app's pods (new variables), so it rolls them like any change of
    // intent; the values stay in the database's Secret.
    attachDatabase: (scope, { id, databaseId, envPrefix }) =>
      base.commit(scope, (db) => {
        const row = apps.get(db, scope.projectId, id);
        if (row.state === 'deleting')
          throw conflict(`app ${row.name} is being deleted and can no longer change`);
        return apps.update(db, scope.projectId, id, {
          databases: withAttachment(db, row, { databaseId, envPrefix }),
        });
      }),

    detachDatabase: (scope, { id, databaseId }) =>
      base.commit(scope, (db) => {
        const row = apps.get(db, scope.projectId, id);
        if (row.state === 'deleting')
          throw conflict(`app ${row.name} is being deleted and can no longer change`);
        return apps.update(db, scope.projectId, id, { databases: withoutAttachment(row, databaseId) });
      }),

    rollback: (scope, ref) =>
      base.act(scope, ref.id, 'rollback', (_db, row) => {
        if (!row.previousImage)
          throw conflict(`app ${row.name} has no earlier image to roll back to; deploy one with apps.deploy`);
        return {
          patch: { image: row.previousImage, previousImage: row.image },
          params: { image: row.previousImage, from: row.image },
        };
      }),
  };
};
