// The HTTP front: bearer-token auth, fault injection, request counting, and dispatch to discovery,
// OpenAPI, /metrics, resource handlers and the /_sim control API.
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ApiMetrics } from './api-metrics.ts';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, SERVER_VERSION } from './discovery.ts';
import { notFoundPath, SimError, statusBody, unauthorized } from './errors.ts';
import type { FaultState, RequestCounter } from './faults.ts';
import { handleResource, verbOf, type HandlerContext } from './handlers.ts';
import { createConsoleServer, isConsolePath } from './kubevirt-console.ts';
import { sendError, sendJson } from './http-util.ts';
import { gvOfOpenApiPath, openApiGroupVersion, openApiRoot } from './openapi.ts';
import { parseRoute } from './routes.ts';
import type { ServerCert } from './tls-cert.ts';

export interface ServerDeps extends HandlerContext {
  token: string;
  faults: FaultState;
  requests: RequestCounter;
  /** Handles /_sim/... requests (already authenticated). */
  control: (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void>;
  address: () => string;
  /** What /metrics serves. */
  metrics: ApiMetrics;
}

/**
 * Writes batched for the data file reach it before any byte of this reply (or watch event) leaves:
 * a client never sees a change that a kill -9 could still lose.
 */
function flushBeforeReplying(res: ServerResponse, flush: () => void): void {
  const methods = res as unknown as Record<'writeHead' | 'write' | 'end', (...args: unknown[]) => unknown>;
  for (const m of ['writeHead', 'write', 'end'] as const) {
    const original = methods[m];
    methods[m] = function (this: ServerResponse, ...args: unknown[]) {
      flush();
      return original.apply(this, args);
    };
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One port, two protocols: a connection whose first byte opens a TLS handshake goes to the HTTPS
 * server (what the kubeconfig points at: kubectl sends tokens only over TLS), anything else to
 * plain HTTP (handy for curl and the control API).
 */
export class SimServer {
  private readonly server: NetServer;
  private readonly http: Server;
  private readonly https: HttpsServer;
  private readonly sockets = new Set<Socket>();
  private port = 0;
  private listening = false;
  private readonly consoles;

  constructor(
    private readonly deps: ServerDeps,
    private readonly host: string,
  ) {
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      flushBeforeReplying(res, () => this.deps.api.store.flushPending());
      this.handle(req, res).catch((err: unknown) => sendError(req, res, err));
    };
    this.http = createHttpServer(handler);
    // The certificate comes with useCertificate(), before the first listen().
    this.https = createHttpsServer({}, handler);
    // WebSocket upgrades: KubeVirt's serial console is the one the simulated cluster serves.
    this.consoles = createConsoleServer(deps.api);
    const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => socket.destroy());
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (req.headers.authorization !== `Bearer ${this.deps.token}`) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      } else if (!isConsolePath(path)) {
        socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      } else {
        this.deps.requests.record('get', 'subresources.kubevirt.io', 'virtualmachineinstances/console', '');
        this.consoles.upgrade(req, socket, head, path);
      }
    };
    this.http.on('upgrade', upgrade);
    this.https.on('upgrade', upgrade);
    this.https.on('tlsClientError', (_err, socket) => socket.destroy());
    this.server = createNetServer((socket) => {
      this.sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      socket.once('data', (first) => {
        socket.pause();
        socket.unshift(first);
        (first[0] === 0x16 ? this.https : this.http).emit('connection', socket);
        process.nextTick(() => socket.resume());
      });
    });
  }

  /** The certificate TLS connections are served with. */
  useCertificate(cert: ServerCert): void {
    this.https.setSecureContext({ key: cert.key, cert: cert.cert });
  }

  async listen(port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, this.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const addr = this.server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : port;
    this.listening = true;
    return this.port;
  }

  /** Stop accepting connections and drop the open ones: clients see ECONNREFUSED / resets. */
  async refuse(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  async accept(): Promise<void> {
    if (this.listening) return;
    await this.listen(this.port);
  }

  async close(): Promise<void> {
    this.consoles.close();
    await this.refuse();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const auth = req.headers.authorization ?? '';
    if (auth !== `Bearer ${this.deps.token}`) throw unauthorized();
    if (path.startsWith('/_sim/')) return this.deps.control(req, res, path);
    if (path === '/metrics' && method === 'GET') return this.deps.metrics.send(res);

    const delay = this.deps.faults.latencyFor(method, path);
    if (delay > 0) await sleep(delay);
    const route = parseRoute(path);
    if (route.kind === 'resource') {
      const r = route.route;
      const kind = this.deps.api.registry.find(r.group, r.version, r.plural)?.kind ?? '';
      const verb = verbOf(method, r, url.searchParams);
      this.deps.metrics.observe(res, r, verb, url.searchParams.getAll('dryRun').includes('All'));
      this.deps.requests.record(
        verb,
        r.group,
        r.subresource ? `${r.plural}/${r.subresource}` : r.plural,
        kind,
      );
    }
    const fault = this.deps.faults.takeError(method, path);
    if (fault) {
      const headers: Record<string, string> = {};
      const reason =
        fault.status === 429
          ? 'TooManyRequests'
          : fault.status === 503
            ? 'ServiceUnavailable'
            : 'InternalError';
      const message =
        fault.status === 429
          ? 'Too many requests, please try again later.'
          : fault.status === 503
            ? 'the server is currently unable to handle the request'
            : 'Internal error occurred: injected fault';
      const details =
        fault.status === 429 || fault.status === 503
          ? { retryAfterSeconds: fault.retryAfterSeconds ?? 1 }
          : undefined;
      if (details) headers['Retry-After'] = String(details.retryAfterSeconds);
      throw new SimError(fault.status, reason, message, details, headers);
    }

    const { api } = this.deps;
    switch (route.kind) {
      case 'version':
        return sendJson(req, res, 200, SERVER_VERSION);
      case 'health':
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('ok');
        return;
      case 'api':
        return sendJson(req, res, 200, apiVersions(this.deps.address()));
      case 'apis':
        return sendJson(req, res, 200, apiGroupList(api.registry));
      case 'group': {
        const doc = apiGroup(api.registry, route.group);
        if (!doc) throw notFoundPath();
        return sendJson(req, res, 200, doc);
      }
      case 'groupVersion': {
        const doc = apiResourceList(api.registry, route.group, route.version);
        if (!doc) throw notFoundPath();
        return sendJson(req, res, 200, doc);
      }
      case 'openapi': {
        if (route.path.length === 1 && route.path[0] === 'v3')
          return sendJson(req, res, 200, openApiRoot(api.registry, api.store));
        const gv = gvOfOpenApiPath(route.path);
        const doc = gv && openApiGroupVersion(api.registry, api.store, gv.group, gv.version);
        if (!doc) throw notFoundPath();
        return sendJson(req, res, 200, doc);
      }
      case 'resource':
        return handleResource(this.deps, req, res, route.route, url.searchParams);
      default:
        sendJson(
          req,
          res,
          404,
          statusBody(404, 'NotFound', 'the server could not find the requested resource'),
        );
    }
  }
}
