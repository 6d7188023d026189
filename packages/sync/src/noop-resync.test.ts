import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type IntentStore, appsRepository, newId, openIntentStore, tables } from '@uncloud/db';
import { namespaceName } from '@uncloud/kube';
import type { ProjectId } from '@uncloud/sdk';
import { waitFor } from '@uncloud/testing';
import { type SyncEngine, createSyncEngine } from './engine.ts';
import { fakeGateway } from './test-support/fake-gateway.ts';
import { settle } from './test-support/settle.ts';

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

/** Rows inserted, updated or deleted through the store's connection so far (SQLite's own count). */
const rowChanges = () => Number(store.sqlite.prepare('select total_changes()').pluck().get());

const converged = async (apps: number) => {
  const fake = fakeGateway({ onApply: settle });
  engine = createSyncEngine({
    store,
    gateway: fake.gateway,
    logger: { info: () => undefined, warn: () => undefined, debug: () => undefined },
    settings: { storageClass: undefined, ingressClass: undefined, policyFlavour: 'kubernetes' },
    intervalMs: 3_600_000,
    pollMs: 10,
  });
  const ids = Array.from(
    { length: apps },
    (_, i) =>
      appsRepository.insert(store.db, {
        id: newId('app'),
        projectId,
        name: `web-${i}`,
        image: 'nginx:1.27',
        port: 80,
        replicas: 1,
        env: {},
        domains: [],
        tags: [],
      }).id,
  );
  await engine.start();
  const active = () => ids.every((id) => appsRepository.byId(store.db, id)?.state === 'active');
  await waitFor(active, { message: `${apps} apps active` });
  await engine.queue.idle();
  return { engine, ids };
};

describe('a resync pass over converged resources', () => {
  it('writes no row, not even the observation time', async () => {
    const { engine, ids } = await converged(3);
    // The first pass may still record what it sees for the first time; after it, nothing changes.
    await engine.resync();
    await engine.queue.idle();
    const observedAt = ids.map((id) => appsRepository.byId(store.db, id)!.observedAt?.getTime());
    const before = rowChanges();

    await engine.resync();
    await engine.resync();
    await engine.queue.idle();

    expect(rowChanges() - before).toBe(0);
    expect(ids.map((id) => appsRepository.byId(store.db, id)!.observedAt?.getTime())).toEqual(observedAt);
  }, 30_000);
});
