import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { Region, clientBatchSize } from '@uncloud/sdk';
import { DEFAULT_REGION, parseReservedIpPool } from './services/reserved-ip-pool.ts';
import { type CatalogueFile, readCatalogueFile } from '@uncloud/kube';
import { HEALTH_CHECK_MODES, type HealthCheckMode } from '@uncloud/sync';
import { z } from 'zod';

const ms = (min: number) =>
  z.coerce
    .number()
    .int()
    .min(min, { message: `must be at least ${min} ms` });
const count = (min: number) =>
  z.coerce
    .number()
    .int()
    .min(min, { message: `must be at least ${min}` });
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/**
 * Every environment variable Uncloud reads, validated once at start-up. This is the only module
 * that touches `process.env`; the README's configuration table mirrors it.
 */
const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  UNCLOUD_DATA_DIR: z.string().min(1).default('./data'),
  UNCLOUD_SYNC_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(1000, { message: 'must be at least 1000 ms' })
    .default(15000),
  UNCLOUD_USAGE_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(1000, { message: 'must be at least 1000 ms' })
    .default(15000),
  // What one user who is not an administrator may create (docs/security.md); 0 allows none.
  UNCLOUD_MAX_PROJECTS_PER_USER: z.coerce.number().int().min(0, { message: 'must be 0 or more' }).default(10),
  UNCLOUD_MAX_TOKENS_PER_USER: z.coerce.number().int().min(0, { message: 'must be 0 or more' }).default(50),
  UNCLOUD_AUDIT_RETENTION_DAYS: z.coerce
    .number()
    .int({ message: 'must be a whole number of days' })
    .min(1, { message: 'must be at least 1 day' })
    .default(90),
  UNCLOUD_ADMIN_TOKEN: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
  UNCLOUD_WEB_DIR: z.string().min(1).optional(),
  KUBECONFIG: z.string().min(1).optional(),
  // Which cluster Uncloud manages (docs/deploy.md); unset: detected, see `clusterOf`.
  UNCLOUD_CLUSTER: z
    .enum(['embedded', 'kubeconfig', 'in-cluster'], { message: 'must be embedded, kubeconfig or in-cluster' })
    .optional(),
  // How load balancers' health checks reach targets (docs/load-balancers.md); unset: by cluster.
  UNCLOUD_LB_HEALTH_CHECKS: z
    .enum(HEALTH_CHECK_MODES, { message: 'must be direct, apiserver-proxy or off' })
    .optional(),
  // Set by Kubernetes in every pod: with the service account token, it means "running in a pod".
  KUBERNETES_SERVICE_HOST: z.string().optional(),
  // The namespace of the sync engine's leader-election Lease (in a pod: its own, see deploy/).
  UNCLOUD_LEASE_NAMESPACE: z.string().min(1).default('default'),
  // Orphan collection refuses a pass that would delete more than this share of the managed objects.
  UNCLOUD_ORPHAN_MAX_SHARE: z.coerce
    .number()
    .min(0, { message: 'must be between 0 and 1' })
    .max(1, { message: 'must be between 0 and 1' })
    .default(0.5),
  UNCLOUD_STORAGE_CLASS: z.string().min(1).optional(),
  // Where the provisioner fetches component manifests instead of upstream (air-gapped sites).
  UNCLOUD_COMPONENTS_MIRROR: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
  // A JSON catalogue of component versions with their checksums, replacing the built-in versions.
  UNCLOUD_COMPONENTS_CATALOGUE: z.string().min(1).optional(),
  UNCLOUD_INGRESS_CLASS: z.string().min(1).optional(),
  // Load balancers' HTTPS hostnames with a cert-manager certificate: the ClusterIssuer asked.
  UNCLOUD_CERT_MANAGER_ISSUER: z.string().min(1).default('letsencrypt'),
  // Annotations that make the ingress controller redirect HTTP to HTTPS (JSON object of strings).
  UNCLOUD_INGRESS_REDIRECT_ANNOTATIONS: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return undefined;
      try {
        return z.record(z.string(), z.string()).parse(JSON.parse(text));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object of strings, e.g. {"a/b":"c"}' });
        return z.NEVER;
      }
    }),
  // Addresses reserved IPs are taken from (docs/reserved-ips.md): CIDRs, ranges (a-b) and addresses.
  UNCLOUD_RESERVED_IP_POOL: z
    .string()
    .optional()
    .superRefine((text, ctx) => {
      if (text === undefined) return;
      try {
        parseReservedIpPool(text);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  // The region name resources report (one installation, one region).
  UNCLOUD_REGION: Region.default(DEFAULT_REGION),
  // Uncloud's address as users and the registry reach it: the registry's token realm (docs/registry.md).
  UNCLOUD_PUBLIC_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
  // The registry's address in image names (`registry.example.com/<project>/<image>`); unset: no registry.
  UNCLOUD_REGISTRY_HOST: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$/, {
      message: 'must be a host name with an optional port, such as "registry.example.com"',
    })
    .optional(),
  // Where Uncloud reaches the registry's API to list repositories (default https://<registry host>).
  UNCLOUD_REGISTRY_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
  UNCLOUD_NETWORK_POLICY: z.enum(['cilium', 'kubernetes']).default('cilium'),
  // The front door: limits that keep one caller from taking the server down (docs/security.md).
  UNCLOUD_MAX_BODY_BYTES: count(1024).default(2 * 1024 * 1024),
  // Never below what the SDK and the dashboard send in one batch.
  UNCLOUD_MAX_BATCH_SIZE: count(clientBatchSize).default(50),
  UNCLOUD_HEADERS_TIMEOUT_MS: ms(1000).default(10_000),
  UNCLOUD_REQUEST_TIMEOUT_MS: ms(1000).default(60_000),
  UNCLOUD_KEEP_ALIVE_TIMEOUT_MS: ms(1000).default(5_000),
  UNCLOUD_MAX_REQUESTS_PER_SOCKET: count(0).default(1000),
  UNCLOUD_MAX_CONNECTIONS: count(16).default(1024),
  UNCLOUD_MAX_CONNECTIONS_PER_ADDRESS: count(0).default(128),
  UNCLOUD_MAX_STREAMS: count(1).default(512),
  UNCLOUD_MAX_STREAMS_PER_USER: count(1).default(16),
  UNCLOUD_STREAM_HEARTBEAT_MS: ms(1000).default(15_000),
  UNCLOUD_EVENT_BUFFER_SIZE: count(100).default(10_000),
  UNCLOUD_AUTH_FAILURE_BURST: count(1).default(10),
  UNCLOUD_AUTH_FAILURES_PER_MINUTE: count(1).default(10),
  UNCLOUD_TRUST_PROXY: flag.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Relative paths resolve against the directory the user typed the command in. npm sets INIT_CWD
  // to it, but a nested `npm run` (turbo starting the workspace's script) resets it to the
  // workspace, so the root scripts hand it down as UNCLOUD_START_DIR.
  UNCLOUD_START_DIR: z.string().min(1).optional(),
  INIT_CWD: z.string().optional(),
});

