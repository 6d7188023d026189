import type { ComponentName, StorageVariant } from '@uncloud/sdk';
import type { KubeObject } from '../manifests/meta.ts';
import { upstreamChecksums } from './checksums.ts';
import { type GeneratedContext, generatedObjects } from './generated.ts';

/** A manifest file pinned by its address and the SHA-256 of its bytes. */
export interface ComponentSource {
  url: string;
  /**
   * Lower-case hex SHA-256 of the file. Null in the built-in catalogue where this release could not
   * verify the file (a release asset no module zip holds, or a repository the module proxy would not
   * serve): such a source is refused until a catalogue file (`UNCLOUD_COMPONENTS_CATALOGUE`) records
   * the checksum the site checked (docs/provisioner.md).
   */
  sha256: string | null;
}

/** An object whose presence, and whose own conditions, say something about a component. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  /** For a CRD: the kind it serves, which discovery answers for far cheaper than reading the CRD. */
  serves?: { apiVersion: string; kind: string };
}

export interface CatalogueVersion {
  version: string;
  /** Only for `storage`. */
  variant?: StorageVariant;
  /** Fetched in order; their objects are applied after any the catalogue generates for them. */
  sources: ComponentSource[];
  /** Objects that must exist and be healthy besides those applied (what an operator makes). */
  expects?: ObjectRef[];
}

export interface CatalogueEntry {
  name: ComponentName;
  title: string;
  description: string;
  required: boolean;
  dependsOn: ComponentName[];
  /** Any of these present in the cluster means the component is there (installed by anyone). */
  detect: ObjectRef[];
  /** Newest first. */
  versions: CatalogueVersion[];
  /** Nothing to install: the component is checked only (CoreDNS, which k3s ships). */
  checkOnly?: boolean;
}

export type Catalogue = Record<ComponentName, CatalogueEntry>;

const crd = (name: string, apiVersion?: string, kind?: string): ObjectRef => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  name,
  ...(apiVersion && kind ? { serves: { apiVersion, kind } } : {}),
});
const deployment = (namespace: string, name: string): ObjectRef => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  namespace,
  name,
});
const storageClass = (name: string): ObjectRef => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  name,
});

const gh = (repo: string, tag: string, file: string) =>
  `https://github.com/${repo}/releases/download/${tag}/${file}`;
const raw = (repo: string, ref: string, path: string) =>
  `https://raw.githubusercontent.com/${repo}/${ref}/${path}`;
/**
 * A source with the checksum `scripts/component-checksums.ts` recorded for it, or null where it could
 * not verify the file (docs/provisioner.md says which and why).
 */
const pinned = (url: string): ComponentSource => ({ url, sha256: upstreamChecksums[url] ?? null });

/** The namespace of what Uncloud generates itself (registry, object storage, Prometheus' config). */
export const SYSTEM_NAMESPACE = 'uncloud-system';

/**
 * The components and the versions this release pins. Upstream release manifests by version; their
 * checksums are recorded by a site in a catalogue file, which replaces an entry's versions.
 */
