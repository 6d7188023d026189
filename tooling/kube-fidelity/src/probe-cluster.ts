// The three ways a probe reaches a cluster: kubectl, raw HTTP authenticated by client-node's
// KubeConfig, and client-node's typed clients (built by the probes from `kc`).
import { spawn } from 'node:child_process';
import { request as httpsRequest, type RequestOptions as HttpsOptions } from 'node:https';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { waitFor } from '@uncloud/testing';
import type { RunningCluster } from './clusters.ts';
import type { ClusterLabel, HttpResult, KubectlResult, ProbeCluster, RequestOptions } from './types.ts';

export function runKubectl(
  kubeconfigPath: string,
  cacheDir: string,
  args: string[],
  opts: { input?: string; timeoutMs?: number } = {},
): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', ['--kubeconfig', kubeconfigPath, '--cache-dir', cacheDir, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, KUBECONFIG: '', KUBECTL_EXTERNAL_DIFF: '' },
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 30_000);
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`kubectl: ${e.message}`));
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: timedOut ? null : code, stdout, stderr, timedOut });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/** `299 - "unknown field \"x\""` → `unknown field "x"`. */
export function parseWarningHeader(value: string): string {
  const m = /^\d{3} \S+ "((?:[^"\\]|\\.)*)"/.exec(value.trim());
  return m?.[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : value.trim();
}

export async function rawRequest(
  kc: KubeConfig,
  method: string,
  path: string,
  opts: RequestOptions = {},
): Promise<HttpResult> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('kubeconfig has no current cluster');
  const url = new URL(path, server);
  for (const [k, v] of Object.entries(opts.query ?? {}))
    if (v !== undefined) url.searchParams.append(k, String(v));
  let payload: string | undefined;
  const headers: Record<string, string> = { Accept: opts.accept ?? 'application/json' };
  if (opts.body !== undefined) {
    payload = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['Content-Type'] = opts.contentType ?? 'application/json';
    // Without a length Node sends a DELETE body unframed: the server would never see it.
    headers['Content-Length'] = String(Buffer.byteLength(payload));
  }
  const options: HttpsOptions = { method, headers };
  await kc.applyToHTTPSOptions(options);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const req = send(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const contentType = String(res.headers['content-type'] ?? '');
        let body: unknown = text;
        // A watch answers a stream of JSON lines: leave it as text (a refused watch is a Status).
        if (contentType.includes('json') && (res.statusCode !== 200 || !/watch=/.test(url.search))) {
          try {
            body = JSON.parse(text);
          } catch {
            body = text;
          }
        }
        // rawHeaders: each `Warning` header on its own (res.headers joins repeats with ", ").
        const warnings: string[] = [];
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2)
          if (res.rawHeaders[i]?.toLowerCase() === 'warning')
            warnings.push(parseWarningHeader(res.rawHeaders[i + 1] ?? ''));
        resolve({ status: res.statusCode ?? 0, warnings, contentType, body });
      });
    });
    req.setTimeout(timeoutMs, () =>
      req.destroy(new Error(`${method} ${path}: no answer in ${timeoutMs} ms`)),
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** What one cluster shares between its probes. */
export class ClusterHandle {
  readonly kc = new KubeConfig();
  nodeNames: string[] = [];
  /** Set once a namespace went without a `default` ServiceAccount: do not wait for it again. */
  private noDefaultServiceAccount = false;

  constructor(readonly running: RunningCluster) {
    this.kc.loadFromFile(running.kubeconfigPath);
  }

  get label(): ClusterLabel {
    return this.running.label;
  }

  async init(): Promise<void> {
    const nodes = await rawRequest(this.kc, 'GET', '/api/v1/nodes');
    if (nodes.status !== 200) throw new Error(`${this.label}: GET nodes answered ${nodes.status}`);
    const items = (nodes.body as { items?: { metadata?: { name?: string } }[] }).items ?? [];
    this.nodeNames = items.map((n) => n.metadata?.name ?? '').filter((n) => n !== '');
  }

  /** A fresh namespace for one probe, and the probe's view of the cluster. */
  async forProbe(namespace: string): Promise<ProbeCluster> {
    const created = await rawRequest(this.kc, 'POST', '/api/v1/namespaces', {
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    });
    if (created.status !== 201)
      throw new Error(`${this.label}: cannot create namespace ${namespace}: ${created.status}`);
    const view = this.view(namespace);
    // The real API server refuses pods until the namespace's `default` ServiceAccount exists.
    if (!this.noDefaultServiceAccount) {
      const sa = await view.waitFor(
        async () =>
          (await rawRequest(this.kc, 'GET', `/api/v1/namespaces/${namespace}/serviceaccounts/default`))
            .status === 200,
        5_000,
        100,
      );
      if (!sa) this.noDefaultServiceAccount = true;
    }
    return view;
  }

  view(namespace: string): ProbeCluster {
    const { kc, label } = this;
    const kubeconfigPath = this.running.kubeconfigPath;
    const cacheDir = join(this.running.dir, 'kubectl-cache');
    return {
      label,
      kubeconfigPath,
      kc,
      namespace,
      kubectl: (args, opts) => runKubectl(kubeconfigPath, cacheDir, args, opts),
      request: (method, path, opts) => rawRequest(kc, method, path, opts),
      // The workspace's one waitFor, with its deadline turned into an observation (undefined).
      waitFor: <T>(check: () => Promise<T> | T, timeoutMs = 15_000, intervalMs = 200) =>
        waitFor(check, { timeout: timeoutMs, interval: intervalMs }).then(
          (v): T | undefined => v,
          () => undefined,
        ),
    };
  }
}
