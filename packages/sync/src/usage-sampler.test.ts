import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  appsRepository,
  dropletsRepository,
  newId,
  openIntentStore,
  tables,
  usageRepository,
  type IntentStore,
} from '@uncloud/db';
import {
  KubeError,
  type KubeGateway,
  type KubeObject,
  managedSelector,
  ownerLabels,
  type UncloudKind,
} from '@uncloud/kube';
import { USAGE_SELECTOR, aggregatePodMetrics, createUsageSampler } from './usage-sampler.ts';
import { AppId, type DropletId, type ProjectId } from '@uncloud/sdk';

const podMetrics = (
  name: string,
  owner: { kind: UncloudKind; id: string; projectId?: string } | null,
  containers: { cpu: string; memory: string }[],
): KubeObject => ({
  apiVersion: 'metrics.k8s.io/v1beta1',
  kind: 'PodMetrics',
  metadata: {
    name,
    namespace: 'uc-proj-x',
    labels: owner
      ? ownerLabels({ kind: owner.kind, id: owner.id, projectId: owner.projectId ?? 'proj_x', name: 'n' })
      : { app: 'unrelated' },
  },
  timestamp: '2025-01-01T00:00:00Z',
  window: '15s',
  containers: containers.map((usage, i) => ({ name: `c${i}`, usage })),
});

describe('aggregatePodMetrics', () => {
  it('sums every container of every pod per resource, in millicores and MiB', () => {
    const usage = aggregatePodMetrics([
      podMetrics('api-1', { kind: 'app', id: 'app_a' }, [{ cpu: '150000000n', memory: '65536Ki' }]),
      podMetrics('api-2', { kind: 'app', id: 'app_a' }, [
        { cpu: '50m', memory: '32Mi' },
        { cpu: '0.3', memory: '16777216' },
      ]),
      podMetrics('virt-launcher-web-x', { kind: 'droplet', id: 'dpl_w' }, [
        { cpu: '1200000u', memory: '1Gi' },
      ]),
    ]);
    expect(usage).toEqual([
      { resourceId: 'app_a', kind: 'app', cpuMillicores: 500, memoryMiB: 112 },
      { resourceId: 'dpl_w', kind: 'droplet', cpuMillicores: 1200, memoryMiB: 1024 },
    ]);
  });

  it("rounds the total, not each container's share", () => {
    const [usage] = aggregatePodMetrics([
      podMetrics('api-1', { kind: 'app', id: 'app_a' }, [
        { cpu: '400u', memory: '400Ki' },
        { cpu: '400u', memory: '400Ki' },
      ]),
    ]);
    expect(usage).toMatchObject({ cpuMillicores: 1, memoryMiB: 1 });
  });

  it('leaves out pods of other kinds, pods without our labels, and unreadable quantities', () => {
    const usage = aggregatePodMetrics([
      podMetrics('main-1', { kind: 'database', id: 'db_m' }, [{ cpu: '1', memory: '1Gi' }]),
      podMetrics('stray', null, [{ cpu: '1', memory: '1Gi' }]),
      podMetrics('api-1', { kind: 'app', id: 'app_a' }, [
        { cpu: 'lots', memory: '10Mi' },
        { cpu: '10m', memory: '' },
      ]),
    ]);
    expect(usage).toEqual([{ resourceId: 'app_a', kind: 'app', cpuMillicores: 10, memoryMiB: 10 }]);
  });

  it('selects only managed droplets and apps', () => {
    expect(USAGE_SELECTOR).toBe(`${managedSelector()},uncloud.dev/kind in (droplet,app)`);
  });
});

