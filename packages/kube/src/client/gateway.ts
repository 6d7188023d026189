import http from 'node:http';
import https from 'node:https';
import readline from 'node:readline';
import { KubeConfig } from '@kubernetes/client-node';
import WebSocket from 'ws';
import type { KubeObject } from '../manifests/meta.ts';
import { type KubeTarget, type KubeVerb, KubeError, kubeError, kubeErrorFromResponse } from './errors.ts';
import { type KindInfo, type KindName, collectionPath, kindOf, kinds } from './kinds.ts';

export const FIELD_MANAGER = 'uncloud';

/** Where to find the cluster: a kubeconfig file, or the service account of the pod we run in. */
export type ClusterSource = { kubeconfigPath: string } | { inCluster: true };

export const loadKubeConfig = (source: ClusterSource): KubeConfig => {
  const kc = new KubeConfig();
  if ('inCluster' in source) kc.loadFromCluster();
  else kc.loadFromFile(source.kubeconfigPath);
  if (!kc.getCurrentCluster()) throw new Error('the kubeconfig names no current cluster');
  return kc;
};

export interface CallOptions {
  /** Deadline of this call (default: the gateway's). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface RequestOptions extends CallOptions {
  /** What the call does, and to what: the words of its error if it fails. */
  verb: KubeVerb;
  target: KubeTarget;
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
  /** A call of the provisioner (any kind): recorded apart from the engine's. */
  provisioner?: boolean;
  /** The Accept header (default JSON; a pod's log is plain text). */
  accept?: string;
}

/** An object as far as its address goes: enough to read, delete or restart it. */
export interface ObjectAddress {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

/** An object read from the cluster, carrying the version a conditional update is checked against. */
export type VersionedObject = KubeObject & { metadata: { resourceVersion: string } };

/** Workload kinds with a `scale` subresource. */
export type ScalableKind = 'Deployment' | 'StatefulSet';

/** What of a container's log to read (the pods/log subresource's options). */
export interface PodLogOptions {
  container?: string;
  tailLines?: number;
  sinceSeconds?: number;
  /** Each line prefixed with its RFC 3339 time. */
  timestamps?: boolean;
}

/** The serial console's WebSocket subprotocol: raw bytes in binary frames, as virtctl speaks it. */
export const CONSOLE_PROTOCOL = 'plain.kubevirt.io';

// KubeVirt serves start, stop and restart of a VirtualMachine in an aggregated API of its own.
const KUBEVIRT_SUBRESOURCES = '/apis/subresources.kubevirt.io/v1';

export interface ListOptions extends CallOptions {
  labelSelector?: string;
  /** Fields to match (`reason=FailedCreate`), for kinds whose objects carry no labels (Events). */
  fieldSelector?: string;
  namespace?: string;
}

export type KubeGateway = ReturnType<typeof createKubeGateway>;

/** One event of a watch: the object as it now is (or was, when DELETED), or a `Status` on ERROR. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject;
}

export interface WatchOptions {
  labelSelector?: string;
  namespace?: string;
  /** Events after this version (a list's `metadata.resourceVersion`). */
  resourceVersion: string;
  /** The server ends the watch after this long (client-go picks 5–10 min at random). */
  timeoutSeconds: number;
  signal?: AbortSignal;
}

/** A watch stream: `ended` settles when the server ends it (resolves) or the connection fails (rejects). */
export interface WatchStream {
  ended: Promise<void>;
  stop(): void;
}

export interface GatewayOptions {
  /** Deadline of a call (default 10 s). */
  timeoutMs?: number;
  /**
   * Reads the credentials again (the kubeconfig file, or the pod's service account). When a call
   * fails as a changed cluster would make it fail — its certificate no longer trusted, its token
   * refused, nothing listening — the gateway re-reads them and, if they changed (a restarted API
   * server with a new certificate and token), retries the call once with the new ones.
   */
  reload?: () => KubeConfig;
}

// TLS failures a cluster that changed its certificate causes (Node's error codes).
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);

