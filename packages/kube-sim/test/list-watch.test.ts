import { makeInformer, Watch, type V1Secret } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError, createNamespace, startSim, waitFor, type TestCluster } from './helpers.ts';

let t: TestCluster;
const ns = 'lists';

beforeAll(async () => {
  t = await startSim({ profile: 'bare', bookmarkIntervalMs: 100 });
  await createNamespace(t, ns);
  await createNamespace(t, 'other');
  const items: [string, string, Record<string, string>][] = [
    [ns, 'a', { env: 'prod', tier: 'web' }],
    [ns, 'b', { env: 'dev', tier: 'web' }],
    [ns, 'c', { env: 'staging' }],
    [ns, 'd', {}],
    ['other', 'e', { env: 'prod', tier: 'db' }],
  ];
  for (const [namespace, name, labels] of items)
    await t.core.createNamespacedSecret({ namespace, body: { metadata: { name, labels } } });
});
afterAll(() => t?.stop());

const names = (list: { items: V1Secret[] }) => list.items.map((i) => i.metadata?.name);

describe('label and field selectors', () => {
  const cases: [string, string[]][] = [
    ['env=prod', ['a']],
    ['env==prod', ['a']],
    ['env!=prod', ['b', 'c', 'd']],
    ['env in (prod,dev)', ['a', 'b']],
    ['env notin (prod,dev)', ['c', 'd']],
    ['tier', ['a', 'b']],
    ['!tier', ['c', 'd']],
    ['env,tier=web', ['a', 'b']],
  ];
  for (const [selector, expected] of cases) {
    it(`filters a namespaced list by "${selector}"`, async () => {
      expect(names(await t.core.listNamespacedSecret({ namespace: ns, labelSelector: selector }))).toEqual(
        expected,
      );
    });
  }

  it('filters across all namespaces, and by metadata.name and metadata.namespace', async () => {
    expect(names(await t.core.listSecretForAllNamespaces({ labelSelector: 'env=prod' }))).toEqual(['a', 'e']);
    expect(names(await t.core.listSecretForAllNamespaces({ fieldSelector: 'metadata.name=e' }))).toEqual([
      'e',
    ]);
    expect(
      names(
        await t.core.listSecretForAllNamespaces({
          fieldSelector: `metadata.namespace=${ns},metadata.name!=a`,
        }),
      ),
    ).toEqual(['b', 'c', 'd']);
  });

  it('answers 400 to an unsupported field selector and to a malformed label selector', async () => {
    expect(
      (await apiError(t.core.listNamespacedSecret({ namespace: ns, fieldSelector: 'data.x=1' }))).code,
    ).toBe(400);
    expect(
      (await apiError(t.core.listNamespacedSecret({ namespace: ns, labelSelector: 'env in prod' }))).code,
    ).toBe(400);
  });
});

describe('pagination', () => {
  it('returns 1 000 objects in pages of 100, each exactly once, and 410 for an expired token', async () => {
    await createNamespace(t, 'many');
    // Created over plain HTTP with keep-alive (the same API), which is quicker than a TLS handshake per object.
    const headers = { authorization: `Bearer ${t.info.token}`, 'content-type': 'application/json' };
    let next = 0;
    const worker = async () => {
      while (next < 1000) {
        const name = `cm-${String(next++).padStart(4, '0')}`;
        const res = await fetch(`${t.info.httpUrl}/api/v1/namespaces/many/configmaps`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ metadata: { name } }),
        });
        expect(res.status).toBe(201);
        await res.arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    let firstToken: string | undefined;
    do {
      const page = await t.core.listNamespacedConfigMap({ namespace: 'many', limit: 100, _continue: token });
      pages += 1;
      seen.push(...page.items.map((i) => i.metadata?.name ?? ''));
      token = page.metadata?._continue;
      firstToken ??= token;
      if (pages === 1)
        await t.core.createNamespacedConfigMap({
          namespace: 'many',
          body: { metadata: { name: 'zz-late' } },
        });
    } while (token);
    expect(pages).toBe(11);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((n) => n.startsWith('cm-'))).toHaveLength(1000);
    t.sim.expireContinueTokens();
    const expired = await apiError(
      t.core.listNamespacedConfigMap({ namespace: 'many', limit: 100, _continue: firstToken }),
    );
    expect(expired.code).toBe(410);
    expect(expired.body.reason).toBe('Expired');
  }, 30_000);
});

