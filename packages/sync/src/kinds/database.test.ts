import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@uncloud/kube';
import { DatabaseBackupId, DatabaseId } from '@uncloud/sdk';
import { backupBucket, backupBucketId, databaseRow, fakeLookup, settings } from '../test-support/rows.ts';
import { databaseReconciler } from './database.ts';
import { upToDate } from './types.ts';

const objectsOf = (row = databaseRow()) => {
  const desired = databaseReconciler.desired(fakeLookup(), row, settings);
  if (!('objects' in desired)) throw new Error(desired.waitingFor);
  return desired.objects;
};

const cluster = (status: Record<string, unknown>): KubeObject => ({
  apiVersion: 'postgresql.cnpg.io/v1',
  kind: 'Cluster',
  metadata: { name: 'db-eeeeeeeeeeeeeeeeeeee' },
  status,
});
const statefulSet = (status: Record<string, unknown>): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'db-eeeeeeeeeeeeeeeeeeee' },
  status,
});

const pgHost = 'db-eeeeeeeeeeeeeeeeeeee-rw.uc-proj-aaaaaaaaaaaaaaaaaaaa.svc';
const notConnectable = {
  connectionHost: null,
  connectionPort: null,
  connectionDatabase: null,
  connectionUser: null,
};

describe('database desired', () => {
  it('waits for the project namespace', () => {
    expect(
      databaseReconciler.desired(fakeLookup({ namespaceReady: false }), databaseRow(), settings),
    ).toEqual({
      waitingFor: "the project's namespace",
    });
  });

  it('is a CloudNativePG Cluster and the credentials Secret for PostgreSQL', () => {
    const objects = objectsOf(databaseRow({ nodes: 3, version: '16', storageGiB: 40 }));
    expect(objects.map((o) => o.kind)).toEqual(['Cluster', 'Secret']);
    expect(objects[0]).toMatchObject({
      metadata: { name: 'db-eeeeeeeeeeeeeeeeeeee', namespace: 'uc-proj-aaaaaaaaaaaaaaaaaaaa' },
      spec: {
        instances: 3,
        imageName: 'ghcr.io/cloudnative-pg/postgresql:16',
        storage: { size: '40Gi' },
      },
    });
  });

  it("sizes the disk from the size's own until a resize grows it", () => {
    expect(objectsOf(databaseRow({ size: 'db-s-1vcpu-2gb', storageGiB: null }))[0]).toMatchObject({
      spec: { storage: { size: '25Gi' } },
    });
  });

  it('creates the credentials once, at the revision intent wants, with the connection details', () => {
    const secret = objectsOf(databaseRow({ passwordRevision: 4 }))[1]!;
    expect(secret).toMatchObject({
      kind: 'Secret',
      metadata: {
        name: 'db-eeeeeeeeeeeeeeeeeeee-credentials',
        annotations: { 'uncloud.dev/create-only': 'true', 'uncloud.dev/revision': '4' },
      },
      type: 'kubernetes.io/basic-auth',
      stringData: { username: 'app', host: pgHost, port: '5432', dbname: 'app' },
    });
    const { password } = secret.stringData as { password: string };
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect((objectsOf()[1]!.stringData as { password: string }).password).not.toBe(password);
  });

  it('is a StatefulSet, a headless Service and the Secret for engines without an operator', () => {
    const objects = objectsOf(databaseRow({ engine: 'mysql', version: '8.4', nodes: 1 }));
    expect(objects.map((o) => o.kind)).toEqual(['StatefulSet', 'Service', 'Secret']);
    expect(objects[0]).toMatchObject({
      spec: { replicas: 1, template: { spec: { containers: [{ image: 'mysql:8.4' }] } } },
    });
    expect(objects[2]).toMatchObject({
      stringData: { host: 'db-eeeeeeeeeeeeeeeeeeee.uc-proj-aaaaaaaaaaaaaaaaaaaa.svc', port: '3306' },
    });
  });
});

