import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  dropletsRepository,
  loadBalancersRepository,
  newId,
  openIntentStore,
  tables,
  type IntentStore,
  type LoadBalancerRow,
} from '@uncloud/db';
import type { DropletId, ProjectId } from '@uncloud/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { namespaceName, objectName } from '@uncloud/kube';
import { NETWORK_SUSPECT, createHealthChecker } from './checker.ts';
import type { ProbeTarget } from './probe.ts';

// The checker over a real intent store with a probe the test answers: each target is checked at
// its load balancer's interval, judged by the thresholds, and only a change is written and told.
describe('the health checker', () => {
  let dir: string;
  let store: IntentStore;
  let projectId: ProjectId;
  let droplet: DropletId;
  let lb: LoadBalancerRow['id'];
  let clock: number;
  let answer: { ok: boolean; reason: string };
  const probes: ProbeTarget[] = [];
  const changed: string[] = [];

  const checker = () =>
    createHealthChecker({
      store,
      isLeader: () => true,
      now: () => clock,
      probe: async (target) => {
        probes.push(target);
        return answer;
      },
      changed: (row) => changed.push(row.id),
    });
  const health = () => loadBalancersRepository.byId(store.db, lb)!.targetHealth[droplet];
  /** One look for due checks, and the checks it started finished. */
  const step = async (c: ReturnType<typeof checker>, seconds: number) => {
    clock += seconds * 1000;
    c.tick();
    await c.stop();
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'uncloud-health-'));
    store = openIntentStore(join(dir, 'uncloud.db'));
    projectId = newId('project');
    store.db.insert(tables.projects).values({ id: projectId, name: 'p', purpose: 'test' }).run();
    droplet = dropletsRepository.insert(store.db, {
      id: newId('droplet'),
      projectId,
      name: 'web',
      size: 's-1vcpu-1gb',
      image: 'ubuntu-24-04',
      sshKeyIds: [],
      tags: [],
      userData: null,
    }).id;
    store.db.update(tables.droplets).set({ state: 'active', ip: '10.42.0.5' }).run();
    lb = loadBalancersRepository.insert(store.db, {
      id: newId('loadBalancer'),
      projectId,
      name: 'front',
      forwardingRules: [{ entryProtocol: 'http', entryPort: 80, targetPort: 8080, hostname: null }],
      healthCheck: {
        protocol: 'http',
        port: 8080,
        path: '/healthz',
        intervalSeconds: 10,
        timeoutSeconds: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
      dropletIds: [droplet],
      tag: null,
      stickySessions: false,
      tlsCertificate: null,
      redirectHttpToHttps: false,
    }).id;
    clock = Date.UTC(2026, 0, 1);
    answer = { ok: true, reason: 'HTTP 200 from /healthz' };
    probes.length = 0;
    changed.length = 0;
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('checks a running target with its load balancer’s check, at its interval', async () => {
    const c = checker();
    await step(c, 0);
    expect(probes).toEqual([
      {
        ip: '10.42.0.5',
        namespace: namespaceName(projectId),
        vm: objectName(droplet),
        port: 8080,
        protocol: 'http',
        path: '/healthz',
        timeoutMs: 5000,
      },
    ]);
    expect(health()).toMatchObject({ healthy: true, reason: 'HTTP 200 from /healthz' });
    expect(changed).toEqual([lb]);
    await step(c, 5);
    expect(probes).toHaveLength(1);
    await step(c, 5);
    expect(probes).toHaveLength(2);
    // The same answer changes nothing worth writing or telling.
    expect(changed).toEqual([lb]);
  });

  it('takes a healthy target out after the unhealthy threshold, and back after the healthy one', async () => {
    const c = checker();
    await step(c, 0);
    answer = { ok: false, reason: 'HTTP 503 from /healthz' };
    await step(c, 10);
    await step(c, 10);
    expect(health()).toMatchObject({ healthy: true, reason: 'HTTP 503 from /healthz' });
    await step(c, 10);
    expect(health()).toMatchObject({ healthy: false, reason: 'HTTP 503 from /healthz' });
    answer = { ok: true, reason: 'HTTP 200 from /healthz' };
    await step(c, 10);
    expect(health()?.healthy).toBe(false);
    await step(c, 10);
    expect(health()?.healthy).toBe(true);
  });

  it('forgets a target that stops running, and starts afresh when the check changes', async () => {
    const c = checker();
    await step(c, 0);
    store.db.update(tables.droplets).set({ state: 'stopped', ip: null }).run();
    await step(c, 10);
    expect(health()).toBeUndefined();
    expect(probes).toHaveLength(1);
    store.db.update(tables.droplets).set({ state: 'active', ip: '10.42.0.6' }).run();
    answer = { ok: false, reason: 'connection refused on port 8080' };
    await step(c, 1);
    // Its first check decides again.
    expect(health()).toMatchObject({ healthy: false, reason: 'connection refused on port 8080' });
    const row = loadBalancersRepository.byId(store.db, lb)!;
    loadBalancersRepository.update(store.db, projectId, lb, {
      healthCheck: { ...row.healthCheck, protocol: 'tcp', path: null, port: 22 },
    });
    answer = { ok: true, reason: 'TCP port 22 accepts connections' };
    await step(c, 0);
    await step(c, 0);
    expect(probes.at(-1)).toMatchObject({ port: 22, protocol: 'tcp' });
    expect(health()).toMatchObject({ healthy: true, reason: 'TCP port 22 accepts connections' });
  });

  it('checks nothing while another process leads', async () => {
    const c = createHealthChecker({
      store,
      isLeader: () => false,
      probe: async (target) => (probes.push(target), answer),
      changed: () => undefined,
    });
    c.tick();
    await c.stop();
    expect(probes).toEqual([]);
  });
  describe('when every check goes unanswered at once', () => {
    let second: DropletId;
    const byIp: Record<string, { ok: boolean; reason: string; network?: boolean }> = {};
    const suspicions: boolean[] = [];
    const unanswered = { ok: false, reason: 'no answer on port 8080 within 5 s', network: true };
    const guarded = () =>
      createHealthChecker({
        store,
        isLeader: () => true,
        now: () => clock,
        probe: async (target) => byIp[target.vm === objectName(droplet) ? '10.42.0.5' : '10.42.0.6']!,
        changed: (row) => changed.push(row.id),
        networkSuspect: (suspect) => suspicions.push(suspect),
      });
    const healthOf = (id: DropletId) => loadBalancersRepository.byId(store.db, lb)!.targetHealth[id];

    beforeEach(() => {
      second = dropletsRepository.insert(store.db, {
        id: newId('droplet'),
        projectId,
        name: 'web-2',
        size: 's-1vcpu-1gb',
        image: 'ubuntu-24-04',
        sshKeyIds: [],
        tags: [],
        userData: null,
      }).id;
      store.db.update(tables.droplets).set({ state: 'active', ip: '10.42.0.5' }).run();
      loadBalancersRepository.update(store.db, projectId, lb, { dropletIds: [droplet, second] });
      byIp['10.42.0.5'] = { ok: true, reason: 'HTTP 200 from /healthz' };
      byIp['10.42.0.6'] = { ok: true, reason: 'HTTP 200 from /healthz' };
      suspicions.length = 0;
    });

    it('keeps every target in (the checker’s own network is suspect), says why, and tells it once', async () => {
      const c = guarded();
      await step(c, 0);
      byIp['10.42.0.5'] = unanswered;
      byIp['10.42.0.6'] = unanswered;
      for (let i = 0; i < 5; i++) await step(c, 10);
      for (const id of [droplet, second])
        expect(healthOf(id)).toMatchObject({
          healthy: true,
          reason: `no answer on port 8080 within 5 s; ${NETWORK_SUSPECT}`,
        });
      expect(suspicions).toEqual([true]);
      expect(c.networkSuspect()).toBe(true);

      // One target answers again: the other's silence is its own, and it is judged as usual.
      byIp['10.42.0.5'] = { ok: true, reason: 'HTTP 200 from /healthz' };
      for (let i = 0; i < 3; i++) await step(c, 10);
      expect(suspicions).toEqual([true, false]);
      expect(healthOf(droplet)).toMatchObject({ healthy: true, reason: 'HTTP 200 from /healthz' });
      expect(healthOf(second)).toMatchObject({ healthy: false, reason: 'no answer on port 8080 within 5 s' });
    });

    it('ends the suspicion when no target is left to check', async () => {
      byIp['10.42.0.5'] = unanswered;
      byIp['10.42.0.6'] = unanswered;
      const c = guarded();
      await step(c, 0);
      expect(c.networkSuspect()).toBe(true);
      store.db.update(tables.droplets).set({ state: 'stopped', ip: null }).run();
      await step(c, 10);
      expect(c.networkSuspect()).toBe(false);
      expect(suspicions).toEqual([true, false]);
    });

    it('lets new targets in when no check has ever been answered', async () => {
      byIp['10.42.0.5'] = unanswered;
      byIp['10.42.0.6'] = unanswered;
      const c = guarded();
      await step(c, 0);
      expect(healthOf(droplet)?.healthy).toBe(true);
      expect(healthOf(second)?.healthy).toBe(true);
      expect(healthOf(second)?.reason).toContain('not judged');
    });

    it('still takes a target out for a refusal or an HTTP error: those are answers', async () => {
      const c = guarded();
      await step(c, 0);
      byIp['10.42.0.5'] = { ok: false, reason: 'connection refused on port 8080' };
      byIp['10.42.0.6'] = { ok: false, reason: 'HTTP 503 from /healthz' };
      for (let i = 0; i < 3; i++) await step(c, 10);
      expect(healthOf(droplet)?.healthy).toBe(false);
      expect(healthOf(second)?.healthy).toBe(false);
      expect(suspicions).toEqual([]);
    });
  });

  it('judges a lone target’s silence as usual: one target cannot be told from its checker', async () => {
    const c = checker();
    await step(c, 0);
    answer = { ok: false, reason: 'no answer on port 8080 within 5 s', network: true } as typeof answer;
    for (let i = 0; i < 3; i++) await step(c, 10);
    expect(health()).toMatchObject({ healthy: false, reason: 'no answer on port 8080 within 5 s' });
  });
});