/** What one client may cost the server; every field has a variable (see the README's table). */
export interface Limits {
  /** Largest request body accepted; larger ones get 413. */
  maxBodyBytes: number;
  /** Most tRPC calls in one batched request. */
  maxBatchSize: number;
  /** Time to receive a request's headers before the connection is dropped. */
  headersTimeoutMs: number;
  /** Time to receive a whole request (headers and body). */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeoutMs: number;
  /** Requests served on one connection before it is closed (0: no limit). */
  maxRequestsPerSocket: number;
  /** Open connections at once; more are refused. */
  maxConnections: number;
  /** Open connections at once from one client address (0: no limit). */
  maxConnectionsPerAddress: number;
  /** Failed token authentications one client address may make in a row… */
  authFailureBurst: number;
  /** …and how many more per minute after that. */
  authFailuresPerMinute: number;
  /** Take the client address from the last `X-Forwarded-For` entry (behind a reverse proxy). */
  trustProxy: boolean;
  /** Change streams (`events.watch`) open at once, all users together… */
  maxStreams: number;
  /** …and per user. */
  maxStreamsPerUser: number;
  /** Time between two heartbeats on an idle change stream (keeps proxies from cutting it). */
  streamHeartbeatMs: number;
  /** Recent changes kept so that a stream that reconnects can resume where it stopped. */
  eventBufferSize: number;
}

