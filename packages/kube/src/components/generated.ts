import type { ComponentName, StorageVariant } from '@uncloud/sdk';
import type { KubeObject } from '../manifests/meta.ts';

// Not imported from catalogue.ts, which imports this file.
const NAMESPACE = 'uncloud-system';

const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } };

const claim = (name: string, size: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: NAMESPACE },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } },
});

/** A one-replica server with its data on a claim, and a Service in front of it. */
const server = (
  name: string,
  image: string,
  port: number,
  extra: { args?: string[]; env?: unknown[]; mountPath: string; probePath: string },
): KubeObject[] => {
  const labels = { 'app.kubernetes.io/name': name };
  return [
    claim(`${name}-data`, '20Gi'),
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: NAMESPACE, labels },
      spec: {
        replicas: 1,
        // One claim, one writer: the old pod goes before the new one starts.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            securityContext: { runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000 },
            containers: [
              {
                name,
                image,
                ...(extra.args ? { args: extra.args } : {}),
                ...(extra.env ? { env: extra.env } : {}),
                ports: [{ name: 'http', containerPort: port }],
                readinessProbe: { httpGet: { path: extra.probePath, port } },
                resources: { requests: { cpu: '100m', memory: '256Mi' } },
                volumeMounts: [{ name: 'data', mountPath: extra.mountPath }],
              },
            ],
            volumes: [{ name: 'data', persistentVolumeClaim: { claimName: `${name}-data` } }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: NAMESPACE, labels },
      spec: { selector: labels, ports: [{ name: 'http', port, targetPort: port }] },
    },
  ];
};

// The names buckets are made with (packages/kube/src/manifests/bucket.ts): the store and its class.
const OBJECT_STORE = 'uncloud-objects';
const ROOK_NAMESPACE = 'rook-ceph';

/** Rook's object gateway for buckets, and the class an ObjectBucketClaim names to get one there. */
const objectStore: KubeObject[] = [
  {
    apiVersion: 'ceph.rook.io/v1',
    kind: 'CephObjectStore',
    metadata: { name: OBJECT_STORE, namespace: ROOK_NAMESPACE },
    spec: {
      // One copy: right for one node; raise both sizes with the nodes (docs/provisioner.md).
      metadataPool: { replicated: { size: 1 } },
      dataPool: { replicated: { size: 1 } },
      preservePoolsOnDelete: true,
      gateway: { port: 80, instances: 1 },
      // Projects' extra access keys are CephObjectStoreUsers in their own namespaces.
      allowUsersInNamespaces: ['*'],
    },
  },
  {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'uncloud-buckets' },
    provisioner: `${ROOK_NAMESPACE}.ceph.rook.io/bucket`,
    reclaimPolicy: 'Delete',
    parameters: { objectStoreName: OBJECT_STORE, objectStoreNamespace: ROOK_NAMESPACE },
  },
];

/** Prometheus' scrape of Uncloud itself, where deploy/ runs it (Service `uncloud` in `uncloud`). */
const scrapeConfig = `- job_name: uncloud
  metrics_path: /metrics
  static_configs:
    - targets: ['uncloud.uncloud.svc:80']
`;

/**
 * What Uncloud writes itself for a component (pure): the registry, which has no upstream manifest
 * worth pinning, the object store and bucket class Rook is to run, and the Prometheus that
 * prometheus-operator is to run.
 */
export const generatedObjects = (
  name: ComponentName,
  version: string,
  _variant: StorageVariant | undefined,
): KubeObject[] => {
  switch (name) {
    case 'registry':
      return [
        namespace,
        ...server('registry', `docker.io/library/registry:${version}`, 5000, {
          mountPath: '/var/lib/registry',
          probePath: '/',
        }),
      ];
    case 'object-storage':
      return objectStore;
    case 'prometheus':
      return [
        namespace,
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'prometheus', namespace: NAMESPACE } },
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'prometheus-scrape-uncloud', namespace: NAMESPACE },
          stringData: { 'scrape.yaml': scrapeConfig },
        },
        {
          apiVersion: 'monitoring.coreos.com/v1',
          kind: 'Prometheus',
          metadata: { name: 'uncloud', namespace: NAMESPACE },
          spec: {
            replicas: 1,
            serviceAccountName: 'prometheus',
            retention: '15d',
            additionalScrapeConfigs: { name: 'prometheus-scrape-uncloud', key: 'scrape.yaml' },
            resources: { requests: { cpu: '100m', memory: '400Mi' } },
          },
        },
      ];
    default:
      return [];
  }
};
