import { Watch, type V1Secret } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError, createNamespace, startClusterUnderTest, waitFor, type ClusterClients } from './helpers.ts';

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
    // Every page comes from the snapshot of the first: an object created meanwhile is not in the list.
    expect(seen).not.toContain('zz-late');
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((n) => n.startsWith('cm-'))).toHaveLength(1000);
  }, 60_000);
});

describe('list resourceVersions and continue tokens', () => {
  type ListBody = {
    items?: { metadata: { name: string }; data?: Record<string, string> }[];
    metadata?: { resourceVersion?: string; continue?: string };
    code?: number;
    reason?: string;
    message?: string;
    details?: { causes?: { reason?: string; message?: string }[]; retryAfterSeconds?: number };
  };
  const get = async (path: string) => {
    const res = await t.request(path);
    return { status: res.status, body: res.body as ListBody };
  };
  const cmPath = (namespace: string, query: string) =>
    `/api/v1/namespaces/${namespace}/configmaps?labelSelector=page%3Dme&${query}`;
  const make = (namespace: string, name: string, value: string) =>
    t.core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name, labels: { page: 'me' } }, data: { v: value } },
    });

  it("serves later pages from the first page's snapshot: changes and deletions made meanwhile are not seen", async () => {
    await createNamespace(t, 'snap');
    for (const n of ['p-a', 'p-b', 'p-c', 'p-d']) await make('snap', n, 'old');
    const first = await get(cmPath('snap', 'limit=1'));
    expect(first.body.items?.map((i) => i.metadata.name)).toEqual(['p-a']);
    await t.core.patchNamespacedConfigMap({
      name: 'p-b',
      namespace: 'snap',
      body: [{ op: 'replace', path: '/data/v', value: 'new' }],
    });
    await t.core.deleteNamespacedConfigMap({ name: 'p-c', namespace: 'snap' });
    await make('snap', 'p-bb', 'late');
    const rest = await get(cmPath('snap', `limit=10&continue=${first.body.metadata?.continue ?? ''}`));
    expect(rest.status).toBe(200);
    expect(rest.body.items?.map((i) => `${i.metadata.name}=${i.data?.v ?? ''}`)).toEqual([
      'p-b=old',
      'p-c=old',
      'p-d=old',
    ]);
    expect(rest.body.metadata?.resourceVersion).toBe(first.body.metadata?.resourceVersion);
    const fresh = await get(cmPath('snap', ''));
    expect(fresh.body.items?.map((i) => `${i.metadata.name}=${i.data?.v ?? ''}`)).toEqual([
      'p-a=old',
      'p-b=new',
      'p-bb=late',
      'p-d=old',
    ]);
  });

  it('lists as of an earlier resourceVersion with resourceVersionMatch=Exact', async () => {
    await createNamespace(t, 'exact');
    await make('exact', 'x-1', 'one');
    const before = await get(cmPath('exact', ''));
    const rv = before.body.metadata?.resourceVersion ?? '';
    await t.core.patchNamespacedConfigMap({
      name: 'x-1',
      namespace: 'exact',
      body: [{ op: 'replace', path: '/data/v', value: 'two' }],
    });
    await make('exact', 'x-2', 'one');
    const exact = await get(cmPath('exact', `resourceVersion=${rv}&resourceVersionMatch=Exact`));
    expect(exact.status).toBe(200);
    expect(exact.body.metadata?.resourceVersion).toBe(rv);
    expect(exact.body.items?.map((i) => `${i.metadata.name}=${i.data?.v ?? ''}`)).toEqual(['x-1=one']);
    const missing = await get(`/api/v1/namespaces/exact/configmaps?resourceVersionMatch=Exact`);
    expect(missing.status).toBe(422);
    expect(missing.body.message).toBe(
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
    );
  });

  it('waits for a future resourceVersion, then answers 504 Too large resource version', async () => {
    const now = await get(`/api/v1/namespaces/${ns}/configmaps`);
    const future = Number(now.body.metadata?.resourceVersion) + 1_000_000;
    const started = performance.now();
    const res = await get(
      `/api/v1/namespaces/${ns}/configmaps?resourceVersion=${future}&resourceVersionMatch=NotOlderThan`,
    );
    expect(performance.now() - started).toBeGreaterThan(2500);
    expect(res.status).toBe(504);
    expect(res.body.reason).toBe('Timeout');
    expect(res.body.message).toMatch(
      new RegExp(`^Timeout: Too large resource version: ${future}, current: \\d+$`),
    );
    expect(res.body.details?.causes).toEqual([
      { reason: 'ResourceVersionTooLarge', message: 'Too large resource version' },
    ]);
    expect(res.body.details?.retryAfterSeconds).toBe(1);
  });

  it('answers 400 with the decoding error to a continue token it never issued', async () => {
    const res = await get(`/api/v1/namespaces/${ns}/configmaps?limit=1&continue=not-a-token`);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(
      "invalid continue token: continue key is not valid: invalid character '\\u009e' looking for beginning of value",
    );
  });
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

  it('ends the initial events of a sendInitialEvents watch with a BOOKMARK marking their end', async () => {
    const events: (Seen & { annotations?: Record<string, string> })[] = [];
    const ctl = await new Watch(t.kc).watch(
      `/api/v1/namespaces/${ns}/secrets`,
      { sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: true },
      (type, obj: { metadata?: { name?: string; annotations?: Record<string, string> } }) =>
        events.push({ type, name: obj.metadata?.name, annotations: obj.metadata?.annotations }),
      () => undefined,
    );
    await waitFor(() => events.some((e) => e.type === 'BOOKMARK'));
    ctl.abort();
    const end = events.findIndex((e) => e.type === 'BOOKMARK');
    expect(events[end]?.annotations).toEqual({ 'k8s.io/initial-events-end': 'true' });
    expect(events.slice(0, end).map((e) => e.type)).toEqual(events.slice(0, end).map(() => 'ADDED'));
    expect(events.slice(0, end).map((e) => e.name)).toEqual(expect.arrayContaining(['a', 'b', 'c', 'd']));
    const refused = await t.request(`/api/v1/namespaces/${ns}/secrets?watch=true&sendInitialEvents=true`);
    expect(refused.status).toBe(422);
    expect((refused.body as { message: string }).message).toContain(
      'resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
    );
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
