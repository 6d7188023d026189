import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import {
  type KindName,
  type KubeObject,
  credentialsSecretName,
  namespaceName,
  nextPasswordSecretName,
  objectName,
  passwordResetJobName,
} from '@uncloud/kube';
import type { Action, DatabaseEngine, ProjectId, UncloudClient } from '@uncloud/sdk';
import { waitFor } from '@uncloud/testing';

let stack: Stack;
let c: UncloudClient;
let projectId: ProjectId;
let namespace: string;

beforeAll(async () => {
  stack = await startStack();
  c = stack.client;
  projectId = (await c.projects.create.mutate({ name: 'passwords', description: '' })).id;
  namespace = namespaceName(projectId);
});
afterAll(() => stack?.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = KubeObject & Record<string, any>;
const object = (kind: KindName, name: string) =>
  stack.kube!.get(kind, namespace, name) as Promise<Loose | null>;
const password = (secret: Loose | null) => Buffer.from(String(secret?.data?.password), 'base64').toString();
const done = (action: Action) => c.waitForAction(action, { timeoutMs: 15_000, intervalMs: 50 });
const actionNow = async (action: Action) => (await c.actions.get.query({ projectId, id: action.id })).status;

const activeDatabase = async (name: string, engine: DatabaseEngine) => {
  const database = await c.databases.create.mutate({ projectId, name, engine, size: 'db-s-1vcpu-1gb' });
  await c.waitFor(c.databases, { projectId, id: database.id }, 'active', {
    timeoutMs: 15_000,
    intervalMs: 50,
  });
  return database;
};

describe.each(['mysql', 'valkey'] as const)('resetting a %s password', (engine) => {
  it('changes it on the server with a Job first, and only then hands out the new one', async () => {
    const database = await activeDatabase(`reset-${engine}`, engine);
    const before = await c.databases.credentials.query({ projectId, id: database.id });
    const job = passwordResetJobName(database, 2);
    // The Job is held: the server has not changed the password yet.
    stack.sim!.holdObject({ resource: 'batch/jobs', namespace, name: job });
    const action = await c.databases.resetPassword.mutate({ projectId, id: database.id });

    const reset = await waitFor(() => object('Job', job), { timeout: 10_000, message: 'the reset Job' });
    const container = reset.spec.template.spec.containers[0];
    expect(container.image).toBe(engine === 'mysql' ? 'mysql:8.4' : 'valkey/valkey:8.0');
    expect(container.command.join(' ')).toContain(
      engine === 'mysql' ? "ALTER USER 'app'@'%' IDENTIFIED BY '$NEW'" : 'CONFIG SET requirepass "$NEW"',
    );
    expect(container.env).toEqual([
      {
        name: 'OLD',
        valueFrom: { secretKeyRef: { name: credentialsSecretName(database), key: 'password' } },
      },
      {
        name: 'NEW',
        valueFrom: { secretKeyRef: { name: nextPasswordSecretName(database, 2), key: 'password' } },
      },
    ]);
    // Its pod is never one of the database's: no selector of the StatefulSet or Service takes it.
    expect(reset.spec.template.metadata.labels).toEqual({ 'uncloud.dev/password-reset': database.id });
    const next = password(await object('Secret', nextPasswordSecretName(database, 2)));
    expect(next).not.toBe(before.password);

    // While the server has not taken it, nothing hands out the new password.
    expect(await actionNow(action)).toBe('in-progress');
    expect((await c.databases.credentials.query({ projectId, id: database.id })).password).toBe(
      before.password,
    );

    stack.sim!.releaseObject({ resource: 'batch/jobs', namespace, name: job });
    expect((await done(action)).status).toBe('completed');
    const after = await c.databases.credentials.query({ projectId, id: database.id });
    expect(after.password).toBe(next);
    expect(password(await object('Secret', credentialsSecretName(database)))).toBe(next);
    // The Job and its Secret go once the reset is done.
    await waitFor(
      async () =>
        (await object('Job', job)) === null &&
        (await object('Secret', nextPasswordSecretName(database, 2))) === null,
      {
        timeout: 10_000,
        message: 'the reset Job and its Secret removed',
      },
    );
  });

  it('fails the action, keeping the old password, when the Job fails', async () => {
    const database = await activeDatabase(`broken-${engine}`, engine);
    const before = await c.databases.credentials.query({ projectId, id: database.id });
    const job = passwordResetJobName(database, 2);
    stack.sim!.holdObject({ resource: 'batch/jobs', namespace, name: job });
    const action = await c.databases.resetPassword.mutate({ projectId, id: database.id });
    await waitFor(() => object('Job', job), { timeout: 10_000, message: 'the reset Job' });
    // The Job's controller gives up (the server refused every try).
    const message = 'Job has reached the specified backoff limit';
    const failedCondition = (type: string) => ({
      type,
      status: 'True',
      reason: 'BackoffLimitExceeded',
      message,
    });
    stack.sim!.api.patch(
      stack.sim!.registry.byKind('batch/v1', 'Job')!,
      namespace,
      job,
      'application/merge-patch+json',
      JSON.stringify({
        status: { failed: 5, conditions: [failedCondition('FailureTarget'), failedCondition('Failed')] },
      }),
      { fieldManager: 'job-controller', subresource: 'status' },
    );
    await expect(done(action)).rejects.toThrow('did not take the new password');
    const failed = await c.actions.get.query({ projectId, id: action.id });
    expect(failed.status).toBe('errored');
    expect(failed.error).toContain(
      'did not take the new password (Job has reached the specified backoff limit)',
    );
    expect((await c.databases.credentials.query({ projectId, id: database.id })).password).toBe(
      before.password,
    );
    stack.sim!.releaseObject({ resource: 'batch/jobs', namespace, name: job });
  });
});

describe('resetting a PostgreSQL password', () => {
  it('completes once CloudNativePG has applied the new Secret to the role', async () => {
    const database = await activeDatabase('reset-postgres', 'postgres');
    const before = await c.databases.credentials.query({ projectId, id: database.id });
    expect((await done(await c.databases.resetPassword.mutate({ projectId, id: database.id }))).status).toBe(
      'completed',
    );
    const after = await c.databases.credentials.query({ projectId, id: database.id });
    expect(after.password).not.toBe(before.password);
    const [secret, cluster] = await Promise.all([
      object('Secret', credentialsSecretName(database)),
      object('Cluster', objectName(database.id)),
    ]);
    // CloudNativePG reloads Secrets labelled for it, and records which version of it the role has.
    expect(secret?.metadata.labels?.['cnpg.io/reload']).toBe('true');
    expect(cluster?.status.managedRolesStatus.passwordStatus.app.resourceVersion).toBe(
      secret?.metadata.resourceVersion,
    );
  });
});
