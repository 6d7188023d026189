import { componentsRepository, type ClusterCapabilities, type IntentStore } from '@uncloud/db';
import { type ComponentName, conflict } from '@uncloud/sdk';
import type { Services } from '@uncloud/sdk/contract';

const titles: Record<ComponentName, string> = {
  kubevirt: 'KubeVirt',
  cdi: 'CDI (Containerized Data Importer)',
  storage: 'a storage class',
  'metrics-server': 'metrics-server',
  prometheus: 'Prometheus',
  cnpg: 'CloudNativePG',
  registry: 'the registry',
  'object-storage': 'object storage',
  coredns: 'CoreDNS',
};

/**
 * The components a create needs that the cluster was seen without. Empty while the cluster was
 * never looked at (no refusal on a guess), and judged from the cluster itself (a CRD served, a
 * default storage class), so a cluster provisioned by other means passes (pure).
 */
export const missingFor = (
  needs: ComponentName[],
  caps: ClusterCapabilities | null,
  storageClass: string | undefined,
): ComponentName[] => {
  if (!caps) return [];
  return needs.filter((name) =>
    name === 'storage'
      ? storageClass
        ? !caps.storageClasses.includes(storageClass)
        : caps.defaultStorageClass === null
      : !caps.present.includes(name),
  );
};

const refuse = (what: string, missing: ComponentName[]) =>
  conflict(
    `${what} cannot run on this cluster yet: it needs ${missing.map((m) => titles[m]).join(' and ')}, which the cluster does not have; an administrator installs ${missing.length > 1 ? 'them' : 'it'} on the Setup page (components.install)`,
  );

/**
 * The services, with creates that need a missing cluster component refused with a message naming it:
 * droplets need KubeVirt and CDI, volumes a storage class, PostgreSQL databases CloudNativePG and a
 * storage class, other engines a storage class, buckets the object store.
 */
export const requireComponents = (
  services: Services,
  store: IntentStore,
  storageClass: string | undefined,
): Services => {
  const check = (what: string, needs: ComponentName[]) => {
    const missing = missingFor(needs, componentsRepository.capabilities(store.db), storageClass);
    if (missing.length > 0) throw refuse(what, missing);
  };
  return {
    ...services,
    droplets: {
      ...services.droplets,
      create: (scope, input) => {
        check('A droplet', ['kubevirt', 'cdi']);
        return services.droplets.create(scope, input);
      },
    },
    volumes: {
      ...services.volumes,
      create: (scope, input) => {
        check('A volume', ['storage']);
        return services.volumes.create(scope, input);
      },
    },
    buckets: {
      ...services.buckets,
      create: (scope, input) => {
        check('A bucket', ['object-storage']);
        return services.buckets.create(scope, input);
      },
    },
    databases: {
      ...services.databases,
      create: (scope, input) => {
        check(`A ${input.engine} database`, input.engine === 'postgres' ? ['cnpg', 'storage'] : ['storage']);
        return services.databases.create(scope, input);
      },
    },
  };
};
