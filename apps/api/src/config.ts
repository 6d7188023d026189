import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

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
  UNCLOUD_ADMIN_TOKEN: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
  UNCLOUD_WEB_DIR: z.string().min(1).optional(),
  KUBECONFIG: z.string().min(1).optional(),
  UNCLOUD_STORAGE_CLASS: z.string().min(1).optional(),
  UNCLOUD_INGRESS_CLASS: z.string().min(1).optional(),
  UNCLOUD_NETWORK_POLICY: z.enum(['cilium', 'kubernetes']).default('cilium'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Relative paths resolve against the directory the user typed the command in. npm sets INIT_CWD
  // to it, but a nested `npm run` (turbo starting the workspace's script) resets it to the
  // workspace, so the root scripts hand it down as UNCLOUD_START_DIR.
  UNCLOUD_START_DIR: z.string().min(1).optional(),
  INIT_CWD: z.string().optional(),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databasePath: string;
  syncIntervalMs: number;
  /** Period of CPU and memory sampling for the usage charts. */
  usageIntervalMs: number;
  adminToken: string | undefined;
  webDir: string;
  kubeconfig: string | undefined;
  storageClass: string | undefined;
  ingressClass: string | undefined;
  networkPolicy: 'cilium' | 'kubernetes';
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
}

export class ConfigError extends Error {}

const defaultWebDir = new URL('../../web/dist', import.meta.url).pathname;

export const loadConfig = (env: Record<string, string | undefined> = process.env): Config => {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const base = e.UNCLOUD_START_DIR ?? e.INIT_CWD ?? process.cwd();
  const absolute = (path: string) => (isAbsolute(path) ? path : resolve(base, path));
  const dataDir = absolute(e.UNCLOUD_DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databasePath: resolve(dataDir, 'uncloud.db'),
    syncIntervalMs: e.UNCLOUD_SYNC_INTERVAL_MS,
    usageIntervalMs: e.UNCLOUD_USAGE_INTERVAL_MS,
    adminToken: e.UNCLOUD_ADMIN_TOKEN,
    webDir: e.UNCLOUD_WEB_DIR ? absolute(e.UNCLOUD_WEB_DIR) : defaultWebDir,
    kubeconfig: e.KUBECONFIG ? absolute(e.KUBECONFIG) : undefined,
    storageClass: e.UNCLOUD_STORAGE_CLASS,
    ingressClass: e.UNCLOUD_INGRESS_CLASS,
    networkPolicy: e.UNCLOUD_NETWORK_POLICY,
    logLevel: e.LOG_LEVEL,
  };
};
