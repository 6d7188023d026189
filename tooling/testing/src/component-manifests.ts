import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Small stand-ins for the provisioner's upstream release manifests (the shape of the real files:
 * the operators' CRDs, namespaces, RBAC and Deployments, then their resources), served from a local
 * HTTP server on 127.0.0.1 — tests never reach the internet. The simulated cluster plays the
 * operators (packages/kube-sim/src/controllers/operators.ts).
 */

const crd = (
  group: string,
  kind: string,
  plural: string,
  scope: 'Namespaced' | 'Cluster',
  version = 'v1',
) => `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.${group}
spec:
  group: ${group}
  names: { kind: ${kind}, plural: ${plural}, singular: ${plural.replace(/s$/, '')}, listKind: ${kind}List }
  scope: ${scope}
  versions:
    - name: ${version}
      served: true
      storage: true
      subresources: { status: {} }
      schema:
        openAPIV3Schema:
          type: object
          x-kubernetes-preserve-unknown-fields: true
`;

const operator = (namespace: string, name: string, image: string) => `
apiVersion: v1
kind: Namespace
metadata: { name: ${namespace} }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: ${name}, namespace: ${namespace} }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: ${name} }
rules:
  - { apiGroups: ['*'], resources: ['*'], verbs: ['*'] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: ${name} }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${name} }
subjects: [{ kind: ServiceAccount, name: ${name}, namespace: ${namespace} }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  replicas: 1
  selector: { matchLabels: { name: ${name} } }
  template:
    metadata: { labels: { name: ${name} } }
    spec:
      serviceAccountName: ${name}
      containers:
        - name: ${name}
          image: ${image}
          resources: { requests: { cpu: 10m, memory: 64Mi } }
`;

/** The files, by path on the server; each version of a component is its own set. */
export const componentFiles = (): Record<string, string> => ({
  '/kubevirt/v1.6.3/kubevirt-operator.yaml': [
    crd('kubevirt.io', 'KubeVirt', 'kubevirts', 'Namespaced'),
    operator('kubevirt', 'virt-operator', 'quay.io/kubevirt/virt-operator:v1.6.3'),
    // Only the older release has it: an upgrade must remove it.
    'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: kubevirt-legacy, namespace: kubevirt }\ndata: { a: "1" }\n',
  ].join('\n---\n'),
  '/kubevirt/v1.7.0/kubevirt-operator.yaml': [
    crd('kubevirt.io', 'KubeVirt', 'kubevirts', 'Namespaced'),
    operator('kubevirt', 'virt-operator', 'quay.io/kubevirt/virt-operator:v1.7.0'),
  ].join('\n---\n'),
  ...Object.fromEntries(
    ['v1.6.3', 'v1.7.0'].map((v) => [
      `/kubevirt/${v}/kubevirt-cr.yaml`,
      `apiVersion: kubevirt.io/v1
kind: KubeVirt
metadata: { name: kubevirt, namespace: kubevirt }
spec:
  configuration:
    developerConfiguration: { useEmulation: true }
`,
    ]),
  ),
  '/cdi/v1.61.0/cdi-operator.yaml': [
    crd('cdi.kubevirt.io', 'CDI', 'cdis', 'Cluster', 'v1beta1'),
    operator('cdi', 'cdi-operator', 'quay.io/kubevirt/cdi-operator:v1.61.0'),
  ].join('\n---\n'),
  '/cdi/v1.61.0/cdi-cr.yaml':
    'apiVersion: cdi.kubevirt.io/v1beta1\nkind: CDI\nmetadata: { name: cdi }\nspec: {}\n',
  '/longhorn/v1.8.1/longhorn.yaml': [
    operator('longhorn-system', 'longhorn-driver-deployer', 'longhornio/longhorn-manager:v1.8.1'),
    `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: longhorn
  annotations: { storageclass.kubernetes.io/is-default-class: "true" }
provisioner: driver.longhorn.io
allowVolumeExpansion: true
reclaimPolicy: Delete
volumeBindingMode: Immediate
`,
  ].join('\n---\n'),
  '/cnpg/1.28.0/cnpg-1.28.0.yaml': [
    crd('postgresql.cnpg.io', 'Cluster', 'clusters', 'Namespaced'),
    operator('cnpg-system', 'cnpg-controller-manager', 'ghcr.io/cloudnative-pg/cloudnative-pg:1.28.0'),
  ].join('\n---\n'),
  '/metrics-server/v0.7.2/components.yaml': operator(
    'kube-system',
    'metrics-server',
    'registry.k8s.io/metrics-server/metrics-server:v0.7.2',
  ).replace(/^apiVersion: v1\nkind: Namespace\nmetadata: \{ name: kube-system \}\n---\n/m, ''),
});

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export interface ManifestServer {
  url: string;
  /** A catalogue file (UNCLOUD_COMPONENTS_CATALOGUE's format) pinning the served files by checksum. */
  catalogue: { components: Record<string, { versions: unknown[] }> };
  /** Serves other bytes at `path` from now on (the catalogue keeps the old checksum). */
  tamper(path: string, text: string): void;
  /** Paths requested so far, in order. */
  requested: string[];
  close(): Promise<void>;
}

/** Starts the manifest server on 127.0.0.1, port 0, and the catalogue that pins its files. */
export const startManifestServer = async (): Promise<ManifestServer> => {
  const files = componentFiles();
  const requested: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requested.push(path);
    const body = files[path];
    if (body === undefined) res.writeHead(404).end('not found');
    else res.writeHead(200, { 'content-type': 'application/yaml' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pin = (path: string) => ({ url: `${url}${path}`, sha256: sha256(files[path]!) });
  const catalogue = {
    components: {
      kubevirt: {
        versions: ['v1.7.0', 'v1.6.3'].map((version) => ({
          version,
          sources: [
            pin(`/kubevirt/${version}/kubevirt-operator.yaml`),
            pin(`/kubevirt/${version}/kubevirt-cr.yaml`),
          ],
          expects: [
            {
              apiVersion: 'apiextensions.k8s.io/v1',
              kind: 'CustomResourceDefinition',
              name: 'virtualmachines.kubevirt.io',
              serves: { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine' },
            },
          ],
        })),
      },
      cdi: {
        versions: [
          {
            version: 'v1.61.0',
            sources: [pin('/cdi/v1.61.0/cdi-operator.yaml'), pin('/cdi/v1.61.0/cdi-cr.yaml')],
            expects: [
              {
                apiVersion: 'apiextensions.k8s.io/v1',
                kind: 'CustomResourceDefinition',
                name: 'datavolumes.cdi.kubevirt.io',
                serves: { apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'DataVolume' },
              },
            ],
          },
        ],
      },
      storage: {
        versions: [
          {
            version: 'v1.8.1',
            variant: 'longhorn',
            sources: [pin('/longhorn/v1.8.1/longhorn.yaml')],
            expects: [{ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', name: 'longhorn' }],
          },
          {
            version: 'k3s',
            variant: 'local-path',
            sources: [],
            expects: [{ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', name: 'local-path' }],
          },
        ],
      },
      cnpg: { versions: [{ version: '1.28.0', sources: [pin('/cnpg/1.28.0/cnpg-1.28.0.yaml')] }] },
      'metrics-server': {
        versions: [{ version: 'v0.7.2', sources: [pin('/metrics-server/v0.7.2/components.yaml')] }],
      },
    },
  };
  return {
    url,
    catalogue,
    requested,
    tamper: (path, text) => {
      files[path] = text;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