describe('database observe', () => {
  it.each<[string, Parameters<typeof databaseRow>[0], KubeObject[], string, Record<string, unknown>]>([
    [
      'PostgreSQL: no Cluster yet',
      { nodes: 2 },
      [],
      'provisioning',
      { readyNodes: null, primaryInstance: null, ...notConnectable },
    ],
    [
      'PostgreSQL: setting up, one instance of two ready',
      { nodes: 2 },
      [
        cluster({
          phase: 'Setting up primary',
          readyInstances: 1,
          currentPrimary: 'db-eeeeeeeeeeeeeeeeeeee-1',
        }),
      ],
      'provisioning',
      { readyNodes: 1, primaryInstance: 'db-eeeeeeeeeeeeeeeeeeee-1', ...notConnectable },
    ],
    [
      'PostgreSQL: healthy, every instance ready',
      { nodes: 2 },
      [
        cluster({
          phase: 'Cluster in healthy state',
          readyInstances: 2,
          currentPrimary: 'db-eeeeeeeeeeeeeeeeeeee-1',
        }),
      ],
      'active',
      {
        readyNodes: 2,
        primaryInstance: 'db-eeeeeeeeeeeeeeeeeeee-1',
        connectionHost: pgHost,
        connectionPort: 5432,
        connectionDatabase: 'app',
        connectionUser: 'app',
      },
    ],
    [
      'MySQL: the StatefulSet not ready',
      { engine: 'mysql', version: '8.4', nodes: 1 },
      [statefulSet({ replicas: 1 })],
      'provisioning',
      { readyNodes: 0, primaryInstance: null, ...notConnectable },
    ],
    [
      'MySQL: ready, the first pod is the primary',
      { engine: 'mysql', version: '8.4', nodes: 1 },
      [statefulSet({ replicas: 1, readyReplicas: 1 })],
      'active',
      {
        readyNodes: 1,
        primaryInstance: 'db-eeeeeeeeeeeeeeeeeeee-0',
        connectionHost: 'db-eeeeeeeeeeeeeeeeeeee.uc-proj-aaaaaaaaaaaaaaaaaaaa.svc',
        connectionPort: 3306,
        connectionDatabase: 'app',
        connectionUser: 'app',
      },
    ],
    [
      'Valkey stored with 3 nodes (from before they were refused): active once its one server is ready',
      { engine: 'valkey', version: '8.0', nodes: 3 },
      [statefulSet({ replicas: 1, readyReplicas: 1 })],
      'active',
      {
        readyNodes: 1,
        primaryInstance: 'db-eeeeeeeeeeeeeeeeeeee-0',
        connectionHost: 'db-eeeeeeeeeeeeeeeeeeee.uc-proj-aaaaaaaaaaaaaaaaaaaa.svc',
        connectionPort: 6379,
        connectionDatabase: 'app',
        connectionUser: 'app',
      },
    ],
  ])('%s', (_what, patch, objects, state, values) => {
    expect(databaseReconciler.observe(databaseRow(patch), objects)).toEqual({ state, values });
  });
});

describe('database password resets', () => {
  it('keeps the credentials Secret of MySQL and adds the reset Job and its Secret while one is pending', () => {
    const objects = objectsOf(
      databaseRow({ engine: 'mysql', version: '8.4', passwordRevision: 3, activePasswordRevision: 2 }),
    );
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'StatefulSet/db-eeeeeeeeeeeeeeeeeeee',
      'Service/db-eeeeeeeeeeeeeeeeeeee',
      'Secret/db-eeeeeeeeeeeeeeeeeeee-credentials',
      'Secret/db-eeeeeeeeeeeeeeeeeeee-password-3',
      'Job/db-eeeeeeeeeeeeeeeeeeee-password-3',
    ]);
    // The credentials Secret is only ever created by the engine: the reset writes the new password.
    expect(objects[2]?.metadata.annotations?.['uncloud.dev/revision']).toBe('1');
  });

  it('has no Job once the server took the password', () => {
    const objects = objectsOf(
      databaseRow({ engine: 'valkey', version: '8.0', passwordRevision: 3, activePasswordRevision: 3 }),
    );
    expect(objects.map((o) => o.kind)).toEqual(['StatefulSet', 'Service', 'Secret']);
  });

  it('replaces the PostgreSQL Secret at once, labelled for CloudNativePG to reload', () => {
    const secret = objectsOf(databaseRow({ passwordRevision: 4, activePasswordRevision: 3 }))[1];
    expect(secret?.metadata.annotations?.['uncloud.dev/revision']).toBe('4');
    expect(secret?.metadata.labels?.['cnpg.io/reload']).toBe('true');
  });
});

