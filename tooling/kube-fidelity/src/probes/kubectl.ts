// kubectl as users type it: explain, auth can-i, imperative create, table output, server-side apply.
import { at, configMap, defaultClass, fromKubectl, paths, pod } from '../observe.ts';
import type { Probe, ProbeCluster } from '../types.ts';

/** Creates pod `name` and waits until it runs with an address, as kubectl's views of it assume. */
const runningPod = async (c: ProbeCluster, name: string) => {
  await c.request('POST', paths.core(c, 'pods'), { body: pod(name) });
  await c.waitFor(async () => {
    const p = await c.request('GET', paths.core(c, 'pods', name));
    return at(p.body, 'status.phase') === 'Running' && at(p.body, 'status.podIP');
  }, 30_000);
};

export const kubectlProbes: Probe[] = [
  {
    name: 'kubectl-explain-replicas',
    area: 'kubectl',
    description: '`kubectl explain deployment.spec.replicas` (OpenAPI v3 from the server)',
    async run(c) {
      return fromKubectl(await c.kubectl(['explain', 'deployment.spec.replicas']));
    },
  },
  {
    name: 'kubectl-explain-crd',
    area: 'kubectl',
    description: '`kubectl explain virtualmachine.spec.runStrategy` (a CRD field)',
    async run(c) {
      return fromKubectl(await c.kubectl(['explain', 'virtualmachine.spec.runStrategy']));
    },
  },
  {
    name: 'kubectl-auth-can-i',
    area: 'kubectl',
    description: '`kubectl auth can-i create pods` as the kubeconfig user (an admin on both)',
    async run(c) {
      return fromKubectl(await c.kubectl(['auth', 'can-i', 'create', 'pods', '-n', c.namespace]));
    },
  },
  {
    name: 'kubectl-auth-can-i-as-user',
    area: 'kubectl',
    description:
      '`kubectl auth can-i create pods --as jane` (impersonating an unprivileged user; the sim has one token)',
    async run(c) {
      return fromKubectl(
        await c.kubectl(['auth', 'can-i', 'create', 'pods', '-n', c.namespace, '--as', 'jane']),
      );
    },
  },
  {
    name: 'kubectl-create-ingress',
    area: 'kubectl',
    description: '`kubectl create ingress web --rule=example.com/app=web:80`, then the stored spec',
    async run(c) {
      const r = await c.kubectl([
        'create',
        'ingress',
        'web',
        '-n',
        c.namespace,
        '--rule=example.com/app=web:80',
      ]);
      const got = await c.request(
        'GET',
        `/apis/networking.k8s.io/v1/namespaces/${c.namespace}/ingresses/web`,
      );
      const spec = (at(got.body, 'spec') ?? null) as Record<string, unknown> | null;
      // The default IngressClass admission fills ingressClassName; class names differ by environment.
      const byDefault = await defaultClass(c, 'ingress');
      if (spec && byDefault !== undefined && spec.ingressClassName === byDefault)
        spec.ingressClassName = '<the default class>';
      return fromKubectl(r, { getStatus: got.status, spec: spec as never });
    },
  },
  {
    name: 'kubectl-get-pods-table',
    area: 'kubectl',
    description: '`kubectl get pods` once a pod runs (server-side Table columns)',
    async run(c) {
      await runningPod(c, 'web');
      return fromKubectl(await c.kubectl(['get', 'pods', '-n', c.namespace]));
    },
  },
  {
    name: 'kubectl-get-wide',
    area: 'kubectl',
    description: '`kubectl get pods -o wide` (priority-1 columns: IP, NODE, NOMINATED NODE, READINESS GATES)',
    async run(c) {
      await runningPod(c, 'web');
      return fromKubectl(await c.kubectl(['get', 'pods', '-n', c.namespace, '-o', 'wide']));
    },
  },
  {
    name: 'kubectl-apply-server-side',
    area: 'kubectl',
    description: '`kubectl apply --server-side` of a ConfigMap: output and the managedFields entry',
    async run(c) {
      const r = await c.kubectl(['apply', '--server-side', '-n', c.namespace, '-f', '-'], {
        input: JSON.stringify(configMap('ssa', { a: '1' })),
      });
      const got = await c.request('GET', paths.core(c, 'configmaps', 'ssa'));
      const managed = ((at(got.body, 'metadata.managedFields') ?? []) as Record<string, unknown>[]).map(
        (m) => `${String(m.manager)} ${String(m.operation)} ${JSON.stringify(m.fieldsV1 ?? null)}`,
      );
      return fromKubectl(r, { managedFields: managed });
    },
  },
  {
    name: 'kubectl-delete-wait',
    area: 'kubectl',
    description: '`kubectl delete pod web` (waits for the pod to be gone)',
    async run(c) {
      await runningPod(c, 'web');
      return fromKubectl(
        await c.kubectl(['delete', 'pod', 'web', '-n', c.namespace, '--timeout=30s'], { timeoutMs: 40_000 }),
      );
    },
  },
];
