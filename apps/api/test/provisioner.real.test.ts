import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import { type CatalogueFile, createKubeGateway, type KubeGateway, loadKubeConfig } from '@uncloud/kube';
import { realClusterKubeconfig } from '@uncloud/kube-real/testing';
import { type ManifestServer, sha256, startManifestServer, waitFor } from '@uncloud/testing';

// Real tier only: a component's manifest — a CRD and one of its resources, a namespace, RBAC (which
// the simulator does not serve) and an operator Deployment — applies cleanly to a real API server
// under its own ordering (the resource waits until the CRD is served), the operator's pod runs on a
// KWOK node, health follows the objects' own status, and an uninstall removes it all. A test group
// of its own, so that the plane's real CRDs (KubeVirt, CloudNativePG) are never touched.

const run = promisify(execFile);
const NAMESPACE = 'uncloud-provisioner-test';
const GROUP = 'provisioner-test.uncloud.dev';
const manifest = `
apiVersion: ${GROUP}/v1
kind: Widget
metadata: { name: main, namespace: ${NAMESPACE} }
spec: { size: 1 }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: widget-operator, namespace: ${NAMESPACE} }
spec:
  replicas: 1
  selector: { matchLabels: { name: widget-operator } }
  template:
    metadata: { labels: { name: widget-operator } }
    spec:
      serviceAccountName: widget-operator
      containers: [{ name: operator, image: example.org/widget-operator:1.0.0 }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: widget-operator }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: widget-operator }
subjects: [{ kind: ServiceAccount, name: widget-operator, namespace: ${NAMESPACE} }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: widget-operator }
rules: [{ apiGroups: ['${GROUP}'], resources: [widgets, widgets/status], verbs: [get, list, watch, update] }]
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: widget-operator, namespace: ${NAMESPACE} }
---
apiVersion: v1
kind: Namespace
metadata: { name: ${NAMESPACE} }
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.${GROUP} }
spec:
  group: ${GROUP}
  names: { kind: Widget, plural: widgets, singular: widget, listKind: WidgetList }
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      subresources: { status: {} }
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: { type: object, properties: { size: { type: integer } } }
            status: { type: object, properties: { phase: { type: string } } }
`;

let manifests: ManifestServer;
let stack: Stack;
let admin: KubeGateway;

beforeAll(async () => {
  const kubeconfig = realClusterKubeconfig()!;
  manifests = await startManifestServer();
  manifests.tamper('/real/widgets.yaml', manifest);
  const catalogue: CatalogueFile = {
    components: {
      // Any component name will do for the catalogue file; this one stands for an operator.
      'metrics-server': {
        versions: [
          {
            version: 'v1.0.0',
            sources: [{ url: `${manifests.url}/real/widgets.yaml`, sha256: sha256(manifest) }],
          },
        ],
      },
    },
  };
  stack = await startStack({ kubeconfig, componentsCatalogue: catalogue });
  admin = createKubeGateway(loadKubeConfig({ kubeconfigPath: kubeconfig }));
}, 60_000);

afterAll(async () => {
  await stack?.close();
  await manifests?.close();
  admin?.close();
});

const component = () => stack.client.components.get.query({ name: 'metrics-server' });

describe('the provisioner against a real API server', () => {
  it('applies a manifest in order, reads health from the objects, and uninstalls it', async () => {
    await stack.client.components.install.mutate({ name: 'metrics-server', version: 'v1.0.0' });
    // Everything applied, the operator available on a KWOK node; its resource has no status yet.
    const waiting = await waitFor(
      async () => {
        const x = await component();
        const operator = x.health.find((h) => h.object === `Deployment ${NAMESPACE}/widget-operator`);
        return x.installedVersion === 'v1.0.0' && operator?.ready && x;
      },
      { timeout: 60_000, interval: 200, message: 'the manifest to be applied and its operator to run' },
    );
    expect(waiting.state).toBe('installing');
    expect(waiting.health).toEqual(
      expect.arrayContaining([
        { object: `CustomResourceDefinition widgets.${GROUP}`, ready: true, message: 'established' },
        { object: `Widget ${NAMESPACE}/main`, ready: false, message: 'no status yet' },
      ]),
    );
    const widgets = (await admin.discover(`${GROUP}/v1`, 'Widget'))!;
    const roles = (await admin.discover('rbac.authorization.k8s.io/v1', 'ClusterRole'))!;
    expect(await admin.getAs(roles, undefined, 'widget-operator')).not.toBeNull();

    expect(await admin.getAs(widgets, NAMESPACE, 'main')).not.toBeNull();
    // The "operator" reports its resource deployed, through the status subresource: ready.
    await run(
      'kubectl',
      [
        '--kubeconfig',
        realClusterKubeconfig()!,
        '-n',
        NAMESPACE,
        'patch',
        `widgets.${GROUP}`,
        'main',
        '--subresource=status',
        '--type=merge',
        '-p',
        '{"status":{"phase":"Deployed"}}',
      ],
      { timeout: 60_000 },
    );
    await waitFor(async () => (await component()).state === 'ready', {
      timeout: 60_000,
      interval: 200,
      message: 'the component to be ready',
    });

    await stack.client.components.uninstall.mutate({ name: 'metrics-server' });
    await waitFor(async () => (await component()).state === 'absent', {
      timeout: 60_000,
      interval: 200,
      message: 'the uninstall',
    });
    expect(await admin.discover(`${GROUP}/v1`, 'Widget', { fresh: true })).toBeNull();
    expect(await admin.getAs(roles, undefined, 'widget-operator')).toBeNull();
  }, 180_000);
});
