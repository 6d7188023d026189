import { Watch, type V1Secret } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiError,
  createNamespace,
  knownDifference,
  startClusterUnderTest,
  waitFor,
  type ClusterClients,
} from './helpers.ts';

// Lists, selectors, pages and watches, on the simulated cluster and (real tier) on kube-real. What
// needs the simulator to expire continue tokens and watches is in list-watch-expiry.test.ts.

let t: ClusterClients;
const ns = 'lists';

beforeAll(async () => {
  t = await startClusterUnderTest({ profile: 'bare', bookmarkIntervalMs: 100 });
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
  it('returns 1 000 objects in pages of 100, each exactly once, while objects are added', async () => {
    await createNamespace(t, 'many');
    // Raw requests on one keep-alive connection pool: quicker than a TLS handshake per object.
    let next = 0;
    const worker = async () => {
      while (next < 1000) {
        const name = `cm-${String(next++).padStart(4, '0')}`;
        const res = await t.request('/api/v1/namespaces/many/configmaps', {
          method: 'POST',
          body: JSON.stringify({ metadata: { name } }),
        });
        expect(res.status).toBe(201);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await t.core.listNamespacedConfigMap({ namespace: 'many', limit: 100, _continue: token });
      pages += 1;
      seen.push(...page.items.map((i) => i.metadata?.name ?? ''));
      token = page.metadata?._continue;
      if (pages === 1)
        await t.core.createNamespacedConfigMap({
          namespace: 'many',
          body: { metadata: { name: 'zz-late' } },
        });
    } while (token);
    // 1 000, and the root CA ConfigMap every namespace gets: 11 pages.
    expect(pages).toBe(11);
    expect(seen).toContain('kube-root-ca.crt');
    // kube-apiserver serves every page from the snapshot of the first: an object created meanwhile
    // is not in the list. The simulator pages through the live store and includes it.
    expect(seen.includes('zz-late')).toBe(knownDifference(t, { sim: true, real: false }));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((n) => n.startsWith('cm-'))).toHaveLength(1000);
  }, 60_000);
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
      // Secret data is base64: kube-apiserver refuses `{ x: '1' }` (the simulator takes it: a
      // known difference).
      body: [{ op: 'add', path: '/data', value: { x: Buffer.from('1').toString('base64') } }],
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
});