/** Where Uncloud's cluster comes from (`UNCLOUD_CLUSTER`). */
export type ClusterMode = 'embedded' | 'kubeconfig' | 'in-cluster';

/** The cluster Uncloud manages, as chosen at start: the mode and why it was chosen. */
export type ClusterChoice = (
  | { mode: 'embedded' }
  | { mode: 'kubeconfig'; kubeconfig: string }
  | { mode: 'in-cluster'; serviceAccountDir: string }
) & {
  /** `UNCLOUD_CLUSTER` when set, else what detection saw (for the start-up log line). */
  chosenBy: string;
};

/** Where Kubernetes mounts a pod's service account credentials. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databasePath: string;
  syncIntervalMs: number;
  /** Period of CPU and memory sampling for the usage charts. */
  usageIntervalMs: number;
  userLimits: UserLimits;
  /** Days audit events are kept; older ones are deleted hourly. */
  auditRetentionDays: number;
  adminToken: string | undefined;
  webDir: string;
  kubeconfig: string | undefined;
  cluster: ClusterChoice;
  /** Largest share of the managed objects one orphan-collection pass may delete (1: no limit). */
  orphanMaxShare: number;
  /** Namespace of the sync engine's leader-election Lease. */
  leaseNamespace: string;
  /** How load balancers' health checks reach targets (unset: by the cluster's mode). */
  lbHealthChecks: HealthCheckMode | undefined;
  storageClass: string | undefined;
  /** The provisioner's mirror of upstream manifests. */
  componentsMirror: string | undefined;
  /** The site's catalogue of component versions and checksums (UNCLOUD_COMPONENTS_CATALOGUE). */
  componentsCatalogue: CatalogueFile | undefined;
  ingressClass: string | undefined;
  /** How load balancers' Ingresses get certificates and redirect HTTP (docs/kubernetes.md). */
  loadBalancerIngress: { certManagerIssuer: string; redirectAnnotations: Record<string, string> | undefined };
  /** UNCLOUD_RESERVED_IP_POOL as written; unset: the embedded cluster's reserved pool, else none. */
  reservedIpPool: string | undefined;
  region: string;
  networkPolicy: 'cilium' | 'kubernetes';
  registry: RegistrySettings;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  limits: Limits;
}

/** The private registry Uncloud is the token server of (docs/registry.md). */
export interface RegistrySettings {
  /** The registry's address in image names; undefined: no registry is offered. */
  host: string | undefined;
  /** Where Uncloud reaches the registry's HTTP API (repositories and tags for the dashboard). */
  apiUrl: string | undefined;
  /** Uncloud's public URL: the registry's token realm is `<publicUrl>/registry/token`. */
  publicUrl: string | undefined;
}

export class ConfigError extends Error {}

const catalogueOf = (path: string | undefined): CatalogueFile | undefined => {
  if (!path) return undefined;
  try {
    return readCatalogueFile(path);
  } catch (error) {
    throw new ConfigError(
      `Invalid configuration:\n  UNCLOUD_COMPONENTS_CATALOGUE: ${(error as Error).message}`,
    );
  }
};

/** What one user may create; administrators are exempt. */
export interface UserLimits {
  /** Projects a user may own (creating one makes them its owner). */
  maxProjectsPerUser: number;
  /** API tokens a user may hold. */
  maxTokensPerUser: number;
}

