// REST handling of one resource request: get, list, watch, create, update, patch, delete,
// deletecollection, and the status and scale subresources.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { deleteAnswer, type DeleteOptions } from './deletion.ts';
import {
  badRequest,
  conflict,
  invalid,
  methodNotAllowed,
  notFound,
  notFoundPath,
  SimError,
  unsupportedMediaType,
} from './errors.ts';
import { parseJsonBody, parseYamlBody, readRawBody, sendJson } from './http-util.ts';
import { awaitResourceVersion } from './list.ts';
import { decodeKubeProtobuf } from './protobuf.ts';
import { duplicateFields } from './schema/duplicate-fields.ts';
import type { ObjectApi, WriteOptions } from './object-api.ts';
import type { ResourceRoute } from './routes.ts';
import { handleKubevirtSubresource, KUBEVIRT_SUBRESOURCES } from './kubevirt-subresources.ts';
import { parseLogOptions, sendLog } from './logs.ts';
import { answerReview, isReview } from './reviews.ts';
import { readMetrics } from './metrics.ts';
import { buildTable, type PrinterColumn } from './table.ts';
import { apiVersionOf, type StoredObject, type ResourceType } from './types.ts';
import type { WatchHub } from './watch.ts';
import type { GuestNetwork } from './guest-network.ts';

export interface HandlerContext {
  api: ObjectApi;
  watches: WatchHub;
  bookmarkIntervalMs: number;
  /** How often a simulated container writes a request-log line (pods/log). */
  logIntervalMs: number;
  /** Consulted before every write: true means answer 409 Conflict (fault injection). */
  injectConflict: () => boolean;
  /** What the simulated guests answer: the pods/proxy subresource reaches them. */
  network?: GuestNetwork;
}

