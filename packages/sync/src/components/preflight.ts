import { type KubeGateway, type KubeObject, KubeError, k3sInfo, preflightChecks } from '@uncloud/kube';
import type { Preflight } from '@uncloud/sdk';

const listKind = async (gateway: KubeGateway, apiVersion: string, kind: string): Promise<KubeObject[]> => {
  const info = await gateway.discover(apiVersion, kind, { fresh: true });
  return info ? gateway.listAs(info) : [];
};

/**
 * The checks before an install, read from the cluster when an administrator asks (the Setup page):
 * nodes, storage classes, and whether KubeVirt runs and is set to emulation.
 */
export const runPreflight = async (gateway: KubeGateway): Promise<Preflight> => {
  const checkedAt = new Date().toISOString();
  try {
    const [nodes, storageClasses, kubevirts] = await Promise.all([
      listKind(gateway, 'v1', 'Node'),
      listKind(gateway, 'storage.k8s.io/v1', 'StorageClass'),
      listKind(gateway, 'kubevirt.io/v1', 'KubeVirt'),
    ]);
    const kubevirtInstalled = Boolean(
      await gateway.discover('kubevirt.io/v1', 'VirtualMachine', { fresh: true }),
    );
    const emulation = kubevirts.some(
      (kv) =>
        (kv.spec as { configuration?: { developerConfiguration?: { useEmulation?: boolean } } } | undefined)
          ?.configuration?.developerConfiguration?.useEmulation === true,
    );
    return {
      checks: preflightChecks({ nodes, storageClasses, kubevirtInstalled, emulation }),
      k3s: k3sInfo(nodes),
      checkedAt,
    };
  } catch (error) {
    const message =
      error instanceof KubeError && error.kind === 'Forbidden'
        ? `${error.message}: the preflight reads nodes and storage classes, which the uncloud-provisioner ClusterRole allows (docs/deploy.md)`
        : `the cluster could not be read: ${(error as Error).message}`;
    return { checks: [{ id: 'cluster', status: 'failed', message }], k3s: k3sInfo([]), checkedAt };
  }
};
