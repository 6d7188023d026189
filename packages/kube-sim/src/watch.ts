// Watch streams: newline-delimited {type, object} events from a resourceVersion, with selectors,
// bookmarks, timeouts, and 410 Expired when the history is gone.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { invalid, statusBody } from './errors.ts';
import { selectorPredicate } from './list.ts';
import type { ObjectApi } from './object-api.ts';
import type { StoreEvent } from './store.ts';
import { apiVersionOf, typeKey, type StoredObject, type ResourceType } from './types.ts';

export interface WatchRequest {
  type: ResourceType;
  namespace?: string;
  name?: string;
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  timeoutSeconds?: number;
  allowWatchBookmarks: boolean;
  /** Start with the current objects as ADDED, then a BOOKMARK marking the end of them (watch-list). */
  sendInitialEvents?: boolean;
  resourceVersionMatch?: string;
  bookmarkIntervalMs: number;
  /** Turns an object into what the stream carries (the object itself, or a Table row). */
  render: (obj: StoredObject, first: boolean) => unknown;
}

export class WatchHub {
  private readonly active = new Set<() => void>();

  /** End every open watch with a 410 Expired error event. */
  expireAll(): void {
    for (const expire of [...this.active]) expire();
  }

  get size(): number {
    return this.active.size;
  }

  serve(api: ObjectApi, req: IncomingMessage, res: ServerResponse, w: WatchRequest): void {
    validateWatchList(w);
    const selectors = { labelSelector: w.labelSelector, fieldSelector: w.fieldSelector };
    const key = typeKey(w.type);
    const match = selectorPredicate(w.type, w);
    const inScope = (o: StoredObject | undefined): boolean =>
      !!o &&
      (w.namespace === undefined || o.metadata.namespace === w.namespace) &&
      (w.name === undefined || o.metadata.name === w.name) &&
      match(o);
    let first = true;
    const write = (type: string, object: unknown) => {
      res.write(`${JSON.stringify({ type, object })}\n`);
    };
    const send = (type: string, obj: StoredObject) => {
      write(type, w.render(obj, first));
      first = false;
    };
    const onEvent = (e: StoreEvent) => {
      if (e.typeKey !== key) return;
      const now = inScope(e.object);
      const before = e.type === 'MODIFIED' && inScope(e.previous);
      if (e.type === 'DELETED') {
        if (now) send('DELETED', e.object);
      } else if (e.type === 'ADDED') {
        if (now) send('ADDED', e.object);
      } else if (now && before) send('MODIFIED', e.object);
      else if (now) send('ADDED', e.object);
      else if (before) send('DELETED', e.object);
    };

    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    res.flushHeaders();
    const timers: NodeJS.Timeout[] = [];
    let unsubscribe: () => void = () => undefined;
    const finish = () => {
      unsubscribe();
      this.active.delete(expire);
      for (const t of timers) clearInterval(t);
      if (!res.writableEnded) res.end();
    };
    const expire = () => {
      const status = statusBody(410, 'Expired', 'The resourceVersion for the provided watch is too old.');
      write('ERROR', status);
      finish();
    };

    const rvText = w.resourceVersion ?? '';
    const bookmark = (annotations?: Record<string, string>) =>
      write('BOOKMARK', {
        kind: w.type.kind,
        apiVersion: apiVersionOf(w.type),
        metadata: {
          resourceVersion: String(api.store.resourceVersion),
          ...(annotations ? { annotations } : {}),
        },
      });
    if (w.sendInitialEvents) {
      for (const obj of api.list(w.type, w.namespace, selectors).items) if (inScope(obj)) send('ADDED', obj);
      bookmark({ 'k8s.io/initial-events-end': 'true' });
    } else if (rvText === '' || rvText === '0') {
      for (const obj of api.list(w.type, w.namespace, selectors).items) if (inScope(obj)) send('ADDED', obj);
    } else {
      const rv = Number(rvText);
      const backlog = Number.isFinite(rv) ? api.store.since(rv, key) : undefined;
      if (!backlog) {
        write(
          'ERROR',
          statusBody(410, 'Expired', `too old resource version: ${rvText} (${api.store.compactedVersion})`),
        );
        res.end();
        return;
      }
      for (const e of backlog) onEvent(e);
    }
    unsubscribe = api.store.subscribe(onEvent);
    this.active.add(expire);
    req.on('close', finish);
    res.on('close', finish);
    if (w.timeoutSeconds && w.timeoutSeconds > 0) timers.push(setTimeout(finish, w.timeoutSeconds * 1000));
    if (w.allowWatchBookmarks) {
      const tick = setInterval(() => bookmark(), w.bookmarkIntervalMs);
      timers.push(tick);
    }
  }
}

/** The real server's checks of a watch-list request (sendInitialEvents). */
function validateWatchList(w: WatchRequest): void {
  if (w.sendInitialEvents === undefined) return;
  const causes: { field: string; message: string; reason: string }[] = [];
  if (w.resourceVersionMatch !== 'NotOlderThan')
    causes.push({
      field: 'resourceVersionMatch',
      message: 'Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
      reason: 'FieldValueForbidden',
    });
  if (w.sendInitialEvents && !w.allowWatchBookmarks)
    causes.push({
      field: 'allowWatchBookmarks',
      message: 'Forbidden: sendInitialEvents requires setting allowWatchBookmarks to true',
      reason: 'FieldValueForbidden',
    });
  if (causes.length > 0) throw invalid({ group: 'meta.k8s.io', kind: 'ListOptions' }, '', causes);
}
