import { existsSync } from 'node:fs';
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
});
