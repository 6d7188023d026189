import http from 'node:http';
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
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

// KubeVirt serves start, stop and restart of a VirtualMachine in an aggregated API of its own.
const KUBEVIRT_SUBRESOURCES = '/apis/subresources.kubevirt.io/v1';

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
  // Every (kind, verb) this gateway was asked for, to check the RBAC table against what is used.
  const calls = new Map<string, { kind: string; verb: KubeVerb }>();
  const agent =
    server.protocol === 'https:'
      ? new https.Agent({ keepAlive: true, maxSockets: 32 })
      : new http.Agent({ keepAlive: true, maxSockets: 32 });

  // Private: every call goes through a typed method below, so that callers never build REST paths
  // and every error can say in words what failed.
  const request = async <T>(method: string, path: string, options: RequestOptions): Promise<T> => {
    const url = new URL(path, server);
    for (const [key, value] of Object.entries(options.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, value);
    const httpsOptions: https.RequestOptions = { method, headers: { accept: 'application/json' } };
    await kc.applyToHTTPSOptions(httpsOptions);
    // applyToHTTPSOptions installs a fresh agent without keep-alive on every call; ours keeps
    // connections open (its sockets still get the CA and client certificate from these options).
    httpsOptions.agent = agent;
    requests++;
    calls.set(`${options.target.kind} ${options.verb}`, { kind: options.target.kind, verb: options.verb });
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    if (payload !== undefined) {
      httpsOptions.headers = {
        ...httpsOptions.headers,
        'content-type': options.contentType ?? 'application/json',
      };
    }
    const deadlineMs = options.timeoutMs ?? timeoutMs;
    const deadline = AbortSignal.timeout(deadlineMs);
    const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
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
      kubeError(
        'Unavailable',
        options.verb,
        options.target,
        deadline.aborted
          ? `the API server did not answer within ${deadlineMs} ms (timed out)`
          : options.signal?.aborted
            ? 'the call was cancelled'
            : `the API server could not be reached (${error.message})`,
      );
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
    if (status < 200 || status >= 300)
      throw kubeErrorFromResponse(status, body, options.verb, options.target);
    return body as T;
  };

  const objectPath = (info: KindInfo, namespace: string | undefined, name: string) =>
    `${collectionPath(info, namespace)}/${name}`;
  const addressOf = (object: ObjectAddress) => ({
    target: { kind: object.kind, name: object.metadata.name, namespace: object.metadata.namespace },
    path: objectPath(kindOf(object), object.metadata.namespace, object.metadata.name),
  });

  return {
    server: server.origin,

    /** Requests sent so far, for measuring what a pass costs. */
    requestCount: () => requests,

    /** The distinct (kind, verb) calls made so far: what the service account's RBAC must allow. */
    callsMade: () => [...calls.values()],

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
            verb: 'list',
            target: { kind, namespace: options.namespace },
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

    close: () => agent.destroy(),
  };
};
