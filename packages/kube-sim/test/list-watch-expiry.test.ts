import { makeInformer, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError, createNamespace, startSim, waitFor, type TestCluster } from './helpers.ts';

// What happens when continue tokens and watches expire. On a real cluster that takes an etcd
// compaction (minutes); the simulator does it on request, so these run on the simulator only.

let t: TestCluster;
const ns = 'expiry';

beforeAll(async () => {
  t = await startSim({ profile: 'bare' });
  await createNamespace(t, ns);
  for (const name of ['a', 'b', 'c'])
    await t.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name } } });
});
afterAll(() => t?.stop());

interface Seen {
  type: string;
  name?: string;
  code?: number;
}

describe('expiry', () => {
  it('answers 410 Expired to a continue token issued before the tokens expired', async () => {
    const first = await t.core.listNamespacedSecret({ namespace: ns, limit: 1 });
    expect(first.metadata?._continue).toBeTruthy();
    t.sim.expireContinueTokens();
    const expired = await apiError(
      t.core.listNamespacedSecret({ namespace: ns, limit: 1, _continue: first.metadata?._continue }),
    );
    expect(expired.code).toBe(410);
    expect(expired.body.reason).toBe('Expired');
  });

  it("answers 410 with a fresh token that continues the list once the first page's snapshot is compacted", async () => {
    const first = await t.core.listNamespacedSecret({ namespace: ns, limit: 1 });
    await t.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'b2' } } });
    t.sim.expireWatches();
    const path = `/api/v1/namespaces/${ns}/secrets?limit=10&continue=${first.metadata?._continue ?? ''}`;
    const expired = await t.request(path);
    expect(expired.status).toBe(410);
    const status = expired.body as { reason: string; message: string; metadata: { continue?: string } };
    expect(status.reason).toBe('Expired');
    expect(status.message).toMatch(
      /^The provided continue parameter is too old to display a consistent list result/,
    );
    const fresh = await t.core.listNamespacedSecret({
      namespace: ns,
      limit: 10,
      _continue: status.metadata.continue,
    });
    // The rest of the list as it is now (inconsistent, as the message says): the new secret too.
    expect(fresh.items.map((i) => i.metadata?.name)).toEqual(['b', 'b2', 'c']);
  });

  it('answers 410 to a list at a compacted resourceVersion with resourceVersionMatch=Exact', async () => {
    const before = await t.core.listNamespacedSecret({ namespace: ns });
    await t.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'exact-gone' } } });
    t.sim.expireWatches();
    const res = await t.request(
      `/api/v1/namespaces/${ns}/secrets?resourceVersion=${before.metadata?.resourceVersion ?? ''}&resourceVersionMatch=Exact`,
    );
    expect(res.status).toBe(410);
    expect((res.body as { message: string }).message).toBe(
      'The resourceVersion for the provided list is too old.',
    );
  });

  it('ends a watch from a too-old resourceVersion with an ERROR 410 Expired event', async () => {
    const list = await t.core.listNamespacedSecret({ namespace: ns });
    await t.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'bump' } } });
    t.sim.expireWatches();
    const events: Seen[] = [];
    await new Watch(t.kc).watch(
      `/api/v1/namespaces/${ns}/secrets`,
      { resourceVersion: list.metadata?.resourceVersion },
      (type, obj: { metadata?: { name?: string }; code?: number }) =>
        events.push({ type, name: obj.metadata?.name, code: obj.code }),
      () => events.push({ type: 'DONE' }),
    );
    await waitFor(() => events.some((e) => e.type === 'DONE'));
    expect(events[0]).toMatchObject({ type: 'ERROR', code: 410 });
  });

  it('keeps a makeInformer cache in step, re-listing after its watch expires', async () => {
    await createNamespace(t, 'informed');
    const informer = makeInformer(t.kc, '/api/v1/namespaces/informed/secrets', () =>
      t.core.listNamespacedSecret({ namespace: 'informed' }),
    );
    const errors: unknown[] = [];
    informer.on('error', (e) => errors.push(e));
    await informer.start();
    await t.core.createNamespacedSecret({ namespace: 'informed', body: { metadata: { name: 'one' } } });
    await waitFor(() => informer.list().some((c) => c.metadata?.name === 'one'));
    t.sim.expireWatches();
    await t.core.createNamespacedSecret({ namespace: 'informed', body: { metadata: { name: 'two' } } });
    await t.core.deleteNamespacedSecret({ name: 'one', namespace: 'informed' });
    await waitFor(() => {
      const n = informer.list().map((c) => c.metadata?.name);
      return n.length === 1 && n[0] === 'two';
    });
    expect(errors).toEqual([]);
    await informer.stop();
  });
});
