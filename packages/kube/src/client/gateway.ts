import http from 'node:http';
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../manifests/meta.ts';
import { KubeError, kubeErrorFromResponse } from './errors.ts';
import { type KindName, collectionPath, kindOf, kinds } from './kinds.ts';

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
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
}

export interface ListOptions extends CallOptions {
  labelSelector?: string;
  namespace?: string;
}

export type KubeGateway = ReturnType<typeof createKubeGateway>;

/**
 * The one door to Kubernetes. Authentication and TLS come from `@kubernetes/client-node`'s
 * KubeConfig; requests carry the objects as wire-format JSON, exactly as the manifests build them
 * (client-node's typed models rename fields such as `from`, which would silently drop them).
 * Every call has a deadline, and every failure is a `KubeError`.
 */
export const createKubeGateway = (kc: KubeConfig, { timeoutMs = 10_000 }: { timeoutMs?: number } = {}) => {
  const server = new URL(kc.getCurrentCluster()!.server);
  let requests = 0;
  const agent =
    server.protocol === 'https:'
      ? new https.Agent({ keepAlive: true, maxSockets: 32 })
      : new http.Agent({ keepAlive: true, maxSockets: 32 });

  const request = async <T>(method: string, path: string, options: RequestOptions = {}): Promise<T> => {
    const url = new URL(path, server);
    for (const [key, value] of Object.entries(options.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, value);
    const httpsOptions: https.RequestOptions = { method, headers: { accept: 'application/json' } };
    await kc.applyToHTTPSOptions(httpsOptions);
    // applyToHTTPSOptions installs a fresh agent without keep-alive on every call; ours keeps
    // connections open (its sockets still get the CA and client certificate from these options).
    httpsOptions.agent = agent;
    requests++;
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    if (payload !== undefined) {
      httpsOptions.headers = {
        ...httpsOptions.headers,
        'content-type': options.contentType ?? 'application/json',
      };
    }
    const deadline = AbortSignal.timeout(options.timeoutMs ?? timeoutMs);
    const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
    const what = `${method} ${url.pathname}`;
    const send = () =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = (url.protocol === 'https:' ? https : http).request(
          url,
          { ...httpsOptions, signal },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
            );
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    const unavailable = (error: Error) =>
      new KubeError('Unavailable', `${what}: ${deadline.aborted ? 'timed out' : error.message}`);
    let answer: { status: number; text: string };
    try {
      answer = await send();
    } catch (error) {
      // A kept-alive connection the server closed just as we reused it: safe to send a read again.
      const reset =
        (error as NodeJS.ErrnoException).code === 'ECONNRESET' && (method === 'GET' || method === 'DELETE');
      if (!reset || deadline.aborted) throw unavailable(error as Error);
      answer = await send().catch((retryError: unknown) => {
        throw unavailable(retryError as Error);
      });
    }
    const { status, text } = answer;
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = { message: text.slice(0, 200) };
    }
    if (status < 200 || status >= 300) throw kubeErrorFromResponse(status, body, what);
    return body as T;
  };

  const objectPath = (object: {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string };
  }) => `${collectionPath(kindOf(object), object.metadata.namespace)}/${object.metadata.name}`;

  return {
    server: server.origin,

    /** Requests sent so far, for measuring what a pass costs. */
    requestCount: () => requests,

    /** Every object of a kind matching the selector: one LIST (paged by the server if large). */
    async list(kind: KindName, options: ListOptions = {}): Promise<KubeObject[]> {
      const items: KubeObject[] = [];
      let continueToken: string | undefined;
      do {
        const page = await request<{ items: KubeObject[]; metadata?: { continue?: string } }>(
          'GET',
          collectionPath(kinds[kind], options.namespace),
          {
            ...options,
            // Large pages: a resync lists each kind whole, and 10 000 objects should cost two requests.
            query: { labelSelector: options.labelSelector, limit: '5000', continue: continueToken },
          },
        );
        const info = kinds[kind];
        for (const item of page.items) items.push({ ...item, apiVersion: info.apiVersion, kind: info.kind });
        continueToken = page.metadata?.continue || undefined;
      } while (continueToken);
      return items;
    },

    /** One object, or null when it does not exist. */
    async get(
      kind: KindName,
      namespace: string | undefined,
      name: string,
      options: CallOptions = {},
    ): Promise<KubeObject | null> {
      try {
        return await request<KubeObject>('GET', `${collectionPath(kinds[kind], namespace)}/${name}`, options);
      } catch (error) {
        if (error instanceof KubeError && error.kind === 'NotFound') return null;
        throw error;
      }
    },

    /** Creates the object; Conflict when one of that name exists already. */
    create: (object: KubeObject, options: CallOptions = {}) =>
      request<KubeObject>('POST', collectionPath(kindOf(object), object.metadata.namespace), {
        ...options,
        body: object,
        query: { fieldManager: FIELD_MANAGER },
      }),

    /**
     * Server-side apply as field manager `uncloud`, forcing ownership of the fields we set: what
     * someone changed behind our back is set back to intent.
     */
    apply: (object: KubeObject, options: CallOptions = {}) =>
      request<KubeObject>('PATCH', objectPath(object), {
        ...options,
        body: object,
        contentType: 'application/apply-patch+yaml',
        query: { fieldManager: FIELD_MANAGER, force: 'true' },
      }),

    /** Deletes the object (dependents in the background by default); false when it was already gone. */
    async delete(
      object: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } },
      {
        propagationPolicy = 'Background',
        ...options
      }: CallOptions & { propagationPolicy?: 'Background' | 'Foreground' | 'Orphan' } = {},
    ): Promise<boolean> {
      try {
        await request('DELETE', objectPath(object), { ...options, query: { propagationPolicy } });
        return true;
      } catch (error) {
        if (error instanceof KubeError && error.kind === 'NotFound') return false;
        throw error;
      }
    },

    /** Raw access for the rare call the methods above do not cover (leases, subresources). */
    request,

    close: () => agent.destroy(),
  };
};
