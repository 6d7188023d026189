import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type IntentStore, appsRepository, newId, openIntentStore, tables } from '@uncloud/db';
import {
  INSTALLATION,
  KubeError,
  type KubeObject,
  namespaceName,
  objectName,
  ownerLabels,
  withInstallation,
} from '@uncloud/kube';
import type { AppId, ProjectId } from '@uncloud/sdk';
import { type SyncEngine, createSyncEngine } from './engine.ts';
import { fakeGateway } from './test-support/fake-gateway.ts';
import { settle } from './test-support/settle.ts';
import { waitFor } from '@uncloud/testing';

let dir: string;
let store: IntentStore;
let engine: SyncEngine | undefined;
let projectId: ProjectId;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'uncloud-sync-'));
  store = openIntentStore(join(dir, 'uncloud.db'));
  projectId = newId('project');
  store.db
    .insert(tables.projects)
    .values({ id: projectId, name: 'p', purpose: 'test', namespace: namespaceName(projectId) })
    .run();
});

afterEach(async () => {
  await engine?.stop();
  engine = undefined;
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

let warnings: string[] = [];

const start = async ({
  refuse = () => undefined,
  refuseList,
  plant = () => [],
  installationId,
  orphanMaxShare,
}: {
  refuse?: (object: KubeObject) => void;
  refuseList?: (kind: string) => Error | undefined;
  /** Objects already in the cluster before the engine starts, given the app's id. */
  plant?: (appId: string) => KubeObject[];
  installationId?: string;
  orphanMaxShare?: number;
}) => {
  warnings = [];
  const fake = fakeGateway({
    onApply: (object) => {
      refuse(object);
      settle(object);
    },
    ...(refuseList ? { refuseList } : {}),
  });
  engine = createSyncEngine({
    store,
    gateway: fake.gateway,
    logger: {
      info: () => undefined,
      warn: (_object, message) => warnings.push(message),
      debug: () => undefined,
    },
    settings: {
      storageClass: undefined,
      ingressClass: undefined,
      policyFlavour: 'kubernetes',
      ...(installationId ? { installationId } : {}),
    },
    intervalMs: 3_600_000,
    pollMs: 10,
    ...(orphanMaxShare !== undefined ? { orphanMaxShare } : {}),
  });
  const app = appsRepository.insert(store.db, {
    id: newId('app'),
    projectId,
    name: 'web',
    image: 'nginx:1.27',
    port: 80,
    replicas: 1,
    env: {},
    domains: [],
    tags: [],
  });
  for (const object of plant(app.id)) fake.put(object);
  await engine.start();
  return { fake, engine, app, key: `app:${app.id}` };
};

const appRow = (id: AppId) => appsRepository.byId(store.db, id)!;
const resyncTimes = async (engine: SyncEngine, n: number) => {
  for (let i = 0; i < n; i++) {
    await engine.resync();
    await engine.queue.idle();
  }
};

describe('terminal failures', () => {
  it('stops retrying an object Kubernetes rejects as invalid until the intent changes', async () => {
    let rejecting = true;
    const { fake, engine, app, key } = await start({
      refuse: (object) => {
        if (rejecting && object.kind === 'Deployment')
          throw new KubeError(
            'Invalid',
            'Deployment.apps "web" is invalid: spec.template: bad',
            422,
            'Invalid',
          );
      },
    });
    const failed = await waitFor(() => appRow(app.id).state === 'error' && appRow(app.id), {
      message: 'the app in error',
    });
    expect(failed.syncError).toContain('spec.template: bad');

    await resyncTimes(engine, 3);
    expect(fake.applies('Deployment')).toBe(1);
    expect(engine.queue.failuresOf(key)).toBe(0);
    expect(appRow(app.id)).toMatchObject({ state: 'error', syncError: failed.syncError });

    rejecting = false;
    appsRepository.update(store.db, projectId, app.id, { replicas: 2 });
    engine.enqueue('app', app.id);
    const fixed = await waitFor(() => appRow(app.id).state === 'active' && appRow(app.id), {
      message: 'the app active',
    });
    expect(fixed).toMatchObject({ syncError: null, readyReplicas: 2, observedGeneration: 2 });
    expect(fake.applies('Deployment')).toBe(2);
  });

  it('retries a name clash when the API announces a change, even at the same generation', async () => {
    const namespace = namespaceName(projectId);
    const { fake, engine, app } = await start({
      plant: (appId) => [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: objectName(appId), namespace, labels: { team: 'someone-else' } },
        },
      ],
    });
    const failed = await waitFor(() => appRow(app.id).state === 'error' && appRow(app.id), {
      message: 'the app in error',
    });
    expect(failed.syncError).toMatch(/already exists .* not managed by Uncloud/);
    const looks = fake.calls.filter((c) => c === 'get Deployment').length;

    await resyncTimes(engine, 3);
    expect(fake.calls.filter((c) => c === 'get Deployment')).toHaveLength(looks);

    // The owner removes their object and touches the app (an update that changes nothing).
    fake.objects.delete(`Deployment/${namespace}/${objectName(app.id)}`);
    engine.enqueue('app', app.id);
    await waitFor(() => appRow(app.id).state === 'active', { message: 'the app active' });
    expect(appRow(app.id)).toMatchObject({ syncError: null, generation: 1 });
  });

  it('keeps backing off a refusal that lifts on its own (a quota exceeded)', async () => {
    let rejecting = true;
    const { fake, engine, app, key } = await start({
      refuse: (object) => {
        if (rejecting && object.kind === 'Deployment')
          throw new KubeError(
            'Forbidden',
            'deployments.apps "web" is forbidden: exceeded quota: uncloud-quota, requested: pods=1',
            403,
            'Forbidden',
          );
      },
    });
    await waitFor(() => appRow(app.id).state === 'error', { message: 'the app in error' });
    expect(engine.queue.failuresOf(key)).toBeGreaterThan(0);
    const applies = fake.applies('Deployment');
    await engine.resync();
    await engine.queue.idle();
    expect(fake.applies('Deployment')).toBeGreaterThan(applies);

    rejecting = false;
    await waitFor(() => appRow(app.id).state === 'active', {
      message: 'the app active after the quota allows it',
    });
    expect(appRow(app.id).syncError).toBeNull();
  });
});