export function verbOf(method: string, route: ResourceRoute, query: URLSearchParams): string {
  const watch = route.watchPath || query.get('watch') === 'true' || query.get('watch') === '1';
  switch (method) {
    case 'GET':
      if (watch) return 'watch';
      return route.name ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return route.name ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

function wantsTable(req: IncomingMessage): boolean {
  return /as=Table/.test(req.headers.accept ?? '');
}

function printerColumns(api: ObjectApi, type: ResourceType): PrinterColumn[] | undefined {
  if (!type.custom) return undefined;
  const crd = api.store.get(
    'apiextensions.k8s.io/customresourcedefinitions',
    '',
    `${type.plural}.${type.group}`,
  );
  const versions: { name: string; additionalPrinterColumns?: PrinterColumn[] }[] = crd?.spec?.versions ?? [];
  return versions.find((v) => v.name === type.version)?.additionalPrinterColumns;
}

const OPTIONS_KIND: Record<string, string> = {
  POST: 'CreateOptions',
  PUT: 'UpdateOptions',
  PATCH: 'PatchOptions',
  DELETE: 'DeleteOptions',
};

function writeOptions(q: URLSearchParams, userAgent: string | undefined, method: string): WriteOptions {
  const dry = q.getAll('dryRun');
  if (dry.some((d) => d !== 'All'))
    throw invalid({ group: 'meta.k8s.io', kind: OPTIONS_KIND[method] ?? 'CreateOptions' }, '', [
      {
        reason: 'FieldValueNotSupported',
        field: 'dryRun',
        message: `Unsupported value: ${JSON.stringify(dry)}: supported values: "All"`,
      },
    ]);
  const manager = q.get('fieldManager') ?? (userAgent ? userAgent.split('/')[0] : undefined);
  return {
    dryRun: dry.includes('All'),
    fieldManager: manager || undefined,
    fieldValidation: q.get('fieldValidation') ?? undefined,
    force: q.get('force') === 'true',
  };
}

function scaleOf(obj: StoredObject): StoredObject {
  const labels = obj.spec?.selector?.matchLabels ?? {};
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: {
      replicas: obj.status?.replicas ?? 0,
      selector: Object.entries(labels)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(','),
    },
  };
}

export async function handleResource(
  ctx: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  route: ResourceRoute,
  q: URLSearchParams,
): Promise<void> {
  const { api } = ctx;
  if (route.group === KUBEVIRT_SUBRESOURCES) return handleKubevirtSubresource(api, req, res, route);
  const type = api.registry.find(route.group, route.version, route.plural);
  if (!type) throw notFoundPath();
  if (type.namespaced === false && route.namespace !== undefined) throw notFoundPath();
  const sub = route.subresource;
  if (sub === 'proxy' && route.proxyPath !== undefined) return proxyToPod(ctx, req, res, route);
  if (sub && !type.subresources.includes(sub)) throw notFoundPath();
  if (sub === 'log' && req.method !== 'GET') throw methodNotAllowed();
  const method = req.method ?? 'GET';
  const verb = verbOf(method, route, q);
  if (!type.verbs.includes(verb) && !sub) throw methodNotAllowed();
  const ns = route.namespace ?? '';
  const listNs = type.namespaced ? route.namespace : undefined;
  const table = wantsTable(req);
  const includeObject = q.get('includeObject') ?? undefined;

  if (type.readOnly && (verb === 'get' || verb === 'list')) {
    const result = readMetrics(api, type, listNs, route.name, {
      labelSelector: q.get('labelSelector') ?? undefined,
      fieldSelector: q.get('fieldSelector') ?? undefined,
    });
    if (!Array.isArray(result))
      return sendJson(
        req,
        res,
        200,
        table ? buildTable(type, [result], { includeObject, withColumns: true }) : result,
      );
    const metadata = { resourceVersion: String(api.store.resourceVersion) };
    return sendJson(
      req,
      res,
      200,
      table
        ? buildTable(type, result, { includeObject, withColumns: true })
        : { kind: `${type.kind}List`, apiVersion: apiVersionOf(type), metadata, items: result },
    );
  }
  if (verb === 'watch') {
    ctx.watches.serve(api, req, res, {
      type,
      namespace: listNs,
      name: route.name,
      resourceVersion: q.get('resourceVersion') ?? undefined,
      labelSelector: q.get('labelSelector') ?? undefined,
      fieldSelector: q.get('fieldSelector') ?? undefined,
      timeoutSeconds: q.has('timeoutSeconds') ? Number(q.get('timeoutSeconds')) : undefined,
      allowWatchBookmarks: q.get('allowWatchBookmarks') === 'true',
      sendInitialEvents: q.has('sendInitialEvents') ? q.get('sendInitialEvents') === 'true' : undefined,
      resourceVersionMatch: q.get('resourceVersionMatch') ?? undefined,
      bookmarkIntervalMs: ctx.bookmarkIntervalMs,
      render: (obj, first) =>
        table
          ? buildTable(type, [obj], {
              includeObject,
              withColumns: first,
              printerColumns: printerColumns(api, type),
            })
          : obj,
    });
    return;
  }
  if (verb === 'get') {
    const obj = api.get(type, ns, route.name as string);
    if (sub === 'log') {
      const uid = obj.metadata.uid;
      const podExists = () => {
        try {
          return api.get(type, ns, route.name as string).metadata.uid === uid;
        } catch {
          return false;
        }
      };
      const opts = parseLogOptions(route.name as string, q);
      return sendLog(req, res, obj, opts, { intervalMs: ctx.logIntervalMs, podExists });
    }
    if (sub === 'scale') return sendJson(req, res, 200, scaleOf(obj));
    const body = table
      ? buildTable(type, [obj], {
          includeObject,
          withColumns: true,
          resourceVersion: obj.metadata.resourceVersion,
          printerColumns: printerColumns(api, type),
        })
      : obj;
    return sendJson(req, res, 200, body);
  }
  if (verb === 'list') {
    const limit = q.has('limit') ? Number(q.get('limit')) : undefined;
    const listOpts = {
      labelSelector: q.get('labelSelector') ?? undefined,
      fieldSelector: q.get('fieldSelector') ?? undefined,
      limit,
      continue: q.get('continue') ?? undefined,
      resourceVersion: q.get('resourceVersion') ?? undefined,
      resourceVersionMatch: q.get('resourceVersionMatch') ?? undefined,
    };
    await awaitResourceVersion(api.store, listOpts);
    const result = api.list(type, listNs, listOpts);
    const metadata = {
      resourceVersion: result.resourceVersion,
      ...(result.continue ? { continue: result.continue } : {}),
      ...(result.remainingItemCount !== undefined ? { remainingItemCount: result.remainingItemCount } : {}),
    };
    if (table)
      return sendJson(
        req,
        res,
        200,
        buildTable(type, result.items, {
          includeObject,
          withColumns: true,
          ...metadata,
          printerColumns: printerColumns(api, type),
        }),
      );
    return sendJson(req, res, 200, {
      kind: `${type.kind}List`,
      apiVersion: apiVersionOf(type),
      metadata,
      items: result.items,
    });
  }
  if (type.readOnly) throw methodNotAllowed();
  const rawBody = await readRawBody(req);
  const contentType = req.headers['content-type'] ?? '';
  const protobuf = contentType.startsWith('application/vnd.kubernetes.protobuf');
  if (protobuf && verb !== 'create' && verb !== 'update') throw unsupportedMediaType(contentType);
  if (/cbor/.test(contentType)) throw unsupportedMediaType(contentType);
  const yamlBody = /^application\/yaml\b/.test(contentType);
  if (yamlBody && verb !== 'create' && verb !== 'update') throw unsupportedMediaType(contentType);
  const raw = protobuf ? '' : rawBody.toString('utf8');
  const opts = writeOptions(q, req.headers['user-agent'], method);
  const body = () => {
    if (protobuf) return decodeKubeProtobuf(rawBody, contentType);
    if (yamlBody) return parseYamlBody(raw) as StoredObject;
    const parsed = parseJsonBody(raw) as StoredObject;
    if (q.get('fieldValidation') !== 'Ignore') opts.duplicateFields = duplicateFields(raw);
    return parsed;
  };
  if (ctx.injectConflict()) throw conflict(type, route.name ?? '');
  if (sub === 'status') opts.subresource = 'status';
  const warnings: string[] = [];
  opts.warnings = warnings;
  const send = (code: number, result: unknown) =>
    sendJson(req, res, code, result, warnings.length > 0 ? { Warning: warnings } : {});

  if (verb === 'create') {
    if (route.name) throw methodNotAllowed();
    if (isReview(type)) return send(201, answerReview(type, body(), req));
    return send(201, api.create(type, ns, body(), opts));
  }
  const name = route.name as string;
  if (verb === 'update' || verb === 'patch') {
    if (sub === 'scale') {
      const current = api.get(type, ns, name);
      const scale = scaleOf(current);
      const next =
        verb === 'update'
          ? (parseJsonBody(raw) as StoredObject)
          : (api.applyPatchDocument(type, scale, req.headers['content-type'] ?? '', raw) as StoredObject);
      const replicas = next.spec?.replicas;
      if (typeof replicas !== 'number') throw badRequest('spec.replicas: Required value');
      const rv = next.metadata?.resourceVersion;
      if (rv && rv !== current.metadata.resourceVersion) throw conflict(type, name);
      const updated = api.update(type, ns, name, { ...current, spec: { ...current.spec, replicas } }, opts);
      return sendJson(req, res, 200, scaleOf(updated));
    }
    if (verb === 'update') return send(200, api.update(type, ns, name, body(), opts));
    const existed = api.find(type, ns, name) !== undefined;
    const result = api.patch(type, ns, name, req.headers['content-type'] ?? '', raw, opts);
    return send(existed ? 200 : 201, result);
  }
  const del = (parseJsonBody(raw) ?? {}) as DeleteOptions & { dryRun?: string[] };
  const flag = (v: string | null) => (v === null ? undefined : v === 'true');
  const grace = q.get('gracePeriodSeconds') ?? del.gracePeriodSeconds;
  // The API server converts the query parameter with Go's strconv.ParseInt, and says so.
  if (typeof grace === 'string' && !/^[+-]?\d+$/.test(grace))
    throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(grace)}: invalid syntax`);
  const delOpts: DeleteOptions = {
    propagationPolicy: (q.get('propagationPolicy') ??
      del.propagationPolicy) as DeleteOptions['propagationPolicy'],
    orphanDependents: flag(q.get('orphanDependents')) ?? del.orphanDependents,
    ...(grace !== undefined && grace !== null ? { gracePeriodSeconds: Number(grace) } : {}),
    preconditions: del.preconditions,
    dryRun: opts.dryRun || (Array.isArray(del.dryRun) && del.dryRun.includes('All')),
  };
  if (verb === 'delete') {
    const result = api.delete(type, ns, name, delOpts);
    const answer = deleteAnswer(api, type, result);
    // 202 when dependents are still being deleted at the client's explicit request.
    const accepted = answer === result && delOpts.orphanDependents === false && !delOpts.dryRun;
    return sendJson(req, res, accepted && api.find(type, ns, name) ? 202 : 200, answer);
  }
  if (verb === 'deletecollection') {
    const items = api.list(type, listNs, {
      labelSelector: q.get('labelSelector') ?? undefined,
      fieldSelector: q.get('fieldSelector') ?? undefined,
    }).items;
    const deleted: StoredObject[] = [];
    for (const item of items) {
      try {
        deleted.push(api.delete(type, item.metadata.namespace ?? '', item.metadata.name ?? '', delOpts));
      } catch (e) {
        if (!(e instanceof SimError && e.code === 404)) throw e;
      }
    }
    return sendJson(req, res, 200, {
      kind: `${type.kind}List`,
      apiVersion: apiVersionOf(type),
      metadata: { resourceVersion: String(api.store.resourceVersion) },
      items: deleted,
    });
  }
  throw notFound(type, name);
}

/**
 * pods/proxy: `GET /api/v1/namespaces/{ns}/pods/[https:]{name}:{port}/proxy/{path}`, as the API
 * server forwards it to the pod's address. Only the simulated guests (VMs) answer, through the
 * guest network; a dial that fails is the API server's 503 Status, as a real one says it.
 */
function proxyToPod(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse, route: ResourceRoute) {
  if (req.method !== 'GET') throw methodNotAllowed();
  const parts = (route.name ?? '').split(':');
  const scheme = parts[0] === 'https' || parts[0] === 'http' ? parts.shift() : 'http';
  const [name = '', portText = '80'] = parts;
  const port = Number(portText);
  const pods = ctx.api.registry.find('', 'v1', 'pods');
  if (!pods) throw notFoundPath();
  const pod = ctx.api.get(pods, route.namespace ?? '', name);
  const ip = pod.status?.podIP as string | undefined;
  if (!Number.isInteger(port) || port <= 0 || port > 65535)
    throw new SimError(400, 'BadRequest', `invalid port "${portText}"`);
  if (!ip) throw new SimError(503, 'ServiceUnavailable', `pod "${name}" has no address yet`);
  const answer = ctx.network?.proxy(ip, port) ?? { error: `dial tcp ${ip}:${port}: i/o timeout` };
  if ('error' in answer)
    throw new SimError(503, 'ServiceUnavailable', `error trying to reach service: ${answer.error}`);
  res.writeHead(answer.status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${scheme} ${answer.status} ${route.proxyPath ?? '/'}\n`);
}