const userLimitsOf = (e: z.infer<typeof Env>): UserLimits => ({
  maxProjectsPerUser: e.UNCLOUD_MAX_PROJECTS_PER_USER,
  maxTokensPerUser: e.UNCLOUD_MAX_TOKENS_PER_USER,
});

/** The per-user limits with no variable set: what `startServer` uses when a caller gives none. */
export const defaultUserLimits: UserLimits = userLimitsOf(Env.parse({}));

const limitsOf = (e: z.infer<typeof Env>): Limits => ({
  maxBodyBytes: e.UNCLOUD_MAX_BODY_BYTES,
  maxBatchSize: e.UNCLOUD_MAX_BATCH_SIZE,
  headersTimeoutMs: e.UNCLOUD_HEADERS_TIMEOUT_MS,
  requestTimeoutMs: e.UNCLOUD_REQUEST_TIMEOUT_MS,
  keepAliveTimeoutMs: e.UNCLOUD_KEEP_ALIVE_TIMEOUT_MS,
  maxRequestsPerSocket: e.UNCLOUD_MAX_REQUESTS_PER_SOCKET,
  maxConnections: e.UNCLOUD_MAX_CONNECTIONS,
  maxConnectionsPerAddress: e.UNCLOUD_MAX_CONNECTIONS_PER_ADDRESS,
  authFailureBurst: e.UNCLOUD_AUTH_FAILURE_BURST,
  authFailuresPerMinute: e.UNCLOUD_AUTH_FAILURES_PER_MINUTE,
  trustProxy: e.UNCLOUD_TRUST_PROXY,
  maxStreams: e.UNCLOUD_MAX_STREAMS,
  maxStreamsPerUser: e.UNCLOUD_MAX_STREAMS_PER_USER,
  streamHeartbeatMs: e.UNCLOUD_STREAM_HEARTBEAT_MS,
  eventBufferSize: e.UNCLOUD_EVENT_BUFFER_SIZE,
});

/** How long audit events are kept when no variable says. */
export const defaultAuditRetentionDays = Env.parse({}).UNCLOUD_AUDIT_RETENTION_DAYS;

/** The limits with no variable set: what `startServer` uses when a caller gives none. */
export const defaultLimits: Limits = limitsOf(Env.parse({}));

const defaultWebDir = new URL('../../web/dist', import.meta.url).pathname;

/** How to choose the cluster, for every message that refuses one. */
export const HOW_TO_CHOOSE_CLUSTER =
  'choose with UNCLOUD_CLUSTER=embedded (the simulated cluster), kubeconfig (with KUBECONFIG) or in-cluster (in a pod, with its service account)';

/**
 * The cluster to manage: `UNCLOUD_CLUSTER` when set, else in-cluster in a pod (the service host
 * variable and the token file both there), kubeconfig when `KUBECONFIG` is set, else embedded. A
 * chosen mode whose credentials are missing is an error, never a quiet fall back to the simulator.
 */
const clusterOf = (
  e: z.infer<typeof Env>,
  kubeconfig: string | undefined,
  serviceAccountDir: string,
): ClusterChoice => {
  const tokenFile = `${serviceAccountDir}/token`;
  const inPod = Boolean(e.KUBERNETES_SERVICE_HOST) && existsSync(tokenFile);
  const mode: ClusterMode =
    e.UNCLOUD_CLUSTER ?? (inPod ? 'in-cluster' : kubeconfig ? 'kubeconfig' : 'embedded');
  const chosenBy = e.UNCLOUD_CLUSTER
    ? 'UNCLOUD_CLUSTER'
    : inPod
      ? 'running in a pod (KUBERNETES_SERVICE_HOST and a service account token)'
      : kubeconfig
        ? 'KUBECONFIG is set'
        : 'no KUBECONFIG and not in a pod';
  const refuse = (missing: string) => {
    throw new ConfigError(
      `Invalid configuration:\n  UNCLOUD_CLUSTER: ${mode} needs ${missing}; ${HOW_TO_CHOOSE_CLUSTER}`,
    );
  };
  if (mode === 'kubeconfig') {
    if (!kubeconfig) return refuse('KUBECONFIG, the path of a kubeconfig file');
    return { mode, kubeconfig, chosenBy };
  }
  if (mode === 'in-cluster') {
    if (!e.KUBERNETES_SERVICE_HOST)
      return refuse('KUBERNETES_SERVICE_HOST, which Kubernetes sets in a pod (is this running in one?)');
    if (!existsSync(tokenFile))
      return refuse(
        `the service account token ${tokenFile} (is automountServiceAccountToken off for the pod?)`,
      );
    return { mode, serviceAccountDir, chosenBy };
  }
  return { mode, chosenBy };
};