describe('usage sampler', () => {
  let dir: string;
  let store: IntentStore;
  let projectId: ProjectId;
  let dropletId: DropletId;
  let appId: AppId;
  const logger = { info: vi.fn(), warn: vi.fn(), debug: vi.fn() };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'uncloud-usage-'));
    store = openIntentStore(join(dir, 'uncloud.db'));
    projectId = newId('project');
    store.db.insert(tables.projects).values({ id: projectId, name: 'p', purpose: 'test' }).run();
    dropletId = dropletsRepository.insert(store.db, {
      id: newId('droplet'),
      projectId,
      name: 'web',
      size: 's-1vcpu-1gb',
      image: 'ubuntu-24-04',
      sshKeyIds: [],
      tags: [],
      userData: null,
    }).id;
    appId = appsRepository.insert(store.db, {
      id: newId('app'),
      projectId,
      name: 'api',
      image: 'nginx:1.27',
      port: 80,
      replicas: 1,
      env: {},
      domains: [],
      tags: [],
    }).id;
    vi.clearAllMocks();
  });
  afterEach(() => {
    vi.useRealTimers();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const gatewayWith = (list: () => Promise<KubeObject[]>) => {
    const calls: { kind: string; labelSelector: string | undefined }[] = [];
    const gateway = {
      list: (kind: string, options: { labelSelector?: string }) => {
        calls.push({ kind, labelSelector: options.labelSelector });
        return list();
      },
    } as unknown as KubeGateway;
    return { gateway, calls };
  };
  const samplesOf = (id: DropletId | AppId) =>
    usageRepository.series(store.db, { projectId, resourceIds: [id], since: new Date(0) });

  it("writes one sample per known droplet and app under its intent row's project, and prunes old ones", async () => {
    const { gateway, calls } = gatewayWith(async () => [
      // A label naming another project does not move the sample there: the intent row decides.
      podMetrics('virt-launcher-web', { kind: 'droplet', id: dropletId, projectId: 'proj_wrong' }, [
        { cpu: '250m', memory: '512Mi' },
      ]),
      podMetrics('api-1', { kind: 'app', id: appId }, [{ cpu: '20m', memory: '64Mi' }]),
      podMetrics('orphan', { kind: 'app', id: 'app_gonegonegonegonegone' }, [{ cpu: '20m', memory: '64Mi' }]),
    ]);
    const old = new Date(Date.now() - 25 * 60 * 60_000);
    usageRepository.insert(store.db, old, [{ resourceId: appId, projectId, cpuMillicores: 1, memoryMiB: 1 }]);
    const sampler = createUsageSampler({ store, gateway, logger, isLeader: () => true });
    expect(await sampler.sample()).toBe(2);
    expect(calls).toEqual([{ kind: 'PodMetrics', labelSelector: USAGE_SELECTOR }]);
    expect(samplesOf(dropletId)).toMatchObject([{ cpuMillicores: 250, memoryMiB: 512 }]);
    expect(samplesOf(appId)).toMatchObject([{ cpuMillicores: 20, memoryMiB: 64 }]);
    expect(samplesOf(AppId.parse('app_gonegonegonegonegone'))).toEqual([]);
  });

  it('reads nothing and writes nothing while another process leads', async () => {
    const { gateway, calls } = gatewayWith(async () => [
      podMetrics('api-1', { kind: 'app', id: appId }, [{ cpu: '20m', memory: '64Mi' }]),
    ]);
    const sampler = createUsageSampler({ store, gateway, logger, isLeader: () => false });
    expect(await sampler.sample()).toBe(0);
    expect(calls).toEqual([]);
    expect(samplesOf(appId)).toEqual([]);
  });

  it('does nothing without a metrics API, and says so once at debug level', async () => {
    const { gateway } = gatewayWith(() =>
      Promise.reject(new KubeError('NotFound', 'GET /apis/metrics.k8s.io/v1beta1/pods: not found', 404)),
    );
    const sampler = createUsageSampler({ store, gateway, logger, isLeader: () => true });
    expect(await sampler.sample()).toBe(0);
    expect(await sampler.sample()).toBe(0);
    expect(logger.debug).toHaveBeenCalledTimes(1);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('samples at once on start, then every interval, and leaves no timer once stopped', async () => {
    vi.useFakeTimers();
    const { gateway, calls } = gatewayWith(async () => [
      podMetrics('api-1', { kind: 'app', id: appId }, [{ cpu: '20m', memory: '64Mi' }]),
    ]);
    const sampler = createUsageSampler({ store, gateway, logger, isLeader: () => true, intervalMs: 1000 });
    sampler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(calls).toHaveLength(3);
    expect(samplesOf(appId)).toHaveLength(3);
    await sampler.stop();
    expect(vi.getTimerCount()).toBe(0);
    sampler.start();
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toHaveLength(3);
  });
});
