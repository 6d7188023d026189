import { componentsRepository, type IntentStore } from '@uncloud/db';
import { type Catalogue, type KubeGateway, defaultStorageClass } from '@uncloud/kube';
import type { ComponentName } from '@uncloud/sdk';

/**
 * Looks at what the cluster holds that creates depend on (served kinds, Deployments, the default
 * storage class) and records it, so that the API can refuse a droplet on a cluster without KubeVirt
 * without asking Kubernetes. Presence is judged from the cluster, not from the components table: a
 * cluster provisioned by other means counts as provisioned.
 */
export const observeCapabilities = async (store: IntentStore, gateway: KubeGateway, catalogue: Catalogue) => {
  const classInfo = await gateway.discover('storage.k8s.io/v1', 'StorageClass');
  const classes = classInfo ? await gateway.listAs(classInfo) : [];
  const defaultClass = defaultStorageClass(classes);
  const crds: string[] = [];
  const present: ComponentName[] = [];
  for (const entry of Object.values(catalogue)) {
    let found = entry.name === 'storage' && defaultClass !== null;
    for (const ref of entry.detect) {
      if (ref.serves) {
        if (await gateway.discover(ref.serves.apiVersion, ref.serves.kind, { fresh: true })) {
          crds.push(ref.name);
          found = true;
        }
        continue;
      }
      const info = await gateway.discover(ref.apiVersion, ref.kind);
      if (info && (await gateway.getAs(info, info.namespaced ? ref.namespace : undefined, ref.name)))
        found = true;
    }
    if (found) present.push(entry.name);
  }
  const capabilities = {
    observedAt: new Date().toISOString(),
    crds,
    storageClasses: classes.map((c) => c.metadata.name),
    defaultStorageClass: defaultClass,
    present,
  };
  componentsRepository.recordCapabilities(store.db, capabilities);
  return capabilities;
};