/** The lines of a streamed answer; it ends quietly when the caller aborts or the server ends it. */
async function* linesOf(res: http.IncomingMessage, signal: AbortSignal): AsyncIterable<string> {
  const lines = readline.createInterface({ input: res, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      // Lines already read when the caller aborted are not theirs any more.
      if (signal.aborted) return;
      yield line;
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  } finally {
    lines.close();
    res.destroy();
  }
}

/** What identifies a set of credentials: where the server is, what it is trusted by, who we are. */
const fingerprintOf = (kc: KubeConfig) => JSON.stringify([kc.getCurrentCluster(), kc.getCurrentUser()]);

/** How often credentials may be re-read while calls keep failing (an outage is not a new cluster). */
const RELOAD_EVERY_MS = 1_000;

/** A connection to one API server with one set of credentials; replaced whole when they change. */
const connect = (kc: KubeConfig) => {
  const server = new URL(kc.getCurrentCluster()!.server);
  const agent =
    server.protocol === 'https:'
      ? new https.Agent({ keepAlive: true, maxSockets: 32 })
      : new http.Agent({ keepAlive: true, maxSockets: 32 });
  return { kc, server, agent, fingerprint: fingerprintOf(kc) };
};

/**
 * The one door to Kubernetes. Authentication and TLS come from `@kubernetes/client-node`'s
 * KubeConfig; requests carry the objects as wire-format JSON, exactly as the manifests build them
 * (client-node's typed models rename fields such as `from`, which would silently drop them).
 * Every call has a deadline, and every failure is a `KubeError`.
 */
export const createKubeGateway = (kc: KubeConfig, { timeoutMs = 10_000, reload }: GatewayOptions = {}) => {
  let conn = connect(kc);
  let lastReloadAt = 0;
  let credentialChanges = 0;
  let requests = 0;
  let provisionerRequests = 0;
  // Every (kind, verb) this gateway was asked for, to check the RBAC table against what is used.
  const calls = new Map<string, { kind: string; verb: KubeVerb }>();
  // The provisioner's calls, kept apart: what its own ClusterRole must allow.
  const provisionerCalls = new Map<string, { kind: string; verb: KubeVerb }>();
  // Kinds outside the static table, by apiVersion, as discovery answered.
  const discovered = new Map<string, KindInfo[]>();

  /**
   * Re-reads the credentials after a failure a changed cluster explains; true when they changed
   * (the call is worth sending again). At most once a second, so an outage costs no file reads.
   */
  const reloadCredentials = (): boolean => {
    if (!reload || Date.now() - lastReloadAt < RELOAD_EVERY_MS) return false;
    lastReloadAt = Date.now();
    let next: KubeConfig;
    try {
      next = reload();
    } catch {
      // A kubeconfig being rewritten may be half there: the next failure looks again.
      return false;
    }
    if (fingerprintOf(next) === conn.fingerprint) return false;
    const old = conn;
    conn = connect(next);
    credentialChanges++;
    old.agent.destroy();
    return true;
  };

  /** Whether a failure is one that new credentials may cure. */
  const credentialsSuspect = (error: unknown, status?: number) => {
    if (status === 401) return true;
    const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
    return TLS_CODES.has(code) || CONNECTION_CODES.has(code);
  };

  /** Sends a call and hands the response to `read`; every failure to connect is Unavailable. */
  const open = async <T>(
    method: string,
    path: string,
    options: RequestOptions,
    read: (res: http.IncomingMessage, signal: AbortSignal) => Promise<T>,
    { deadlineMs }: { deadlineMs: number | undefined },
  ): Promise<T> => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const deadline = deadlineMs === undefined ? undefined : AbortSignal.timeout(deadlineMs);
    const signals = [deadline, options.signal].filter((s): s is AbortSignal => s !== undefined);
    const signal = signals.length === 1 ? signals[0]! : AbortSignal.any(signals);
    const unavailable = (error: Error) =>
      kubeError(
        'Unavailable',
        options.verb,
        options.target,
        deadline?.aborted
          ? `the API server did not answer within ${deadlineMs} ms (timed out)`
          : options.signal?.aborted
            ? 'the call was cancelled'
            : `the API server could not be reached (${error.message})`,
      );
    const send = async () => {
      const { kc: current, server, agent } = conn;
      const url = new URL(path, server);
      for (const [key, value] of Object.entries(options.query ?? {}))
        if (value !== undefined) url.searchParams.set(key, value);
      const httpsOptions: https.RequestOptions = {
        method,
        headers: { accept: options.accept ?? 'application/json' },
      };
      await current.applyToHTTPSOptions(httpsOptions);
      // applyToHTTPSOptions installs a fresh agent without keep-alive on every call; ours keeps
      // connections open (its sockets still get the CA and client certificate from these options).
      httpsOptions.agent = agent;
      // The provisioner's requests are counted apart: `requestCount` measures the engine's passes.
      if (options.provisioner) provisionerRequests++;
      else requests++;
      if (payload !== undefined) {
        httpsOptions.headers = {
          ...httpsOptions.headers,
          'content-type': options.contentType ?? 'application/json',
        };
      }
      return new Promise<T>((resolve, reject) => {
        const req = (url.protocol === 'https:' ? https : http).request(
          url,
          { ...httpsOptions, signal },
          (res) => void read(res, signal).then(resolve, reject),
        );
        req.on('error', reject);
        req.end(payload);
      });
    };
    (options.provisioner ? provisionerCalls : calls).set(`${options.target.kind} ${options.verb}`, {
      kind: options.target.kind,
      verb: options.verb,
    });
    try {
      return await send();
    } catch (error) {
      if (error instanceof KubeError) {
        if (error.status === 401 && reloadCredentials()) return send();
        throw error;
      }
      if (deadline?.aborted || options.signal?.aborted) throw unavailable(error as Error);
      // A kept-alive connection the server closed just as we reused it: safe to send a read again.
      const reset =
        (error as NodeJS.ErrnoException).code === 'ECONNRESET' && (method === 'GET' || method === 'DELETE');
      if (!reset && !(credentialsSuspect(error) && reloadCredentials())) throw unavailable(error as Error);
      return send().catch((retryError: unknown) => {
        if (retryError instanceof KubeError) throw retryError;
        throw unavailable(retryError as Error);
      });
    }
  };

  /** Reads a whole answer; a status outside 2xx is the call's KubeError. */
  const readAll =
    <T>(options: RequestOptions) =>
    (res: http.IncomingMessage) =>
      new Promise<T>((resolve, reject) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).toString();
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = { message: text.slice(0, 200) };
          }
          if (status < 200 || status >= 300)
            reject(kubeErrorFromResponse(status, body, options.verb, options.target));
          else resolve(body as T);
        });
      });

  // Private: every call goes through a typed method below, so that callers never build REST paths
  // and every error can say in words what failed.
  const request = <T>(method: string, path: string, options: RequestOptions): Promise<T> =>
    open(method, path, options, readAll<T>(options), { deadlineMs: options.timeoutMs ?? timeoutMs });

  const listPages = async (kind: KindName, options: ListOptions) => {
    const items: KubeObject[] = [];
    let continueToken: string | undefined;
    let resourceVersion = '';
    do {
      const page = await request<{
        items: KubeObject[];
        metadata?: { continue?: string; resourceVersion?: string };
      }>('GET', collectionPath(kinds[kind], options.namespace), {
        ...options,
        verb: 'list',
        target: { kind, namespace: options.namespace },
        // Large pages: a resync lists each kind whole, and 10 000 objects should cost two requests.
        query: {
          labelSelector: options.labelSelector,
          fieldSelector: options.fieldSelector,
          limit: '5000',
          continue: continueToken,
        },
      });
      const info = kinds[kind];
      for (const item of page.items) items.push({ ...item, apiVersion: info.apiVersion, kind: info.kind });
      continueToken = page.metadata?.continue || undefined;
      // Every page of one list is read at the version of the first.
      resourceVersion ||= page.metadata?.resourceVersion ?? '';
    } while (continueToken);
    return { items, resourceVersion };
  };

  const logQuery = (log: PodLogOptions) => ({
    container: log.container,
    tailLines: log.tailLines?.toString(),
    sinceSeconds: log.sinceSeconds?.toString(),
    timestamps: log.timestamps ? 'true' : undefined,
  });
  const logRequest = (
    namespace: string,
    name: string,
    log: PodLogOptions,
    options: CallOptions,
  ): RequestOptions => ({
    ...options,
    verb: 'log',
    target: { kind: kinds.Pod.kind, name, namespace },
    query: logQuery(log),
    accept: 'text/plain, application/json',
  });
  /** A log's whole text; a refusal (no such pod or container) is the call's KubeError. */
  const readLog = (res: http.IncomingMessage, target: KubeTarget) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const text = Buffer.concat(chunks).toString();
        if (status >= 200 && status < 300) return resolve(text);
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = { message: text.slice(0, 200) };
        }
        reject(kubeErrorFromResponse(status, body, 'log', target));
      });
    });

  const objectPath = (info: KindInfo, namespace: string | undefined, name: string) =>
    `${collectionPath(info, namespace)}/${name}`;
  const addressOf = (object: ObjectAddress) => ({
    target: { kind: object.kind, name: object.metadata.name, namespace: object.metadata.namespace },
    path: objectPath(kindOf(object), object.metadata.namespace, object.metadata.name),
  });

  return {
    /** The API server's origin (it changes when re-read credentials name another). */
    get server() {
      return conn.server.origin;
    },

    /** How many times re-read credentials differed from those in use (a restarted cluster). */
    credentialChanges: () => credentialChanges,

    /** Requests sent so far, for measuring what a pass costs. */
    requestCount: () => requests,

    /** The distinct (kind, verb) calls made so far: what the service account's RBAC must allow. */
    callsMade: () => [...calls.values()],

    /** Every object of a kind matching the selector: one LIST (paged by the server if large). */
    list: async (kind: KindName, options: ListOptions = {}): Promise<KubeObject[]> =>
      (await listPages(kind, options)).items,

    /** The same LIST, with the version it was read at: where a watch of the kind starts. */
    listVersioned: (kind: KindName, options: ListOptions = {}) => listPages(kind, options),

    /** One object, or null when it does not exist. */
    async get(
      kind: KindName,
      namespace: string | undefined,
      name: string,
      options: CallOptions = {},
    ): Promise<VersionedObject | null> {
      try {
        return await request<VersionedObject>('GET', objectPath(kinds[kind], namespace, name), {
          ...options,
          verb: 'get',
          target: { kind, name, namespace },
        });
      } catch (error) {
        if (error instanceof KubeError && error.kind === 'NotFound') return null;
        throw error;
      }
    },

    /** Creates the object; Conflict when one of that name exists already. */
    create: (object: KubeObject, options: CallOptions = {}) =>
      request<VersionedObject>('POST', collectionPath(kindOf(object), object.metadata.namespace), {
        ...options,
        verb: 'create',
        target: addressOf(object).target,
        body: object,
        query: { fieldManager: FIELD_MANAGER, fieldValidation: 'Strict' },
      }),

    /**
     * Replaces the object, on the condition that it is still at the version it was read at
     * (`metadata.resourceVersion`): Conflict when someone wrote it in between.
     */
    update: (object: VersionedObject, options: CallOptions = {}) => {
      const { path, target } = addressOf(object);
      return request<VersionedObject>('PUT', path, {
        ...options,
        verb: 'update',
        target,
        body: object,
        query: { fieldManager: FIELD_MANAGER, fieldValidation: 'Strict' },
      });
    },

    /**
     * Server-side apply as field manager `uncloud`, forcing ownership of the fields we set: what
     * someone changed behind our back is set back to intent.
     */
    apply: (object: KubeObject, options: CallOptions = {}) => {
      const { path, target } = addressOf(object);
      return request<VersionedObject>('PATCH', path, {
        ...options,
        verb: 'apply',
        target,
        body: object,
        contentType: 'application/apply-patch+yaml',
        query: { fieldManager: FIELD_MANAGER, fieldValidation: 'Strict', force: 'true' },
      });
    },

    /** Sets a workload's replicas through its `scale` subresource, as `kubectl scale` does. */
    async scale(
      kind: ScalableKind,
      namespace: string,
      name: string,
      replicas: number,
      options: CallOptions = {},
    ): Promise<void> {
      await request('PATCH', `${objectPath(kinds[kind], namespace, name)}/scale`, {
        ...options,
        verb: 'scale',
        target: { kind, name, namespace },
        body: { spec: { replicas } },
        contentType: 'application/merge-patch+json',
      });
    },

    /**
     * Restarts a running VirtualMachine's instance through KubeVirt's `restart` subresource, as
     * `virtctl restart` does: KubeVirt replaces the VirtualMachineInstance with a new one.
     */
    async restartVirtualMachine(namespace: string, name: string, options: CallOptions = {}): Promise<void> {
      await request(
        'PUT',
        `${KUBEVIRT_SUBRESOURCES}/namespaces/${namespace}/${kinds.VirtualMachine.plural}/${name}/restart`,
        {
          ...options,
          verb: 'restart',
          target: { kind: kinds.VirtualMachine.kind, name, namespace },
          body: {},
        },
      );
    },

    /** A container's recent log, as text (with the gateway's deadline). */
    podLogs: (namespace: string, name: string, log: PodLogOptions = {}, options: CallOptions = {}) => {
      const request = logRequest(namespace, name, log, options);
      return open(
        'GET',
        `${objectPath(kinds.Pod, namespace, name)}/log`,
        request,
        (res) => readLog(res, request.target),
        { deadlineMs: options.timeoutMs ?? timeoutMs },
      );
    },

    /**
     * GETs `path` of a pod's port through the API server's `pods/proxy` subresource
     * (`/api/v1/namespaces/{ns}/pods/{scheme}:{pod}:{port}/proxy/{path}`), as a health checker
     * outside the pod network does: the API server reaches the pod for it. Any HTTP answer of the
     * pod is its status; the API server's own refusal (no such pod, forbidden) is a KubeError.
     */
    proxyPodGet: (
      namespace: string,
      pod: string,
      target: { port: number; path: string; scheme: 'http' | 'https' },
      options: CallOptions = {},
    ): Promise<{ status: number }> => {
      const name = `${target.scheme === 'https' ? 'https:' : ''}${pod}:${target.port}`;
      const path = target.path.startsWith('/') ? target.path : `/${target.path}`;
      const request: RequestOptions = {
        ...options,
        verb: 'proxy',
        target: { kind: kinds.Pod.kind, name: pod, namespace },
        accept: '*/*',
      };
      return open(
        'GET',
        `${objectPath(kinds.Pod, namespace, encodeURIComponent(name))}/proxy${path}`,
        request,
        (res) =>
          new Promise<{ status: number }>((resolve, reject) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (chunk: Buffer) => {
              // Only a short answer can be the API server's Status: the rest is the pod's page.
              if (size < 64 * 1024) chunks.push(chunk);
              size += chunk.length;
            });
            res.on('error', reject);
            res.on('end', () => {
              const status = res.statusCode ?? 0;
              let body: { kind?: unknown; apiVersion?: unknown } | undefined;
              try {
                body = JSON.parse(Buffer.concat(chunks).toString()) as typeof body;
              } catch {
                body = undefined;
              }
              // The API server's own refusal (pod gone, forbidden, the pod unreachable from it).
              if (status >= 400 && body?.kind === 'Status' && body.apiVersion === 'v1')
                reject(kubeErrorFromResponse(status, body, request.verb, request.target));
              else resolve({ status });
            });
          }),
        { deadlineMs: options.timeoutMs ?? timeoutMs },
      );
    },

    /**
     * A container's log as it is written (`follow`): its lines, until `signal` aborts, the pod goes
     * or the server ends the stream. Only opening it has a deadline; the stream then has none.
     */
    followPodLogs: (
      namespace: string,
      name: string,
      log: PodLogOptions,
      options: CallOptions & { signal: AbortSignal },
    ): Promise<AsyncIterable<string>> =>
      open(
        'GET',
        `${objectPath(kinds.Pod, namespace, name)}/log`,
        { ...logRequest(namespace, name, log, options), query: { ...logQuery(log), follow: 'true' } },
        async (res): Promise<AsyncIterable<string>> => {
          if ((res.statusCode ?? 0) >= 300) {
            await readLog(res, { kind: kinds.Pod.kind, name, namespace });
          }
          return linesOf(res, options.signal);
        },
        { deadlineMs: undefined },
      ),

    /**
     * Opens a running VirtualMachineInstance's serial console through KubeVirt's `console`
     * subresource, as `virtctl console` does: a WebSocket of raw serial bytes (`plain.kubevirt.io`).
     * Resolves once connected; a refusal (no such instance, not running, forbidden) is a KubeError.
     * With `vnc`, its screen instead, through the `vnc` subresource: raw RFB bytes (`virtctl vnc`).
     */
    async openConsole(
      namespace: string,
      name: string,
      options: CallOptions = {},
      subresource: 'console' | 'vnc' = 'console',
    ): Promise<WebSocket> {
      const target = { kind: kinds.VirtualMachineInstance.kind, name, namespace };
      calls.set(`${target.kind} ${subresource}`, { kind: target.kind, verb: subresource });
      const { kc: current, server } = conn;
      const url = new URL(
        `${KUBEVIRT_SUBRESOURCES}/namespaces/${namespace}/${kinds.VirtualMachineInstance.plural}/${name}/${subresource}`,
        server,
      );
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      const tls: https.RequestOptions = { headers: {} };
      await current.applyToHTTPSOptions(tls);
      const deadline = AbortSignal.timeout(options.timeoutMs ?? timeoutMs);
      const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
      return new Promise<WebSocket>((resolve, reject) => {
        const socket = new WebSocket(url, CONSOLE_PROTOCOL, {
          headers: tls.headers as Record<string, string>,
          ca: tls.ca,
          cert: tls.cert,
          key: tls.key,
          rejectUnauthorized: tls.rejectUnauthorized,
          handshakeTimeout: options.timeoutMs ?? timeoutMs,
        });
        const abort = () => socket.terminate();
        signal.addEventListener('abort', abort, { once: true });
        socket.once('open', () => {
          signal.removeEventListener('abort', abort);
          resolve(socket);
        });
        socket.once('unexpected-response', (_req, res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            let body: unknown;
            try {
              body = JSON.parse(Buffer.concat(chunks).toString());
            } catch {
              body = { message: Buffer.concat(chunks).toString().slice(0, 200) };
            }
            reject(kubeErrorFromResponse(res.statusCode ?? 0, body, subresource, target));
          });
        });
        socket.once('error', (error) =>
          reject(
            kubeError(
              'Unavailable',
              subresource,
              target,
              signal.aborted
                ? `the ${subresource} did not open in time`
                : `the API server could not be reached (${error.message})`,
            ),
          ),
        );
      });
    },

    /** Deletes the object (dependents in the background by default); false when it was already gone. */
    async delete(
      object: ObjectAddress,
      {
        propagationPolicy = 'Background',
        ...options
      }: CallOptions & { propagationPolicy?: 'Background' | 'Foreground' | 'Orphan' } = {},
    ): Promise<boolean> {
      const { path, target } = addressOf(object);
      try {
        await request('DELETE', path, { ...options, verb: 'delete', target, query: { propagationPolicy } });
        return true;
      } catch (error) {
        if (error instanceof KubeError && error.kind === 'NotFound') return false;
        throw error;
      }
    },

    /** Requests the provisioner sent so far (not in `requestCount`). */
    provisionerRequestCount: () => provisionerRequests,

    /** The provisioner's (kind, verb) calls so far: what its own ClusterRole must allow. */
    provisionerCallsMade: () => [...provisionerCalls.values()],

    /**
     * Where a kind outside the static table lives (the provisioner's manifests hold any kind):
     * from discovery, remembered until a kind is not found (a CRD applied since may serve it).
     * Null when the cluster does not serve it.
     */
    async discover(
      apiVersion: string,
      kind: string,
      { fresh = false, ...options }: CallOptions & { fresh?: boolean } = {},
    ): Promise<KindInfo | null> {
      const find = () => discovered.get(apiVersion)?.find((k) => k.kind === kind) ?? null;
      if (!fresh && find()) return find();
      const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      try {
        const list = await request<{ resources: { name: string; kind: string; namespaced: boolean }[] }>(
          'GET',
          path,
          { ...options, verb: 'get', target: { kind: `${apiVersion} API` }, provisioner: true },
        );
        discovered.set(
          apiVersion,
          list.resources
            .filter((r) => !r.name.includes('/'))
            .map((r) => ({ apiVersion, kind: r.kind, plural: r.name, namespaced: r.namespaced })),
        );
      } catch (error) {
        if (error instanceof KubeError && error.kind === 'NotFound') {
          discovered.delete(apiVersion);
          return null;
        }
        throw error;
      }
      return find();
    },

    /** Server-side apply of any object whose kind `discover` found (the provisioner's manifests). */
    applyAs: (info: KindInfo, object: KubeObject, options: CallOptions = {}) =>
      request<VersionedObject>('PATCH', objectPath(info, object.metadata.namespace, object.metadata.name), {
        ...options,
        verb: 'apply',
        target: { kind: info.kind, name: object.metadata.name, namespace: object.metadata.namespace },
        body: object,
        contentType: 'application/apply-patch+yaml',
        query: { fieldManager: FIELD_MANAGER, force: 'true' },
        provisioner: true,
      }),

    /** One object of any discovered kind, or null when it does not exist. */
    async getAs(info: KindInfo, namespace: string | undefined, name: string, options: CallOptions = {}) {
      try {
        return await request<VersionedObject>('GET', objectPath(info, namespace, name), {
          ...options,
          verb: 'get',
          target: { kind: info.kind, name, namespace },
          provisioner: true,
        });
      } catch (error) {
        if (error instanceof KubeError && error.kind === 'NotFound') return null;
        throw error;
      }
    },

    /** Every object of a discovered kind (cluster-wide), for the provisioner's checks. */
    async listAs(info: KindInfo, options: CallOptions & { labelSelector?: string } = {}) {
      const page = await request<{ items: KubeObject[] }>('GET', collectionPath(info), {
        ...options,
        verb: 'list',
        target: { kind: info.kind },
        query: { labelSelector: options.labelSelector },
        provisioner: true,
      });
      return page.items.map((item) => ({ ...item, apiVersion: info.apiVersion, kind: info.kind }));
    },

    /** Deletes an object of a discovered kind; false when it was already gone. */
    async deleteAs(info: KindInfo, object: ObjectAddress, options: CallOptions = {}): Promise<boolean> {
      const { name, namespace } = object.metadata;
      try {
        await request('DELETE', objectPath(info, namespace, name), {
          ...options,
          verb: 'delete',
          target: { kind: info.kind, name, namespace },
          query: { propagationPolicy: 'Background' },
          provisioner: true,
        });
        return true;
      } catch (error) {
        if (error instanceof KubeError && error.kind === 'NotFound') return false;
        throw error;
      }
    },

    /**
     * Watches a kind from a version: each event is handed to `onEvent` in order. Resolves once the
     * server accepted the watch; its `ended` settles when the stream ends (the server's timeout:
     * resolves) or breaks (rejects, Unavailable). A version too old to watch from arrives as an
     * ERROR event whose object is a `Status` with code 410: the caller must list again.
     */
    async watch(
      kind: KindName,
      options: WatchOptions,
      onEvent: (event: WatchEvent) => void,
    ): Promise<WatchStream> {
      const info = kinds[kind];
      const target = { kind, namespace: options.namespace };
      const controller = new AbortController();
      // Stopped by the caller: the stream ends quietly. Cut by a timer: it failed.
      let stopped = false;
      const stop = () => {
        stopped = true;
        controller.abort();
      };
      const cut = () => controller.abort();
      options.signal?.addEventListener('abort', stop, { once: true });
      // The answer's headers must come within the call deadline; the stream then lasts as long as
      // the server keeps it, and a silent one (a half-open connection) is dropped after a grace.
      const headerTimer = setTimeout(cut, timeoutMs);
      const idleMs = (options.timeoutSeconds + 30) * 1000;
      const callOptions: RequestOptions = {
        verb: 'watch',
        target,
        signal: controller.signal,
        query: {
          watch: '1',
          labelSelector: options.labelSelector,
          resourceVersion: options.resourceVersion,
          timeoutSeconds: String(options.timeoutSeconds),
          allowWatchBookmarks: 'true',
        },
      };
      try {
        return await open(
          'GET',
          collectionPath(info, options.namespace),
          callOptions,
          async (res) => {
            clearTimeout(headerTimer);
            const status = res.statusCode ?? 0;
            if (status < 200 || status >= 300) return readAll<WatchStream>(callOptions)(res);
            const ended = new Promise<void>((resolve, reject) => {
              let buffered = '';
              let finished = false;
              let idle = setTimeout(cut, idleMs);
              const finish = (error?: Error) => {
                if (finished) return;
                finished = true;
                clearTimeout(idle);
                options.signal?.removeEventListener('abort', stop);
                if (error && !stopped) reject(error);
                else resolve();
              };
              res.setEncoding('utf8');
              res.on('data', (chunk: string) => {
                clearTimeout(idle);
                idle = setTimeout(cut, idleMs);
                buffered += chunk;
                let at = buffered.indexOf('\n');
                while (at >= 0) {
                  const line = buffered.slice(0, at).trim();
                  buffered = buffered.slice(at + 1);
                  at = buffered.indexOf('\n');
                  if (!line) continue;
                  let event: WatchEvent;
                  try {
                    event = JSON.parse(line) as WatchEvent;
                  } catch {
                    finish(
                      kubeError(
                        'Unavailable',
                        'watch',
                        target,
                        'the watch stream sent a line that is not JSON',
                      ),
                    );
                    res.destroy();
                    return;
                  }
                  if (event.type !== 'ERROR' && event.object?.metadata)
                    event.object = { ...event.object, apiVersion: info.apiVersion, kind: info.kind };
                  onEvent(event);
                }
              });
              res.on('end', () => finish());
              res.on('error', (error) =>
                finish(kubeError('Unavailable', 'watch', target, `the watch was cut off (${error.message})`)),
              );
              res.on('close', () =>
                finish(
                  res.complete
                    ? undefined
                    : kubeError('Unavailable', 'watch', target, 'the watch connection was lost'),
                ),
              );
            });
            return { ended, stop };
          },
          { deadlineMs: undefined },
        );
      } catch (error) {
        clearTimeout(headerTimer);
        options.signal?.removeEventListener('abort', stop);
        throw error;
      }
    },

    close: () => conn.agent.destroy(),
  };
};

/**
 * A gateway to the cluster of `source` that re-reads it when the cluster changes its credentials
 * (an API server restarted with a new certificate and token), instead of needing a restart.
 */
export const openKubeGateway = (source: ClusterSource, options: Omit<GatewayOptions, 'reload'> = {}) =>
  createKubeGateway(loadKubeConfig(source), { ...options, reload: () => loadKubeConfig(source) });