export const builtinCatalogue: Catalogue = {
  kubevirt: {
    name: 'kubevirt',
    title: 'KubeVirt',
    description: 'Runs droplets as virtual machines (operator and its KubeVirt resource).',
    required: true,
    dependsOn: [],
    detect: [crd('virtualmachines.kubevirt.io', 'kubevirt.io/v1', 'VirtualMachine')],
    versions: ['v1.7.0', 'v1.6.3'].map((v) => ({
      version: v,
      sources: [
        pinned(gh('kubevirt/kubevirt', v, 'kubevirt-operator.yaml')),
        pinned(gh('kubevirt/kubevirt', v, 'kubevirt-cr.yaml')),
      ],
      expects: [
        crd('virtualmachines.kubevirt.io', 'kubevirt.io/v1', 'VirtualMachine'),
        crd('virtualmachineinstances.kubevirt.io', 'kubevirt.io/v1', 'VirtualMachineInstance'),
      ],
    })),
  },
  cdi: {
    name: 'cdi',
    title: 'Containerized Data Importer',
    description: "Imports disk images into volumes for droplets' disks (operator and its CDI resource).",
    required: true,
    dependsOn: ['kubevirt'],
    detect: [crd('datavolumes.cdi.kubevirt.io', 'cdi.kubevirt.io/v1beta1', 'DataVolume')],
    versions: ['v1.61.0'].map((v) => ({
      version: v,
      sources: [
        pinned(gh('kubevirt/containerized-data-importer', v, 'cdi-operator.yaml')),
        pinned(gh('kubevirt/containerized-data-importer', v, 'cdi-cr.yaml')),
      ],
      expects: [crd('datavolumes.cdi.kubevirt.io', 'cdi.kubevirt.io/v1beta1', 'DataVolume')],
    })),
  },
  storage: {
    name: 'storage',
    title: 'Storage class',
    description:
      'The default storage class for volumes and databases: Longhorn, Rook-Ceph, or k3s local-path.',
    required: true,
    dependsOn: [],
    detect: [],
    versions: [
      {
        version: 'v1.8.1',
        variant: 'longhorn',
        sources: [pinned(raw('longhorn/longhorn', 'v1.8.1', 'deploy/longhorn.yaml'))],
        expects: [storageClass('longhorn')],
      },
      {
        version: 'v1.16.4',
        variant: 'rook-ceph',
        sources: [
          'crds.yaml',
          'common.yaml',
          'operator.yaml',
          'cluster.yaml',
          'csi/rbd/storageclass.yaml',
        ].map((file) => pinned(raw('rook/rook', 'v1.16.4', `deploy/examples/${file}`))),
        expects: [storageClass('rook-ceph-block')],
      },
      // k3s ships it: nothing to fetch, the class is checked and marked default.
      { version: 'k3s', variant: 'local-path', sources: [], expects: [storageClass('local-path')] },
    ],
  },
  'metrics-server': {
    name: 'metrics-server',
    title: 'metrics-server',
    description: "CPU and memory of pods and nodes: the dashboard's usage charts.",
    required: false,
    dependsOn: [],
    detect: [deployment('kube-system', 'metrics-server')],
    versions: ['v0.7.2'].map((v) => ({
      version: v,
      sources: [pinned(gh('kubernetes-sigs/metrics-server', v, 'components.yaml'))],
    })),
  },
  prometheus: {
    name: 'prometheus',
    title: 'Prometheus',
    description: "Prometheus (through prometheus-operator), scraping Uncloud's /metrics.",
    required: false,
    dependsOn: [],
    detect: [crd('prometheuses.monitoring.coreos.com', 'monitoring.coreos.com/v1', 'Prometheus')],
    versions: ['v0.85.0', 'v0.80.1'].map((v) => ({
      version: v,
      // The bundle is committed at each tag, so the tag's file is the release's.
      sources: [pinned(raw('prometheus-operator/prometheus-operator', v, 'bundle.yaml'))],
    })),
  },
  cnpg: {
    name: 'cnpg',
    title: 'CloudNativePG',
    description: 'Runs PostgreSQL databases.',
    required: true,
    dependsOn: ['storage'],
    detect: [crd('clusters.postgresql.cnpg.io', 'postgresql.cnpg.io/v1', 'Cluster')],
    versions: ['1.28.0', '1.27.1'].map((version) => ({
      version,
      // The release manifest is committed under releases/ at its own tag (not a moving branch).
      sources: [pinned(raw('cloudnative-pg/cloudnative-pg', `v${version}`, `releases/cnpg-${version}.yaml`))],
      expects: [crd('clusters.postgresql.cnpg.io', 'postgresql.cnpg.io/v1', 'Cluster')],
    })),
  },
  registry: {
    name: 'registry',
    title: 'Container registry',
    description:
      "A private registry (CNCF Distribution) for app images, in the uncloud-system namespace, with Uncloud as its token server.",
    required: false,
    dependsOn: ['storage'],
    detect: [deployment(SYSTEM_NAMESPACE, 'registry')],
    // Distribution 3: it reads the token server's public key from a JWK set (no certificate needed).
    versions: [{ version: '3.0.0', sources: [] }],
  },
  'object-storage': {
    name: 'object-storage',
    title: 'Object storage',
    description:
      "S3-compatible buckets: Rook-Ceph's object gateway (RGW) and the bucket storage class that projects' buckets claim.",
    required: false,
    dependsOn: ['storage'],
    detect: [storageClass('uncloud-buckets')],
    versions: [
      {
        version: 'v1.16.4',
        // The operator and a Ceph cluster (shared with the rook-ceph storage variant when both are in).
        sources: ['crds.yaml', 'common.yaml', 'operator.yaml', 'cluster.yaml'].map((file) =>
          pinned(raw('rook/rook', 'v1.16.4', `deploy/examples/${file}`)),
        ),
        expects: [storageClass('uncloud-buckets')],
      },
    ],
  },
  coredns: {
    name: 'coredns',
    title: 'CoreDNS',
    description: 'Cluster DNS, shipped with k3s and most distributions: checked, never installed.',
    required: false,
    dependsOn: [],
    detect: [deployment('kube-system', 'coredns')],
    checkOnly: true,
    versions: [{ version: 'cluster', sources: [], expects: [deployment('kube-system', 'coredns')] }],
  },
};

/** The order to install a set of components in: each after what it depends on. */
export const installOrder = (catalogue: Catalogue, names: ComponentName[]): ComponentName[] => {
  const out: ComponentName[] = [];
  const visit = (name: ComponentName, path: ComponentName[]) => {
    if (out.includes(name)) return;
    if (path.includes(name))
      throw new Error(`components depend on each other in a circle: ${[...path, name].join(' → ')}`);
    for (const dep of catalogue[name].dependsOn) visit(dep, [...path, name]);
    out.push(name);
  };
  for (const name of names) visit(name, []);
  return out.filter((name) => names.includes(name));
};

/** A version of a component (and variant, for storage); undefined when the catalogue has none. */
export const findVersion = (
  entry: CatalogueEntry,
  version: string | undefined,
  variant: StorageVariant | undefined,
): CatalogueVersion | undefined =>
  entry.versions.find(
    (v) =>
      (version === undefined || v.version === version) && (variant === undefined || v.variant === variant),
  );

/** Every object a version installs that Uncloud writes itself (besides what its sources hold). */
export const generatedFor = (
  name: ComponentName,
  version: CatalogueVersion,
  context: GeneratedContext = {},
): KubeObject[] => generatedObjects(name, version.version, version.variant, context);