export const loadConfig = (
  env: Record<string, string | undefined> = process.env,
  { serviceAccountDir = SERVICE_ACCOUNT_DIR }: { serviceAccountDir?: string } = {},
): Config => {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.UNCLOUD_HEADERS_TIMEOUT_MS > e.UNCLOUD_REQUEST_TIMEOUT_MS) {
    throw new ConfigError(
      'Invalid configuration:\n  UNCLOUD_HEADERS_TIMEOUT_MS: must not be longer than UNCLOUD_REQUEST_TIMEOUT_MS',
    );
  }
  const base = e.UNCLOUD_START_DIR ?? e.INIT_CWD ?? process.cwd();
  const absolute = (path: string) => (isAbsolute(path) ? path : resolve(base, path));
  const dataDir = absolute(e.UNCLOUD_DATA_DIR);
  const kubeconfig = e.KUBECONFIG ? absolute(e.KUBECONFIG) : undefined;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databasePath: resolve(dataDir, 'uncloud.db'),
    syncIntervalMs: e.UNCLOUD_SYNC_INTERVAL_MS,
    usageIntervalMs: e.UNCLOUD_USAGE_INTERVAL_MS,
    userLimits: userLimitsOf(e),
    auditRetentionDays: e.UNCLOUD_AUDIT_RETENTION_DAYS,
    adminToken: e.UNCLOUD_ADMIN_TOKEN,
    webDir: e.UNCLOUD_WEB_DIR ? absolute(e.UNCLOUD_WEB_DIR) : defaultWebDir,
    kubeconfig,
    cluster: clusterOf(e, kubeconfig, serviceAccountDir),
    orphanMaxShare: e.UNCLOUD_ORPHAN_MAX_SHARE,
    leaseNamespace: e.UNCLOUD_LEASE_NAMESPACE,
    lbHealthChecks: e.UNCLOUD_LB_HEALTH_CHECKS,
    storageClass: e.UNCLOUD_STORAGE_CLASS,
    componentsMirror: e.UNCLOUD_COMPONENTS_MIRROR,
    componentsCatalogue: catalogueOf(
      e.UNCLOUD_COMPONENTS_CATALOGUE ? absolute(e.UNCLOUD_COMPONENTS_CATALOGUE) : undefined,
    ),
    ingressClass: e.UNCLOUD_INGRESS_CLASS,
    loadBalancerIngress: {
      certManagerIssuer: e.UNCLOUD_CERT_MANAGER_ISSUER,
      redirectAnnotations: e.UNCLOUD_INGRESS_REDIRECT_ANNOTATIONS,
    },
    reservedIpPool: e.UNCLOUD_RESERVED_IP_POOL,
    region: e.UNCLOUD_REGION,
    networkPolicy: e.UNCLOUD_NETWORK_POLICY,
    registry: {
      host: e.UNCLOUD_REGISTRY_HOST,
      apiUrl:
        e.UNCLOUD_REGISTRY_URL ??
        (e.UNCLOUD_REGISTRY_HOST ? `https://${e.UNCLOUD_REGISTRY_HOST}` : undefined),
      publicUrl: e.UNCLOUD_PUBLIC_URL?.replace(/\/+$/, ''),
    },
    logLevel: e.LOG_LEVEL,
    limits: limitsOf(e),
  };
};