describe('a kind the cluster refuses to list', () => {
  it('fails the resources that need it, and only them', async () => {
    const { engine, app } = await start({
      refuseList: (kind) =>
        kind === 'Deployment'
          ? new KubeError('Forbidden', 'deployments.apps is forbidden: cannot list', 403, 'Forbidden', {
              verb: 'list',
              target: { kind: 'Deployment' },
            })
          : undefined,
    });
    await waitFor(() => engine.status().lastResyncAt !== null, { message: 'a resync despite it' });
    await waitFor(() => appRow(app.id).state === 'error', { message: 'the app in error' });
    expect(appRow(app.id).syncError).toMatch(/forbidden.*RBAC/i);
    const project = store.db.select().from(tables.projects).all()[0]!;
    expect(project.state).toBe('active');
    expect(engine.status().watching).toBe(false);
  });
});

describe('orphan collection', () => {
  const ours = 'installation-ours';
  /** Services labelled as Uncloud's for apps that have no row, as `installation` wrote them. */
  const services = (count: number, installation: string | undefined) =>
    Array.from({ length: count }, (_, i): KubeObject => {
      const id = `app_${String(i).padStart(20, '0')}`;
      const service: KubeObject = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: objectName(id),
          namespace: namespaceName(projectId),
          labels: ownerLabels({ kind: 'app', id, projectId, name: `gone-${i}` }),
        },
      };
      return installation ? withInstallation(service, installation) : service;
    });
  const left = (fake: ReturnType<typeof fakeGateway>, kind: string) =>
    [...fake.objects.values()].filter((o) => o.kind === kind).length;

  it('labels what it writes with its installation', async () => {
    const { fake, app } = await start({ installationId: ours });
    await waitFor(() => appRow(app.id).state === 'active', { message: 'the app active' });
    // All but the leader-election Lease, which any process of any installation may take over.
    const written = [...fake.objects.values()].filter((o) => o.kind !== 'Lease');
    expect(written.map((o) => o.kind)).toContain('Deployment');
    for (const object of written) expect(object.metadata.labels?.[INSTALLATION]).toBe(ours);
  });

  it('never deletes another installation’s objects, and counts them', async () => {
    const { fake, engine } = await start({ installationId: ours, plant: () => services(3, 'theirs') });
    await resyncTimes(engine, 2);
    expect(left(fake, 'Service')).toBe(3 + 1); // theirs, and the app's own
    expect(fake.calls.filter((c) => c === 'delete Service')).toEqual([]);
    expect(engine.status()).toMatchObject({ otherInstallationObjects: 3, orphansWithheld: 0 });
  });

  it('refuses to delete more than the share of its objects in one pass, and says why', async () => {
    const { fake, engine } = await start({ installationId: ours, plant: () => services(12, ours) });
    await resyncTimes(engine, 2);
    expect(fake.calls.filter((c) => c === 'delete Service')).toEqual([]);
    expect(engine.status().orphansWithheld).toBe(12);
    expect(warnings.join('\n')).toMatch(
      /refusing to delete 12 of \d+ managed objects as orphans in one pass \(more than 50 %\): is this the right database\?.*UNCLOUD_ORPHAN_MAX_SHARE/,
    );
  });

  it('deletes them all when the guard is turned off', async () => {
    const { fake, engine } = await start({
      installationId: ours,
      orphanMaxShare: 1,
      plant: () => services(12, ours),
    });
    await resyncTimes(engine, 2);
    expect(fake.calls.filter((c) => c === 'delete Service')).toHaveLength(12);
    expect(engine.status().orphansWithheld).toBe(0);
  });

  it('deletes a handful of orphans whatever their share', async () => {
    const { fake, engine } = await start({ installationId: ours, plant: () => services(3, ours) });
    await resyncTimes(engine, 2);
    expect(fake.calls.filter((c) => c === 'delete Service')).toHaveLength(3);
  });
});