interface Seen {
  type: string;
  name?: string;
  rv?: string;
  code?: number;
}

function watchInto(
  path: string,
  params: Record<string, string | number | boolean | undefined>,
  sink: Seen[],
): Promise<AbortController> {
  return new Watch(t.kc).watch(
    path,
    params,
    (type, obj: { metadata?: { name?: string; resourceVersion?: string }; code?: number }) =>
      sink.push({ type, name: obj.metadata?.name, rv: obj.metadata?.resourceVersion, code: obj.code }),
    () => sink.push({ type: 'DONE' }),
  );
}

describe('watch', () => {
  it('sees ADDED, MODIFIED and DELETED in order from a list resourceVersion, filtered by the selector', async () => {
    const list = await t.core.listNamespacedSecret({ namespace: ns });
    const events: Seen[] = [];
    const ctl = await watchInto(
      `/api/v1/namespaces/${ns}/secrets`,
      { resourceVersion: list.metadata?.resourceVersion, labelSelector: 'watch=me' },
      events,
    );
    await t.core.createNamespacedSecret({
      namespace: ns,
      body: { metadata: { name: 'w', labels: { watch: 'me' } } },
    });
    await t.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'ignored' } } });
    await t.core.patchNamespacedSecret({
      name: 'w',
      namespace: ns,
      body: [{ op: 'add', path: '/data', value: { x: '1' } }],
    });
    await t.core.deleteNamespacedSecret({ name: 'w', namespace: ns });
    await waitFor(() => events.length >= 3);
    ctl.abort();
    expect(events.slice(0, 3).map((e) => `${e.type} ${e.name}`)).toEqual([
      'ADDED w',
      'MODIFIED w',
      'DELETED w',
    ]);
    const rvs = events.slice(0, 3).map((e) => Number(e.rv));
    expect([...rvs].sort((a, b) => a - b)).toEqual(rvs);
  });

  it('turns a label change into ADDED and DELETED for a selector watch', async () => {
    const events: Seen[] = [];
    const list = await t.core.listNamespacedSecret({ namespace: ns });
    const ctl = await watchInto(
      `/api/v1/namespaces/${ns}/secrets`,
      { resourceVersion: list.metadata?.resourceVersion, labelSelector: 'env=qa' },
      events,
    );
    await t.core.patchNamespacedSecret({
      name: 'd',
      namespace: ns,
      body: [{ op: 'add', path: '/metadata/labels', value: { env: 'qa' } }],
    });
    await t.core.patchNamespacedSecret({
      name: 'd',
      namespace: ns,
      body: [{ op: 'replace', path: '/metadata/labels', value: { env: 'none' } }],
    });
    await waitFor(() => events.length >= 2);
    ctl.abort();
    expect(events.slice(0, 2).map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
  });

  it('ends a watch from a too-old resourceVersion with an ERROR 410 Expired event', async () => {
    const list = await t.core.listNamespacedSecret({ namespace: ns });
    await t.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'bump' } } });
    t.sim.expireWatches();
    const events: Seen[] = [];
    await watchInto(
      `/api/v1/namespaces/${ns}/secrets`,
      { resourceVersion: list.metadata?.resourceVersion },
      events,
    );
    await waitFor(() => events.some((e) => e.type === 'DONE'));
    expect(events[0]).toMatchObject({ type: 'ERROR', code: 410 });
  });

  it('sends BOOKMARK events when allowed and ends the stream after timeoutSeconds', async () => {
    const events: Seen[] = [];
    await watchInto(
      `/api/v1/namespaces/${ns}/secrets`,
      { allowWatchBookmarks: true, timeoutSeconds: 1, resourceVersion: '0' },
      events,
    );
    await waitFor(() => events.some((e) => e.type === 'DONE'), { timeout: 3000 });
    expect(events.some((e) => e.type === 'BOOKMARK')).toBe(true);
    expect(events.filter((e) => e.type === 'ADDED').length).toBeGreaterThan(0);
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
