import { createHash } from 'node:crypto';
import type { ComponentName, StorageVariant } from '@uncloud/sdk';
import type { KubeObject } from '../manifests/meta.ts';

/**
 * How the registry checks its clients' tokens: Uncloud is its token server (Docker registry token
 * authentication). The realm is where clients get tokens; issuer and service are the `iss` and
 * `aud` the registry accepts; the JWK set holds the public key tokens are signed with.
 */
export interface RegistryTokenAuth {
  realm: string;
  issuer: string;
  service: string;
  jwks: { keys: object[] };
}

/** What the generated objects depend on besides the component's version (Uncloud's own settings). */
export interface GeneratedContext {
  registryAuth?: RegistryTokenAuth;
}

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
  extra: {
    args?: string[];
    env?: unknown[];
    mountPath: string;
    probePath: string;
    /** A ConfigMap mounted at this path; its content's hash rolls the pod when it changes. */
    config?: { name: string; mountPath: string; hash: string };
  },
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
          metadata: {
            labels,
            ...(extra.config ? { annotations: { 'uncloud.dev/config-hash': extra.config.hash } } : {}),
          },
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
                volumeMounts: [
                  { name: 'data', mountPath: extra.mountPath },
                  ...(extra.config ? [{ name: 'config', mountPath: extra.config.mountPath, readOnly: true }] : []),
                ],
              },
            ],
            volumes: [
              { name: 'data', persistentVolumeClaim: { claimName: `${name}-data` } },
              ...(extra.config ? [{ name: 'config', configMap: { name: extra.config.name } }] : []),
            ],
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

/** Where the distribution v3 image reads its configuration (`registry serve <this>/config.yml`). */
const REGISTRY_CONFIG_DIR = '/etc/distribution';

/**
 * The registry's configuration: filesystem storage on its claim, deletes allowed (a project's
 * owner may delete images), and token authentication against Uncloud. JSON is YAML, which the
 * registry reads.
 */
export const registryConfig = (auth: RegistryTokenAuth) => ({
  version: 0.1,
  log: { level: 'info' },
  storage: { filesystem: { rootdirectory: '/var/lib/registry' }, delete: { enabled: true } },
  http: { addr: ':5000', headers: { 'X-Content-Type-Options': ['nosniff'] } },
  auth: {
    token: {
      realm: auth.realm,
      service: auth.service,
      issuer: auth.issuer,
      jwks: `${REGISTRY_CONFIG_DIR}/jwks.json`,
    },
  },
});

const registryObjects = (version: string, auth: RegistryTokenAuth | undefined): KubeObject[] => {
  if (!auth) throw new Error("the registry needs Uncloud's token server settings (realm, issuer, key)");
  const data = {
    'config.yml': `${JSON.stringify(registryConfig(auth), null, 2)}\n`,
    'jwks.json': `${JSON.stringify(auth.jwks)}\n`,
  };
  const hash = createHash('sha256').update(JSON.stringify(data)).digest('hex').slice(0, 16);
  return [
    namespace,
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'registry-config', namespace: NAMESPACE }, data },
    ...server('registry', `docker.io/library/registry:${version}`, 5000, {
      mountPath: '/var/lib/registry',
      probePath: '/',
      config: { name: 'registry-config', mountPath: REGISTRY_CONFIG_DIR, hash },
    }),
  ];
};

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
  context: GeneratedContext = {},
): KubeObject[] => {
  switch (name) {
    case 'registry':
      return registryObjects(version, context.registryAuth);
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
