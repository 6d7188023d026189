import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startStack, type Stack } from '@uncloud/api/testing';
import { INSTALLATION } from '@uncloud/kube';
import { createSimCluster } from '@uncloud/kube-sim';
import { waitFor } from '@uncloud/testing';
import { createLogger } from '../src/logger.ts';
import { type RunningServer, startServer } from '../src/server.ts';
import { failure } from './errors.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

describe('sync status and metrics', () => {
  it('reports the engine to administrators only', async () => {
    const status = await waitFor(async () => {
      const s = await stack.client.sync.status.query();
      return s.lastResyncAt !== null && s;
    });
    expect(status).toMatchObject({
      clusterMode: 'simulated',
      clusterSource: 'embedded',
      installationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      orphansWithheld: 0,
      otherInstallationObjects: 0,
      leader: true,
      reachable: true,
      resyncIntervalMs: 60_000,
      healthChecksUnanswered: false,
    });
    const { token } = await stack.client.users.create.mutate({ name: 'viewer' });
    expect((await failure(stack.clientWith(token.token).sync.status.query())).data.code).toBe('FORBIDDEN');
  });

  it('serves Prometheus metrics for requests and reconciles', async () => {
    const project = await stack.client.projects.create.mutate({ name: 'measured' });
    await waitFor(
      async () => (await stack.client.projects.get.query({ projectId: project.id })).state === 'active',
    );
    const response = await fetch(`${stack.url}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    for (const name of [
      'uncloud_http_request_duration_seconds_bucket{',
      'uncloud_sync_reconcile_duration_seconds_bucket{',
      'uncloud_sync_queue_depth ',
      'uncloud_sync_last_resync_timestamp_seconds ',
      'uncloud_sync_leader 1',
      'uncloud_sync_cluster_reachable 1',
      'uncloud_sync_watching 1',
      'uncloud_sync_orphans_withheld 0',
      'uncloud_sync_other_installation_objects 0',
      'uncloud_lb_health_checks_unanswered 0',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).toMatch(
      /uncloud_sync_reconcile_duration_seconds_count\{kind="project",outcome="ok"\} [1-9]/,
    );
    expect(text).toMatch(
      /uncloud_http_request_duration_seconds_count\{method="GET",route="trpc:projects.get",status="200"\} [1-9]/,
    );
  });
});

describe('database credentials', () => {
  it('serves the password from the cluster once the database is active, to members only', async () => {
    const c = stack.client;
    const project = await c.projects.create.mutate({ name: 'creds' });
    const projectId = project.id;
    await waitFor(async () => (await c.projects.get.query({ projectId })).state === 'active');
    const db = await c.databases.create.mutate({
      projectId,
      name: 'main',
      engine: 'postgres',
      size: 'db-s-1vcpu-1gb',
    });
    const early = await failure(c.databases.credentials.query({ projectId, id: db.id }));
    expect(early.data.code).toBe('CONFLICT');
    await waitFor(async () => (await c.databases.get.query({ projectId, id: db.id })).state === 'active', {
      timeout: 10_000,
    });
    const credentials = await c.databases.credentials.query({ projectId, id: db.id });
    expect(credentials).toMatchObject({ port: 5432, database: 'app', user: 'app' });
    expect(credentials.password.length).toBeGreaterThan(8);
    expect(credentials.uri).toBe(
      `postgresql://app:${encodeURIComponent(credentials.password)}@${credentials.host}:5432/app`,
    );
    const { user, token } = await c.users.create.mutate({ name: 'reader' });
    await c.projects.addMember.mutate({ projectId, userId: user.id, role: 'viewer' });
    expect(
      (await failure(stack.clientWith(token.token).databases.credentials.query({ projectId, id: db.id })))
        .data.code,
    ).toBe('FORBIDDEN');
  });
});

describe('choosing the cluster', () => {
  it('targets the cluster of KUBECONFIG and never starts the simulation', async () => {
    const outside = createSimCluster({ controllerDelayMs: 0 });
    const { kubeconfigPath } = await outside.start();
    const dir = mkdtempSync(join(tmpdir(), 'uncloud-external-'));
    const server = await startServer(
      {
        port: 0,
        host: '127.0.0.1',
        databasePath: join(dir, 'uncloud.db'),
        adminToken: 'external-admin-token-0123',
        webDir: dir,
        cluster: { kubeconfig: kubeconfigPath, dataDir: dir, syncIntervalMs: 60_000 },
      },
      createLogger('silent', false),
    );
    try {
      expect(server.cluster).toMatchObject({ mode: 'external', sim: undefined, kubeconfigPath });
      // The default project's namespace appears in the outside cluster.
      await waitFor(
        async () =>
          (
            await server.cluster!.gateway.list('Namespace', {
              labelSelector: 'app.kubernetes.io/managed-by=uncloud',
            })
          ).length === 1,
      );
    } finally {
      await server.close();
      await outside.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('on an empty database, leaves a populated cluster alone and says whose objects they are', async () => {
    const outside = createSimCluster({ controllerDelayMs: 0 });
    const { kubeconfigPath } = await outside.start();
    const dir = mkdtempSync(join(tmpdir(), 'uncloud-second-'));
    const start = (name: string, logs: string[] = []) =>
      startServer(
        {
          port: 0,
          host: '127.0.0.1',
          databasePath: join(dir, name, 'uncloud.db'),
          adminToken: 'external-admin-token-0123',
          webDir: dir,
          cluster: { mode: 'kubeconfig', kubeconfig: kubeconfigPath, dataDir: dir, syncIntervalMs: 60_000 },
        },
        pino({ level: 'info' }, { write: (line: string) => void logs.push(line) }),
      );
    const namespaces = async (server: RunningServer) =>
      (
        await server.cluster!.gateway.list('Namespace', {
          labelSelector: 'app.kubernetes.io/managed-by=uncloud',
        })
      ).map((n) => n.metadata.labels?.[INSTALLATION]);
    try {
      const first = await start('first');
      const firstId = (await first.services.sync.status()).installationId;
      await waitFor(async () => (await namespaces(first)).length === 1, { message: "the first's namespace" });
      await first.close();

      // Another database (lost, or a second replica's): another installation, which must not
      // take the first one's objects for orphans.
      const logs: string[] = [];
      const second = await start('second', logs);
      try {
        const status = await waitFor(async () => {
          const s = await second.services.sync.status();
          return s.lastResyncAt !== null && (await namespaces(second)).length === 2 && s;
        });
        expect(status.clusterSource).toBe('kubeconfig');
        expect(status.installationId).not.toBe(firstId);
        await second.sync!.resync();
        expect((await namespaces(second)).sort()).toEqual([firstId, status.installationId].sort());
        expect((await second.services.sync.status()).otherInstallationObjects).toBeGreaterThan(0);
        expect(logs.join('')).toContain('objects of other Uncloud installations alone');
      } finally {
        await second.close();
      }
    } finally {
      await outside.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
