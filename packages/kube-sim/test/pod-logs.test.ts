// pods/log of a Deployment's pod: what its simulated container writes, with tailLines, sinceSeconds,
// timestamps, container and follow, and the API server's refusals.
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, deployment, startSim, waitFor, type TestCluster } from './helpers.ts';

let t: TestCluster;
const ns = 'pod-logs';
let pod: string;
const logPath = (name: string, query = '') => `/api/v1/namespaces/${ns}/pods/${name}/log${query}`;

beforeAll(async () => {
  t = await startSim({ logIntervalMs: 100 });
  await createNamespace(t, ns);
  await waitFor(() => t.core.readNamespacedServiceAccount({ name: 'default', namespace: ns }));
  await t.apps.createNamespacedDeployment({ namespace: ns, body: deployment('shop', { image: 'shop:1.2' }) });
  pod = await waitFor(async () => {
    const pods = await t.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=shop' });
    const running = pods.items.find((p) => p.status?.phase === 'Running');
    if (!running) throw new Error('no running pod yet');
    return running.metadata!.name!;
  });
});
afterAll(async () => {
  await t.stop();
});

const lines = (body: unknown) => String(body).trimEnd().split('\n');

describe('pods/log', () => {
  it('starts with the image, then writes request lines over time', async () => {
    const res = await waitFor(async () => {
      const r = await t.request(logPath(pod));
      if (lines(r.body).length < 5) throw new Error('not enough lines yet');
      return r;
    });
    expect(res.status).toBe(200);
    const all = lines(res.body);
    expect(all[0]).toBe('starting shop:1.2');
    expect(all[1]).toMatch(/^web is ready/);
    expect(all[2]).toMatch(/^GET \/\S* 200 \d+ms \(request 1, web\)$/);
  });

  it('keeps the last tailLines lines', async () => {
    const res = await t.request(logPath(pod, '?tailLines=2'));
    expect(lines(res.body)).toHaveLength(2);
    expect(lines(res.body)[0]).toMatch(/^GET /);
    const none = await t.request(logPath(pod, '?tailLines=0'));
    expect(none.body).toBe('');
  });

  it('prefixes RFC 3339 timestamps and keeps only lines since sinceSeconds', async () => {
    // Wait until the pod is older than a second, so that sinceSeconds=1 leaves out its start.
    await waitFor(async () => {
      const r = await t.request(logPath(pod, '?timestamps=true&tailLines=1'));
      const at = Date.parse(lines(r.body)[0]!.split(' ')[0]!);
      const first = await t.request(logPath(pod, '?timestamps=true'));
      const start = Date.parse(lines(first.body)[0]!.split(' ')[0]!);
      if (at - start < 1500) throw new Error('the pod is younger than 1.5 s');
      return true;
    });
    const res = await t.request(logPath(pod, '?timestamps=true&sinceSeconds=1'));
    const got = lines(res.body);
    expect(got.length).toBeGreaterThan(0);
    for (const line of got) {
      const [stamp, ...rest] = line.split(' ');
      expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/);
      expect(Date.now() - Date.parse(stamp!)).toBeLessThanOrEqual(1500);
      expect(rest.join(' ')).toMatch(/^GET /);
    }
  });

  it('sends at most limitBytes, cutting a line if need be, and ends a followed log there', async () => {
    const res = await t.request(logPath(pod, '?limitBytes=10'));
    expect(res.body).toBe('starting s');
    const followed = await t.request(logPath(pod, '?limitBytes=20&follow=true'));
    expect(followed.body).toBe('starting shop:1.2\nwe');
  });

  it('answers 404 for an unknown pod and 400 for an unknown container', async () => {
    const missing = await t.request(logPath('nope'));
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ reason: 'NotFound', message: 'pods "nope" not found' });
    const badContainer = await t.request(logPath(pod, '?container=db'));
    expect(badContainer.status).toBe(400);
    expect(badContainer.body).toMatchObject({ message: `container db is not valid for pod ${pod}` });
    const named = await t.request(logPath(pod, '?container=web&tailLines=1'));
    expect(named.status).toBe(200);
  });

  it('refuses a negative tailLines, a zero sinceSeconds and an unparsable number', async () => {
    const negative = await t.request(logPath(pod, '?tailLines=-1'));
    expect(negative.status).toBe(422);
    expect(negative.body).toMatchObject({ reason: 'Invalid' });
    expect((negative.body as { message: string }).message).toContain('tailLines');
    const zero = await t.request(logPath(pod, '?sinceSeconds=0'));
    expect(zero.status).toBe(422);
    const text = await t.request(logPath(pod, '?tailLines=ten'));
    expect(text.status).toBe(400);
    const noBytes = await t.request(logPath(pod, '?limitBytes=0'));
    expect(noBytes.status).toBe(422);
  });

  it('follows: streams new lines until the pod is deleted', async () => {
    const url = new URL(logPath(pod, '?follow=true&tailLines=1'), t.kc.getCurrentCluster()!.server);
    const opts: https.RequestOptions = { headers: {} };
    await t.kc.applyToHTTPSOptions(opts);
    const received: string[] = [];
    let ended = false;
    const req = https.get(url, opts, (res) => {
      expect(res.statusCode).toBe(200);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => received.push(...chunk.trimEnd().split('\n')));
      res.on('end', () => (ended = true));
    });
    try {
      await waitFor(() => {
        if (received.length < 4) throw new Error(`only ${received.length} lines so far`);
        return true;
      });
      const requests = received.map((l) => Number(/\(request (\d+),/.exec(l)?.[1]));
      // Consecutive requests, each line once.
      for (let i = 1; i < requests.length; i += 1) expect(requests[i]).toBe(requests[i - 1]! + 1);
      await t.core.deleteNamespacedPod({ name: pod, namespace: ns, gracePeriodSeconds: 0 });
      await waitFor(() => {
        if (!ended) throw new Error('the stream is still open');
        return true;
      });
    } finally {
      req.destroy();
    }
  });
});
