import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectCluster } from '../src/cluster.ts';
import { ConfigError, SERVICE_ACCOUNT_DIR } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';

const logger = createLogger('silent', false);

describe('connecting to the chosen cluster', () => {
  it('refuses in-cluster mode without the service account, naming the missing file', async () => {
    // Not in a pod here: the service account's files are absent.
    expect(existsSync(`${SERVICE_ACCOUNT_DIR}/token`)).toBe(false);
    const error = await connectCluster(
      { mode: 'in-cluster', kubeconfig: undefined, dataDir: '/nonexistent' },
      logger,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /^UNCLOUD_CLUSTER=in-cluster: could not load the pod's service account credentials: \/var\/run\/secrets\/kubernetes.io\/serviceaccount\/token is missing; choose with UNCLOUD_CLUSTER=embedded/,
    );
  });

  it('refuses kubeconfig mode without a kubeconfig', async () => {
    await expect(
      connectCluster({ mode: 'kubeconfig', kubeconfig: undefined, dataDir: '/nonexistent' }, logger),
    ).rejects.toThrowError(
      /UNCLOUD_CLUSTER=kubeconfig: could not load the kubeconfig \(none given\): KUBECONFIG is not set/,
    );
  });

  it('gives the embedded cluster room for a fleet: nodes far larger than the biggest droplet', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'uncloud-cluster-'));
    const cluster = await connectCluster({ mode: 'embedded', kubeconfig: undefined, dataDir: dir }, logger);
    try {
      const nodes = cluster.sim?.store.list('/nodes') ?? [];
      expect(nodes).toHaveLength(8);
      for (const node of nodes)
        expect(node.status?.allocatable).toMatchObject({
          cpu: '64',
          memory: '256Gi',
          pods: '250',
        });
    } finally {
      await cluster.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