describe('database observe, when Kubernetes refuses its pods', () => {
  const failedCreate = (name: string, message: string): KubeObject =>
    ({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${name}.1` },
      involvedObject: { name },
      reason: 'FailedCreate',
      type: 'Warning',
      message,
      lastTimestamp: '2025-01-01T00:00:00Z',
    }) as KubeObject;
  const quota =
    'create Pod db-eeeeeeeeeeeeeeeeeeee-0 in StatefulSet db-eeeeeeeeeeeeeeeeeeee failed error: pods "db-eeeeeeeeeeeeeeeeeeee-0" is forbidden: exceeded quota: uncloud-quota, requested: requests.cpu=1, used: requests.cpu=12, limited: requests.cpu=12';

  it('is in error with the controller’s words while a pod is missing', () => {
    const row = databaseRow({ engine: 'mysql', state: 'provisioning' });
    const observed = databaseReconciler.observe(row, [
      statefulSet({ replicas: 0 }),
      failedCreate('db-eeeeeeeeeeeeeeeeeeee', quota),
    ]);
    expect(observed.state).toBe('error');
    expect(observed.error).toBe(
      `Kubernetes refused the database's pods: ${quota} — the project's quota in the cluster is used up; free room or ask an administrator to raise it, and it starts by itself`,
    );
    expect(databaseReconciler.failuresAbout?.(row)).toEqual(['db-eeeeeeeeeeeeeeeeeeee']);
  });

  it('reads the warning of the Job CloudNativePG bootstraps PostgreSQL with', () => {
    const observed = databaseReconciler.observe(databaseRow({ state: 'provisioning' }), [
      cluster({ instances: 0 }),
      failedCreate(
        'db-eeeeeeeeeeeeeeeeeeee-1-initdb',
        'Error creating: pods "x" is forbidden: exceeded quota: q',
      ),
    ]);
    expect(observed.state).toBe('error');
  });

  it('ignores an old warning once its pods exist, and warnings about other objects', () => {
    const row = databaseRow({ engine: 'mysql', state: 'provisioning' });
    expect(
      databaseReconciler.observe(row, [
        statefulSet({ replicas: 1 }),
        failedCreate('db-eeeeeeeeeeeeeeeeeeee', quota),
      ]).state,
    ).toBe('provisioning');
    expect(
      databaseReconciler.observe(row, [statefulSet({ replicas: 0 }), failedCreate('other', quota)]).state,
    ).toBe('provisioning');
    expect(databaseReconciler.failuresAbout?.(databaseRow({ state: 'active' }))).toEqual([]);
  });
});

describe('database restored from a MySQL or Valkey dump', () => {
  const restored = (engine: 'mysql' | 'valkey') =>
    databaseRow({
      engine,
      version: engine === 'mysql' ? '8.4' : '8',
      restoreFrom: {
        databaseId: DatabaseId.parse('db_dddddddddddddddddddd'),
        bucketId: backupBucketId,
        backupId: DatabaseBackupId.parse('dbb_jjjjjjjjjjjjjjjjjjjj'),
        backupName: 'dbb-jjjjjjjjjjjjjjjjjjjj',
        targetTime: null,
      },
    });
  const lookup = fakeLookup({ buckets: { [backupBucketId]: backupBucket } });
  const restoreJob = (conditions?: Record<string, unknown>[]): KubeObject => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'db-eeeeeeeeeeeeeeeeeeee-restore' },
    status: conditions ? { startTime: '2026-01-01T00:00:00Z', conditions } : {},
  });
  const serverReady = statefulSet({ replicas: 1, readyReplicas: 1 });

  it.each(['mysql', 'valkey'] as const)('loads the dump of %s with a restore Job owned by the database', (engine) => {
    const desired = databaseReconciler.desired(lookup, restored(engine), settings);
    if (!('objects' in desired)) throw new Error(desired.waitingFor);
    const job = desired.objects.find((o) => o.kind === 'Job' && o.metadata.name === 'db-eeeeeeeeeeeeeeeeeeee-restore');
    expect(JSON.stringify(job)).toContain('databases/db-dddddddddddddddddddd/dbb-jjjjjjjjjjjjjjjjjjjj/dump');
    // The StatefulSet starts an empty server: the Job loads it once it answers.
    const sts = desired.objects.find((o) => o.kind === 'StatefulSet') as KubeObject & {
      spec: { template: { spec: { initContainers?: unknown[] } } };
    };
    expect(sts.spec.template.spec.initContainers).toBeUndefined();
  });

  it('never re-applies the restore Job, whose pod template is immutable', () => {
    const desired = databaseReconciler.desired(lookup, restored('mysql'), settings);
    if (!('objects' in desired)) throw new Error(desired.waitingFor);
    const want = desired.objects.find((o) => o.kind === 'Job' && o.metadata.name === 'db-eeeeeeeeeeeeeeeeeeee-restore')!;
    // As an older Uncloud wrote it: another script, no annotations.
    const older = { ...want, metadata: { ...want.metadata, annotations: {} }, spec: { template: { spec: { containers: [] } } } };
    expect(upToDate(older, want)).toBe(true);
  });

  it.each(['mysql', 'valkey'] as const)('stays provisioning while the %s server runs but its dump is not loaded', (engine) => {
    for (const objects of [[serverReady], [serverReady, restoreJob()], [serverReady, restoreJob([])]]) {
      const seen = databaseReconciler.observe(restored(engine), objects);
      expect(seen.state).toBe('provisioning');
      expect(seen.values).toMatchObject(notConnectable);
      expect(seen.error).toBeUndefined();
    }
  });

  it('is active once the restore Job has completed', () => {
    const done = {
      ...restoreJob([{ type: 'Complete', status: 'True', reason: 'CompletionsReached' }]),
      status: {
        conditions: [{ type: 'Complete', status: 'True', reason: 'CompletionsReached' }],
        completionTime: '2026-01-01T00:01:00Z',
      },
    };
    const seen = databaseReconciler.observe(restored('mysql'), [serverReady, done]);
    expect(seen.state).toBe('active');
    // Recorded, so that the Job is let go.
    expect(seen.values.restoreLoadedAt).toEqual(new Date('2026-01-01T00:01:00Z'));
    expect(seen.values.connectionHost).toBe('db-eeeeeeeeeeeeeeeeeeee.uc-proj-aaaaaaaaaaaaaaaaaaaa.svc');
  });

  it('lets the restore Job go once the dump was loaded, and no longer needs the bucket', () => {
    const loaded = { ...restored('valkey'), restoreLoadedAt: new Date('2026-01-01T00:01:00Z') };
    // The bucket is gone (deleted with the dumps in it): the database goes on as it is.
    const desired = databaseReconciler.desired(fakeLookup(), loaded, settings);
    if (!('objects' in desired)) throw new Error(desired.waitingFor);
    expect(desired.objects.map((o) => o.kind)).toEqual(['StatefulSet', 'Service', 'Secret']);
    const seen = databaseReconciler.observe(loaded, [serverReady]);
    expect(seen.state).toBe('active');
    expect(seen.values.restoreLoadedAt).toBeUndefined();
  });

  it('is in error, never active, when the dump is missing from the bucket', () => {
    const failed = restoreJob([
      {
        type: 'Failed',
        status: 'True',
        reason: 'PodFailurePolicy',
        message:
          'Container download for pod uc-proj-aaaaaaaaaaaaaaaaaaaa/db-eeeeeeeeeeeeeeeeeeee-restore-x failed with exit code 3 matching FailJob rule at index 0',
      },
    ]);
    const seen = databaseReconciler.observe(restored('valkey'), [serverReady, failed]);
    expect(seen.state).toBe('error');
    expect(seen.error).toBe(
      'the backup dbb_jjjjjjjjjjjjjjjjjjjj could not be loaded: its dump is not in the bucket (deleted, or the backup never completed)',
    );
    expect(seen.values).toMatchObject(notConnectable);
  });

  it('is in error when the restore Job’s pod is refused, until the Job runs one', () => {
    const refused = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'db-eeeeeeeeeeeeeeeeeeee-restore.1' },
      involvedObject: { name: 'db-eeeeeeeeeeeeeeeeeeee-restore' },
      reason: 'FailedCreate',
      type: 'Warning',
      message: 'Error creating: pods "db-eeeeeeeeeeeeeeeeeeee-restore-x" is forbidden: exceeded quota: uncloud-quota',
      lastTimestamp: '2025-01-01T00:00:00Z',
    } as KubeObject;
    const row = { ...restored('mysql'), state: 'provisioning' as const };
    expect(databaseReconciler.failuresAbout?.(row)).toEqual(['db-eeeeeeeeeeeeeeeeeeee', 'db-eeeeeeeeeeeeeeeeeeee-restore']);
    const seen = databaseReconciler.observe(row, [serverReady, restoreJob([]), refused]);
    expect(seen.state).toBe('error');
    expect(seen.error).toMatch(/^Kubernetes refused the database's pods: Error creating: .* exceeded quota: uncloud-quota — the project's quota/);
    // Room was made: the Job runs its pod, and the old warning no longer counts.
    const running = { ...restoreJob([]), status: { startTime: '2026-01-01T00:00:00Z', active: 1 } };
    expect(databaseReconciler.observe(row, [serverReady, running, refused]).state).toBe('provisioning');
  });

  it('is in error with the Job’s words when every attempt failed', () => {
    const failed = restoreJob([
      { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' },
    ]);
    const seen = databaseReconciler.observe(restored('mysql'), [serverReady, failed]);
    expect(seen.state).toBe('error');
    expect(seen.error).toBe(
      'the backup dbb_jjjjjjjjjjjjjjjjjjjj could not be loaded: the restore Job failed every attempt (Job has reached the specified backoff limit)',
    );
  });
});
