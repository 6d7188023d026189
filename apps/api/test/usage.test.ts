import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import { usageRepository } from '@uncloud/db';
import { APP_CONTAINER_REQUESTS, parseQuantity } from '@uncloud/kube';
import type { App, Droplet, ProjectId, UncloudClient, UsageSeries } from '@uncloud/sdk';
import { waitFor } from '@uncloud/testing';
import { failure } from './errors.ts';

let stack: Stack;
let c: UncloudClient;
let projectId: ProjectId;
let droplet: Droplet;
let app: App;
let sampled: UsageSeries[];
beforeAll(async () => {
  stack = await startStack({ usageIntervalMs: 100 });
  c = stack.client;
  projectId = (await c.projects.create.mutate({ name: 'measured' })).id;
  droplet = await c.droplets.create.mutate({
    projectId,
    name: 'web-1',
    size: 's-1vcpu-1gb',
    image: 'ubuntu-24-04',
  });
  app = await c.apps.create.mutate({ projectId, name: 'api', image: 'nginx:1.27', port: 80, replicas: 2 });
  sampled = await waitFor(
    async () => {
      const series = await c.usage.list.query({ projectId, minutes: 5 });
      return series.length === 2 && series.every((s) => s.points.length >= 3) ? series : null;
    },
    { timeout: 20_000, message: 'usage points for the droplet and the app' },
  );
}, 30_000);
afterAll(() => stack.close());

const seriesOf = (all: UsageSeries[], id: string) => all.find((s) => s.resourceId === id)!;

describe('usage', () => {
  it("samples a droplet's CPU and memory within its size", async () => {
    const size = (await c.sizes.list.query()).find((s) => s.slug === 's-1vcpu-1gb')!;
    const series = seriesOf(sampled, droplet.id);
    expect(series).toMatchObject({ resourceKind: 'droplet', name: 'web-1' });
    for (const point of series.points) {
      expect(point.cpuMillicores).toBeGreaterThan(0);
      expect(point.cpuMillicores).toBeLessThanOrEqual(size.vcpus * 1000);
      expect(point.memoryMiB).toBeGreaterThan(0);
      expect(point.memoryMiB).toBeLessThanOrEqual(size.memoryMiB);
    }
  });

  it("samples an app's CPU and memory within what its two replicas request", () => {
    const series = seriesOf(sampled, app.id);
    expect(series).toMatchObject({ resourceKind: 'app', name: 'api' });
    const perReplica = {
      cpu: parseQuantity(APP_CONTAINER_REQUESTS.cpu)! * 1000,
      memory: parseQuantity(APP_CONTAINER_REQUESTS.memory)! / 2 ** 20,
    };
    for (const point of series.points) {
      expect(point.cpuMillicores).toBeGreaterThan(0);
      expect(point.cpuMillicores).toBeLessThanOrEqual(2 * perReplica.cpu);
      expect(point.memoryMiB).toBeGreaterThan(0);
      expect(point.memoryMiB).toBeLessThanOrEqual(2 * perReplica.memory);
    }
  });

  it('lists points oldest first, and one resource alone when asked', async () => {
    const at = seriesOf(sampled, droplet.id).points.map((p) => Date.parse(p.at));
    expect(at).toEqual([...at].sort((a, b) => a - b));
    const one = await c.usage.list.query({ projectId, resourceId: app.id });
    expect(one.map((s) => s.resourceId)).toEqual([app.id]);
  });

  it('serves only the newest `minutes` of samples', async () => {
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    usageRepository.insert(stack.api.store.db, tenMinutesAgo, [
      { resourceId: droplet.id, projectId, cpuMillicores: 7, memoryMiB: 7 },
    ]);
    const recent = await c.usage.list.query({ projectId, resourceId: droplet.id, minutes: 5 });
    expect(recent[0]?.points.every((p) => Date.parse(p.at) > tenMinutesAgo.getTime())).toBe(true);
    const longer = await c.usage.list.query({ projectId, resourceId: droplet.id, minutes: 15 });
    expect(longer[0]?.points[0]).toEqual({ at: tenMinutesAgo.toISOString(), cpuMillicores: 7, memoryMiB: 7 });
    const { data } = await failure(c.usage.list.query({ projectId, minutes: 1441 }));
    expect(data).toMatchObject({ code: 'BAD_REQUEST', field: 'minutes' });
  });

  it('gives the newest sample as current, and none once the resource has missed a sampling round', async () => {
    const fresh = seriesOf(await c.usage.list.query({ projectId, minutes: 5 }), droplet.id);
    expect(fresh.current).toEqual(fresh.points.at(-1));
    const stillProject = await c.projects.create.mutate({ name: 'still' });
    const stopped = await c.apps.create.mutate({
      projectId: stillProject.id,
      name: 'stopped',
      image: 'nginx:1.27',
      port: 80,
      replicas: 0,
    });
    usageRepository.insert(stack.api.store.db, new Date(Date.now() - 3 * 60_000), [
      { resourceId: stopped.id, projectId: stillProject.id, cpuMillicores: 250, memoryMiB: 512 },
    ]);
    const [old] = await c.usage.list.query({ projectId: stillProject.id, minutes: 15 });
    expect(old?.points).toHaveLength(1);
    expect(old?.current).toBeNull();
  });

  it('gives a new resource an empty series until it is sampled', async () => {
    const quiet = await c.projects.create.mutate({ name: 'quiet' });
    const idle = await c.apps.create.mutate({
      projectId: quiet.id,
      name: 'idle',
      image: 'nginx:1.27',
      port: 80,
      replicas: 0,
    });
    expect(await c.usage.list.query({ projectId: quiet.id })).toEqual([
      { resourceKind: 'app', resourceId: idle.id, name: 'idle', points: [], current: null },
    ]);
  });

  it('answers NOT_FOUND to a viewer of another project, for the project and for its resources', async () => {
    const elsewhere = await c.projects.create.mutate({ name: 'elsewhere' });
    const { user, token } = await c.users.create.mutate({ name: 'onlooker' });
    await c.projects.addMember.mutate({ projectId: elsewhere.id, userId: user.id, role: 'viewer' });
    const onlooker = stack.clientWith(token.token);
    expect(await onlooker.usage.list.query({ projectId: elsewhere.id })).toEqual([]);
    expect((await failure(onlooker.usage.list.query({ projectId }))).data.code).toBe('NOT_FOUND');
    const { data } = await failure(
      onlooker.usage.list.query({ projectId: elsewhere.id, resourceId: droplet.id }),
    );
    expect(data).toMatchObject({ code: 'NOT_FOUND', field: 'resourceId' });
  });
});
