import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';

describe('configuration', () => {
  it('has defaults that need no environment at all', () => {
    const config = loadConfig({ INIT_CWD: '/srv/uncloud' });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      dataDir: '/srv/uncloud/data',
      databasePath: '/srv/uncloud/data/uncloud.db',
      syncIntervalMs: 15000,
      usageIntervalMs: 15000,
      adminToken: undefined,
      kubeconfig: undefined,
    });
  });

  it('resolves relative paths against the directory the root script was started in', () => {
    // `npm start` at the root: turbo runs the API's own script, where npm resets INIT_CWD.
    const config = loadConfig({ INIT_CWD: '/srv/uncloud/apps/api', UNCLOUD_START_DIR: '/srv/uncloud' });
    expect(config.dataDir).toBe('/srv/uncloud/data');
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      PORT: '9000',
      HOST: '0.0.0.0',
      UNCLOUD_DATA_DIR: '/var/lib/uncloud',
      UNCLOUD_SYNC_INTERVAL_MS: '5000',
      UNCLOUD_USAGE_INTERVAL_MS: '30000',
      UNCLOUD_ADMIN_TOKEN: 'a-long-enough-admin-token',
      KUBECONFIG: '/etc/k3s.yaml',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      port: 9000,
      host: '0.0.0.0',
      databasePath: '/var/lib/uncloud/uncloud.db',
      syncIntervalMs: 5000,
      usageIntervalMs: 30000,
      adminToken: 'a-long-enough-admin-token',
      kubeconfig: '/etc/k3s.yaml',
      logLevel: 'debug',
    });
  });

  it('reports every wrong variable by name, at once', () => {
    expect(() =>
      loadConfig({ PORT: 'eighty', UNCLOUD_SYNC_INTERVAL_MS: '10', UNCLOUD_ADMIN_TOKEN: 'short' }),
    ).toThrowError(
      /Invalid configuration:\n {2}PORT: .+\n {2}UNCLOUD_SYNC_INTERVAL_MS: must be at least 1000 ms\n {2}UNCLOUD_ADMIN_TOKEN: must be at least 16 characters/,
    );
  });
});
