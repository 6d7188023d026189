import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import { type KubeObject, credentialsSecretName, namespaceName, objectName } from '@uncloud/kube';
import type { ProjectId, UncloudClient } from '@uncloud/sdk';
import { waitFor } from '@uncloud/testing';
import { failure } from './errors.ts';

let stack: Stack;
let c: UncloudClient;
let projectId: ProjectId;

beforeAll(async () => {
  stack = await startStack();
  c = stack.client;
  projectId = (await c.projects.create.mutate({ name: 'connections', description: '' })).id;
});
afterAll(() => stack?.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = KubeObject & Record<string, any>;
const deploymentOf = async (appId: string) =>
  (await stack.kube!.get('Deployment', namespaceName(projectId), objectName(appId))) as Loose;

describe('attaching a database to an app', () => {
  it('gives its pods the connection from the Secret, rolls them on a password reset, and detaches', async () => {
    const database = await c.databases.create.mutate({
      projectId,
      name: 'orders',
      engine: 'postgres',
      size: 'db-s-1vcpu-1gb',
    });
    const app = await c.apps.create.mutate({ projectId, name: 'shop', image: 'nginx:1.27', port: 80 });
    const attached = await c.apps.attachDatabase.mutate({ projectId, id: app.id, databaseId: database.id });
    expect(attached.databases).toEqual([
      {
        databaseId: database.id,
        envPrefix: 'DATABASE',
        variables: [
          'DATABASE_URL',
          'DATABASE_HOST',
          'DATABASE_PORT',
          'DATABASE_USER',
          'DATABASE_PASSWORD',
          'DATABASE_NAME',
        ],
      },
    ]);
    await c.waitFor(c.databases, { projectId, id: database.id }, 'active', {
      timeoutMs: 15_000,
      intervalMs: 50,
    });
    await c.waitFor(c.apps, { projectId, id: app.id }, 'active', { timeoutMs: 15_000, intervalMs: 50 });

    const deployment = await deploymentOf(app.id);
    const env = deployment.spec.template.spec.containers[0].env as { name: string; valueFrom?: unknown }[];
    expect(env.find((e) => e.name === 'DATABASE_PASSWORD')).toEqual({
      name: 'DATABASE_PASSWORD',
      valueFrom: { secretKeyRef: { name: credentialsSecretName(database), key: 'password' } },
    });
    const annotation = () =>
      deploymentOf(app.id).then(
        (d) => d.spec.template.metadata.annotations['uncloud.dev/database-passwords'],
      );
    expect(await annotation()).toBe(`${database.id}=1`);

    // The password itself never reaches Uncloud's store.
    const { password } = await c.databases.credentials.query({ projectId, id: database.id });
    const file = stack.api.store.sqlite.name;
    for (const path of [file, `${file}-wal`].filter((p) => existsSync(p)))
      expect(readFileSync(path).includes(password)).toBe(false);

    const reset = await c.databases.resetPassword.mutate({ projectId, id: database.id });
    await c.waitForAction(reset, { timeoutMs: 15_000, intervalMs: 50 });
    await waitFor(async () => (await annotation()) === `${database.id}=2`, {
      timeout: 10_000,
      message: 'the app rolled to the new password',
    });

    // A database attached to an app is not deleted from under it.
    const del = await failure(c.databases.delete.mutate({ projectId, id: database.id }));
    expect(del.data?.code).toBe('CONFLICT');
    expect(del.message).toContain('attached to app shop');

    const detached = await c.apps.detachDatabase.mutate({ projectId, id: app.id, databaseId: database.id });
    expect(detached.databases).toEqual([]);
    await waitFor(
      async () =>
        !(await deploymentOf(app.id)).spec.template.spec.containers[0].env?.some(
          (e: { name: string }) => e.name === 'DATABASE_URL',
        ),
      { timeout: 10_000, message: 'the variables gone from the pods' },
    );
  });

  it('refuses a database of another project, a second attachment, and names that clash', async () => {
    const other = (await c.projects.create.mutate({ name: 'elsewhere', description: '' })).id;
    const foreign = await c.databases.create.mutate({
      projectId: other,
      name: 'theirs',
      engine: 'valkey',
      size: 'db-s-1vcpu-1gb',
    });
    const app = await c.apps.create.mutate({
      projectId,
      name: 'api',
      image: 'nginx:1.27',
      port: 80,
      env: { CACHE_URL: 'redis://old' },
    });
    const outside = await failure(
      c.apps.attachDatabase.mutate({ projectId, id: app.id, databaseId: foreign.id }),
    );
    expect(outside.data).toMatchObject({ code: 'BAD_REQUEST', field: 'databaseId' });

    const cache = await c.databases.create.mutate({
      projectId,
      name: 'cache',
      engine: 'valkey',
      size: 'db-s-1vcpu-1gb',
    });
    const clash = await failure(
      c.apps.attachDatabase.mutate({ projectId, id: app.id, databaseId: cache.id, envPrefix: 'CACHE' }),
    );
    expect(clash.data).toMatchObject({ code: 'BAD_REQUEST', field: 'envPrefix' });
    expect(clash.message).toContain('CACHE_URL');

    const ok = await c.apps.attachDatabase.mutate({
      projectId,
      id: app.id,
      databaseId: cache.id,
      envPrefix: 'REDIS',
    });
    // Valkey has a password and an address, no user or database name.
    expect(ok.databases[0]?.variables).toEqual(['REDIS_URL', 'REDIS_HOST', 'REDIS_PORT', 'REDIS_PASSWORD']);
    const twice = await failure(
      c.apps.attachDatabase.mutate({ projectId, id: app.id, databaseId: cache.id }),
    );
    expect(twice.data).toMatchObject({ field: 'databaseId' });
    const deploy = await failure(c.apps.deploy.mutate({ projectId, id: app.id, env: { REDIS_HOST: 'x' } }));
    expect(deploy.data).toMatchObject({ code: 'BAD_REQUEST', field: 'env.REDIS_HOST' });
    const badPrefix = await failure(
      c.apps.attachDatabase.mutate({ projectId, id: app.id, databaseId: cache.id, envPrefix: 'lower' }),
    );
    expect(badPrefix.data).toMatchObject({ code: 'BAD_REQUEST', field: 'envPrefix' });
  });
});
