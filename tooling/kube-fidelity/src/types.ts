// What a probe is, what it sees of a cluster, and what it reports.
import type { KubeConfig } from '@kubernetes/client-node';

export type ClusterLabel = 'sim' | 'real';

/** A JSON value as observations hold it. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * One probe's normalized, comparable record of what a cluster answered. For an HTTP request:
 * status code, Status reason and message, `Warning` headers; for kubectl: exit code, stderr as
 * the message. `fields` holds what a client reads from the answer (selected object fields,
 * counts, later steps), keyed by a short name.
 */
export interface Observation {
  status: number | null;
  reason?: string;
  message?: string;
  warnings?: string[];
  fields?: Record<string, Json>;
}

export interface KubectlResult {
  /** null when the process was killed (timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface HttpResult {
  status: number;
  /** `Warning` headers, agent and quotes stripped (`299 - "text"` → `text`). */
  warnings: string[];
  contentType: string;
  /** Parsed JSON when the answer is JSON, else the text. */
  body: unknown;
}

export interface RequestOptions {
  /** An object is sent as JSON; a string as is, with `contentType`. */
  body?: unknown;
  contentType?: string;
  accept?: string;
  query?: Record<string, string | number | boolean | undefined>;
  timeoutMs?: number;
}

/** A cluster as one probe sees it: its own fresh namespace on it, and three ways in. */
export interface ProbeCluster {
  readonly label: ClusterLabel;
  readonly kubeconfigPath: string;
  /** client-node configuration loaded from the kubeconfig. */
  readonly kc: KubeConfig;
  /** The probe's fresh namespace (same name on both clusters). */
  readonly namespace: string;
  /** kubectl --kubeconfig <path> …args; never throws for a non-zero exit. Bounded (default 30 s). */
  kubectl(args: string[], opts?: { input?: string; timeoutMs?: number }): Promise<KubectlResult>;
  /** A raw API request authenticated through the KubeConfig; never throws for an HTTP error. */
  request(method: string, path: string, opts?: RequestOptions): Promise<HttpResult>;
  /**
   * Poll `check` until it returns a truthy value; undefined after the timeout (a cluster that
   * never gets there is an observation, not a failure). Errors thrown by `check` count as "not yet".
   */
  waitFor<T>(check: () => Promise<T> | T, timeoutMs?: number, intervalMs?: number): Promise<T | undefined>;
}

export type Area =
  | 'validation'
  | 'crd-schema'
  | 'field-validation'
  | 'scheduling'
  | 'workloads'
  | 'deletion'
  | 'lists'
  | 'kubectl'
  | 'apply'
  | 'admission';

export interface Probe {
  /** kebab-case, unique; also the probe's namespace (`fid-<name>`, ≤ 63 characters). */
  name: string;
  area: Area;
  /** What is being checked, one line (for the report). */
  description: string;
  run(cluster: ProbeCluster): Promise<Observation>;
}
