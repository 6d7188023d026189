// Lists and watches: chunking with limit/continue, bad tokens and selectors, too-old resourceVersions.
import { at, configMap, fromHttp, itemsOf, nameOf, paths, watchEvents, watchFrom } from '../observe.ts';
import type { HttpResult, Probe } from '../types.ts';

const page = (res: HttpResult) => ({
  status: res.status,
  names: itemsOf(res).map(nameOf),
  continue: at(res.body, 'metadata.continue') ? 'set' : 'unset',
  remainingItemCount: at(res.body, 'metadata.remainingItemCount') ?? null,
});

export const listProbes: Probe[] = [
  {
    name: 'list-continue-consistency',
    area: 'lists',
    description:
      'List ConfigMaps by label, limit=2, and create one between pages: later pages of that list do not show it, a new list does',
    async run(c) {
      const labels = { labels: { set: 'fid' } };
      for (const n of ['cm-a', 'cm-b', 'cm-c', 'cm-d', 'cm-e'])
        await c.request('POST', paths.core(c, 'configmaps'), { body: configMap(n, { key: n }, labels) });
      const list = (cont?: string, limit: number | undefined = 2) =>
        c.request('GET', paths.core(c, 'configmaps'), {
          query: { labelSelector: 'set=fid', limit, continue: cont },
        });
      const first = await list();
      const late = await c.request('POST', paths.core(c, 'configmaps'), {
        body: configMap('cm-z', { key: 'z' }, labels),
      });
      const pages = [page(first)];
      let token = at(first.body, 'metadata.continue') as string | undefined;
      for (let i = 0; token && i < 5; i += 1) {
        const next = await list(token);
        pages.push(page(next));
        token = at(next.body, 'metadata.continue') as string | undefined;
      }
      const fresh = await list(undefined, undefined);
      return fromHttp(first, {
        lateCreate: late.status,
        pages,
        seenInPagedList: pages.flatMap((p) => p.names),
        freshList: itemsOf(fresh).map(nameOf),
      });
    },
  },
  {
    name: 'list-remaining-item-count',
    area: 'lists',
    description: 'List Secrets (no selector) with limit=1: continue token and remainingItemCount',
    async run(c) {
      for (const n of ['s-a', 's-b', 's-c'])
        await c.request('POST', paths.core(c, 'secrets'), {
          body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: n }, stringData: { k: n } },
        });
      const first = await c.request('GET', paths.core(c, 'secrets'), { query: { limit: 1 } });
      return fromHttp(first, page(first));
    },
  },
  {
    name: 'list-continue-invalid',
    area: 'lists',
    description: 'List with `continue=not-a-token` (a token the server never issued)',
    async run(c) {
      return fromHttp(
        await c.request('GET', paths.core(c, 'configmaps'), { query: { limit: 1, continue: 'not-a-token' } }),
      );
    },
  },
  {
    name: 'watch-replay-from-resourceversion',
    area: 'lists',
    description:
      'Create, update, delete a ConfigMap, then watch from the resourceVersion of a list taken before: the three events replayed',
    async run(c) {
      const before = await c.request('GET', paths.core(c, 'configmaps'));
      const rv = String(at(before.body, 'metadata.resourceVersion') ?? '');
      await c.request('POST', paths.core(c, 'configmaps'), { body: configMap('cm-a') });
      await c.request('PATCH', paths.core(c, 'configmaps', 'cm-a'), {
        body: { data: { key: 'changed' } },
        contentType: 'application/merge-patch+json',
      });
      await c.request('DELETE', paths.core(c, 'configmaps', 'cm-a'));
      const res = await watchFrom(c, paths.core(c, 'configmaps'), rv, { timeoutSeconds: 2 });
      return fromHttp(res, {
        events:
          res.status === 200
            ? watchEvents(res.body, (t, o) => `${t} ${nameOf(o)} ${JSON.stringify(at(o, 'data') ?? null)}`)
            : [],
      });
    },
  },
  {
    name: 'watch-future-resourceversion',
    area: 'lists',
    description:
      'Watch ConfigMaps from a resourceVersion far in the future, timeoutSeconds=3: what the stream holds',
    async run(c) {
      const list = await c.request('GET', paths.core(c, 'configmaps'));
      const future = String(Number(at(list.body, 'metadata.resourceVersion') ?? 0) + 1_000_000);
      const res = await watchFrom(c, paths.core(c, 'configmaps'), future, { timeoutSeconds: 3 });
      return fromHttp(res, {
        retryAfterSeconds: at(res.body, 'details.retryAfterSeconds') ?? null,
        events: res.status === 200 ? watchEvents(res.body) : [],
      });
    },
  },
  {
    name: 'list-future-resourceversion',
    area: 'lists',
    description: 'List ConfigMaps with a future resourceVersion and resourceVersionMatch=NotOlderThan',
    async run(c) {
      const list = await c.request('GET', paths.core(c, 'configmaps'));
      const future = String(Number(at(list.body, 'metadata.resourceVersion') ?? 0) + 1_000_000);
      const res = await c.request('GET', paths.core(c, 'configmaps'), {
        query: { resourceVersion: future, resourceVersionMatch: 'NotOlderThan' },
      });
      return fromHttp(res, { retryAfterSeconds: at(res.body, 'details.retryAfterSeconds') ?? null });
    },
  },
  {
    name: 'list-exact-old-resourceversion',
    area: 'lists',
    description:
      'List ConfigMaps at resourceVersion=1 with resourceVersionMatch=Exact (served from storage, or 410 once compacted)',
    async run(c) {
      const res = await c.request('GET', paths.core(c, 'configmaps'), {
        query: { resourceVersion: '1', resourceVersionMatch: 'Exact' },
      });
      return fromHttp(res, {
        items: itemsOf(res).map(nameOf),
        resourceVersion: at(res.body, 'metadata.resourceVersion') ?? null,
      });
    },
  },
  {
    name: 'field-selector-unsupported',
    area: 'lists',
    description: 'List pods with `fieldSelector=spec.foo=bar` (not a supported field label)',
    async run(c) {
      return fromHttp(
        await c.request('GET', paths.core(c, 'pods'), { query: { fieldSelector: 'spec.foo=bar' } }),
      );
    },
  },
  {
    name: 'label-selector-invalid',
    area: 'lists',
    description: 'List ConfigMaps with the unparsable `labelSelector=a in (b`',
    async run(c) {
      return fromHttp(
        await c.request('GET', paths.core(c, 'configmaps'), { query: { labelSelector: 'a in (b' } }),
      );
    },
  },
];
