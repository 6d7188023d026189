import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClusterUnderTest, waitFor, type ClusterClients } from './helpers.ts';

const run = promisify(execFile);
let t: ClusterClients;
let dir: string;

beforeAll(async () => {
  t = await startClusterUnderTest({ controllerDelayMs: 5 });
  dir = await mkdtemp(join(tmpdir(), 'kubectl-test-'));
});
afterAll(async () => {
  await t.stop();
  await rm(dir, { recursive: true, force: true });
});

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run('kubectl', ['--kubeconfig', t.kubeconfigPath, ...args], {
    timeout: 30_000,
  });
  return stdout;
}

const MANIFEST = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web, tier: front}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web, tier: front}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector: {app: web}
  ports:
  - port: 80
`;

describe('kubectl', () => {
  it('applies a multi-document file (created, then unchanged) and waits for the Deployment to be Available', async () => {
    const file = join(dir, 'shop.yaml');
    await writeFile(file, MANIFEST);
    expect(await kubectl('apply', '-f', file)).toBe(
      'namespace/shop created\ndeployment.apps/web created\nservice/web created\n',
    );
    expect(await kubectl('apply', '-f', file)).toBe(
      'namespace/shop unchanged\ndeployment.apps/web unchanged\nservice/web unchanged\n',
    );
    expect(
      await kubectl('-n', 'shop', 'wait', '--for=condition=Available', 'deployment/web', '--timeout=20s'),
    ).toContain('condition met');
  }, 30_000);

  it("refuses a manifest with an unknown field under kubectl's strict field validation", async () => {
    const file = join(dir, 'typo.yaml');
    await writeFile(
      file,
      MANIFEST.replace('replicas: 2', 'replica: 2').replace(
        'image: nginx:1.27',
        'image: nginx:1.27\n        imagePullPolicyy: Always',
      ),
    );
    const err = await kubectl('apply', '-f', file).then(
      () => '',
      (e: { stderr?: string }) => e.stderr ?? '',
    );
    // The Deployment exists, so kubectl sends a patch: the refusal is worded as an invalid patch.
    expect(err).toContain('The request is invalid: patch: Invalid value: ');
    expect(err).toContain('strict decoding error: unknown field');
    expect(err).toContain('unknown field "spec.replica"');
    expect(err).toContain('unknown field "spec.template.spec.containers[0].imagePullPolicyy"');
  }, 30_000);

  it('prints tables with the real columns, and JSON, YAML and label-selected output', async () => {
    const deploys = await kubectl('-n', 'shop', 'get', 'deployments');
    expect(deploys.split('\n')[0]).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/);
    expect(deploys).toMatch(/web\s+2\/2\s+2\s+2\s+\d+s/);
    const pods = await kubectl('-n', 'shop', 'get', 'pods');
    expect(pods.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(pods).toMatch(/web-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running\s+0/);
    expect((await kubectl('get', 'configmaps', '-A')).split('\n')[0]).toMatch(
      /^NAMESPACE\s+NAME\s+DATA\s+AGE$/,
    );
    const json = JSON.parse(await kubectl('-n', 'shop', 'get', 'deployment', 'web', '-o', 'json')) as {
      kind: string;
      status: { readyReplicas: number };
    };
    expect(json.kind).toBe('Deployment');
    expect(json.status.readyReplicas).toBe(2);
    // Each cluster's service CIDR: the simulator's 10.43.0.0/16, kube-real's 10.96.0.0/16.
    expect(await kubectl('-n', 'shop', 'get', 'service', 'web', '-o', 'yaml')).toContain(
      t.kind === 'real' ? 'clusterIP: 10.96.' : 'clusterIP: 10.43.',
    );
    const selected = await kubectl('-n', 'shop', 'get', 'pods', '-l', 'tier=front', '-o', 'name');
    expect(selected.trim().split('\n')).toHaveLength(2);
    expect(await kubectl('-n', 'shop', 'get', 'pods', '-l', 'tier=back', '-o', 'name')).toBe('');
  }, 30_000);

  it('lists api-resources, explains a kind and prints CRD columns', async () => {
    const resources = await kubectl('api-resources');
    expect(resources).toMatch(/virtualmachines\s+vm,vms\s+kubevirt\.io\/v1\s+true\s+VirtualMachine/);
    expect(resources).toMatch(/deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/);
    expect(await kubectl('explain', 'deployment')).toContain('KIND:       Deployment');
    const replicas = await kubectl('explain', 'deployment.spec.replicas');
    expect(replicas).toContain('FIELD: replicas <integer>');
    expect(replicas).toContain('Number of desired pods.');
    expect(await kubectl('explain', 'pod.spec.containers.resources.limits')).toContain(
      'FIELD: limits <map[string]Quantity>',
    );
    await t.custom.createNamespacedCustomObject({
      group: 'kubevirt.io',
      version: 'v1',
      namespace: 'shop',
      plural: 'virtualmachines',
      body: {
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachine',
        metadata: { name: 'vm1' },
        // KubeVirt's schema requires `devices`.
        spec: { runStrategy: 'Halted', template: { spec: { domain: { devices: {} } } } },
      },
    });
    if (t.kind === 'real') {
      // No KubeVirt operator runs on kube-real: the columns are there, with nothing in them yet.
      const vms = await kubectl('-n', 'shop', 'get', 'vm');
      expect(vms.split('\n')[0]).toMatch(/^NAME\s+AGE\s+STATUS\s+READY$/);
      expect(vms).toMatch(/vm1\s+\d+s\s*$/m);
    } else {
      const vms = await waitFor(async () => {
        const out = await kubectl('-n', 'shop', 'get', 'vm');
        return out.includes('Stopped') ? out : undefined;
      });
      expect(vms.split('\n')[0]).toMatch(/^NAME\s+AGE\s+STATUS\s+READY$/);
      expect(vms).toMatch(/vm1\s+\d+s\s+Stopped\s+False/);
    }
  }, 30_000);

  it('patches, scales and applies server-side', async () => {
    expect(
      await kubectl(
        '-n',
        'shop',
        'patch',
        'deployment',
        'web',
        '-p',
        '{"metadata":{"labels":{"patched":"yes"}}}',
      ),
    ).toContain('patched');
    expect(await kubectl('-n', 'shop', 'scale', 'deployment', 'web', '--replicas=3')).toContain('scaled');
    await waitFor(
      async () =>
        (await kubectl(
          '-n',
          'shop',
          'get',
          'deployment',
          'web',
          '-o',
          'jsonpath={.status.readyReplicas}',
        )) === '3',
      { timeout: 10_000 },
    );
    const file = join(dir, 'cm.yaml');
    await writeFile(
      file,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  mode: fast\n',
    );
    expect(await kubectl('apply', '--server-side', '-f', file)).toBe(
      'configmap/settings serverside-applied\n',
    );
    expect(await kubectl('apply', '--server-side', '-f', file)).toBe(
      'configmap/settings serverside-applied\n',
    );
    const cm = JSON.parse(
      await kubectl('-n', 'shop', 'get', 'configmap', 'settings', '-o', 'json', '--show-managed-fields'),
    ) as { metadata: { managedFields: { manager: string; operation: string }[] } };
    expect(cm.metadata.managedFields).toEqual([
      expect.objectContaining({ manager: 'kubectl', operation: 'Apply' }),
    ]);
  }, 30_000);

  it('sees a change with get --watch', async () => {
    const child = spawn('kubectl', [
      '--kubeconfig',
      t.kubeconfigPath,
      '-n',
      'shop',
      'get',
      'configmap',
      'settings',
      '--watch',
      '-o',
      'jsonpath={.data.mode}{"\\n"}',
    ]);
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    try {
      await waitFor(() => out.includes('fast'), { timeout: 10_000 });
      await kubectl(
        '-n',
        'shop',
        'patch',
        'configmap',
        'settings',
        '--type=merge',
        '-p',
        '{"data":{"mode":"slow"}}',
      );
      await waitFor(() => out.includes('slow'), { timeout: 10_000 });
    } finally {
      child.kill();
    }
  }, 30_000);

  it('creates built-in objects from kubectl generators (protobuf request bodies)', async () => {
    expect(await kubectl('create', 'namespace', 'gen')).toBe('namespace/gen created\n');
    await kubectl('-n', 'gen', 'create', 'configmap', 'cfg', '--from-literal=a=b');
    await kubectl('-n', 'gen', 'create', 'secret', 'generic', 'sec', '--from-literal=password=s3cret');
    await kubectl(
      '-n',
      'gen',
      'create',
      'deployment',
      'web',
      '--image=nginx:1.27',
      '--replicas=2',
      '--port=80',
    );
    await kubectl('-n', 'gen', 'create', 'service', 'clusterip', 'web', '--tcp=80:8080');
    expect(await kubectl('-n', 'gen', 'create', 'ingress', 'web', '--rule=example.com/app=web:80')).toBe(
      'ingress.networking.k8s.io/web created\n',
    );
    const ingress = await t.net.readNamespacedIngress({ name: 'web', namespace: 'gen' });
    expect(ingress.spec?.rules).toEqual([
      {
        host: 'example.com',
        http: {
          paths: [
            { path: '/app', pathType: 'Exact', backend: { service: { name: 'web', port: { number: 80 } } } },
          ],
        },
      },
    ]);
    const classes = await t.net.listIngressClass();
    const byDefault = classes.items.find(
      (c) => c.metadata?.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true',
    );
    expect(byDefault).toBeDefined();
    expect(ingress.spec?.ingressClassName).toBe(byDefault?.metadata?.name);
    expect((await t.core.readNamespacedConfigMap({ name: 'cfg', namespace: 'gen' })).data).toEqual({
      a: 'b',
    });
    expect(
      Buffer.from(
        (await t.core.readNamespacedSecret({ name: 'sec', namespace: 'gen' })).data?.password ?? '',
        'base64',
      ).toString(),
    ).toBe('s3cret');
    const svc = await t.core.readNamespacedService({ name: 'web', namespace: 'gen' });
    expect(svc.spec?.ports?.[0]).toMatchObject({ port: 80, protocol: 'TCP', targetPort: 8080 });
    const d = await t.apps.readNamespacedDeployment({ name: 'web', namespace: 'gen' });
    expect(d.spec?.replicas).toBe(2);
    expect(d.spec?.template.spec?.containers[0]).toMatchObject({
      name: 'nginx',
      image: 'nginx:1.27',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
    });
    await waitFor(
      async () =>
        (await t.apps.readNamespacedDeployment({ name: 'web', namespace: 'gen' })).status?.readyReplicas ===
        2,
    );
  }, 30_000);

  it('prints table rows as they change with get --watch', async () => {
    const child = spawn('kubectl', [
      '--kubeconfig',
      t.kubeconfigPath,
      '-n',
      'shop',
      'get',
      'deployments',
      '--watch',
    ]);
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    try {
      await waitFor(() => /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m.test(out), { timeout: 10_000 });
      await kubectl('-n', 'shop', 'scale', 'deployment', 'web', '--replicas=1');
      await waitFor(() => /web\s+1\/1\s+1\s+1\s+\d+s/.test(out), { timeout: 10_000 });
    } finally {
      child.kill();
    }
  }, 30_000);

  it('deletes an object (waiting until it is gone) and a namespace with everything in it', async () => {
    expect(await kubectl('-n', 'shop', 'delete', 'service', 'web')).toBe('service "web" deleted\n');
    expect(await kubectl('delete', 'namespace', 'shop', '--timeout=20s')).toBe('namespace "shop" deleted\n');
    await expect(kubectl('get', 'namespace', 'shop')).rejects.toThrow(/NotFound|not found/);
    expect(
      (await t.apps.listDeploymentForAllNamespaces({ fieldSelector: 'metadata.namespace=shop' })).items,
    ).toHaveLength(0);
  }, 30_000);
});

describe('kubectl get -o wide', () => {
  it('prints the pod columns IP, NODE, NOMINATED NODE and READINESS GATES', async () => {
    await kubectl('create', 'namespace', 'wide');
    await waitFor(() => t.core.readNamespacedServiceAccount({ name: 'default', namespace: 'wide' }));
    await t.core.createNamespacedPod({
      namespace: 'wide',
      body: {
        metadata: { name: 'gated' },
        spec: {
          readinessGates: [{ conditionType: 'example.com/ready' }],
          containers: [{ name: 'web', image: 'nginx:1.27' }],
        },
      },
    });
    await waitFor(async () => {
      const p = await t.core.readNamespacedPod({ name: 'gated', namespace: 'wide' });
      return p.status?.phase === 'Running' && p.status.podIP;
    });
    const out = await kubectl('-n', 'wide', 'get', 'pods', '-o', 'wide');
    expect(out.split('\n')[0]).toMatch(
      /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/,
    );
    // Nobody sets the gate's condition here; KWOK (the real tier's node agent) marks every gate met.
    expect(out.split('\n')[1]).toMatch(
      /^gated\s+1\/1\s+Running\s+0\s+\S+\s+[\d.]+\s+\S+\s+<none>\s+(0|1)\/1$/,
    );
  }, 30_000);
});

describe('kubectl rollout', () => {
  const rollout = (...args: string[]) => kubectl('-n', 'rollout', 'rollout', ...args);
  const revisions = async () =>
    [...(await rollout('history', 'deployment/web')).matchAll(/^(\d+)\s+<none>$/gm)].map((m) => m[1]);
  const image = () =>
    kubectl(
      '-n',
      'rollout',
      'get',
      'deployment',
      'web',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].image}',
    );

  it('reports status and history, undoes, pauses, resumes and restarts a Deployment', async () => {
    await kubectl('create', 'namespace', 'rollout');
    await waitFor(() => t.core.readNamespacedServiceAccount({ name: 'default', namespace: 'rollout' }));
    await kubectl('-n', 'rollout', 'create', 'deployment', 'web', '--image=nginx:1.27');
    expect(await rollout('status', 'deployment/web', '--timeout=20s')).toContain(
      'deployment "web" successfully rolled out',
    );
    await kubectl('-n', 'rollout', 'set', 'image', 'deployment/web', 'nginx=nginx:1.28');
    await rollout('status', 'deployment/web', '--timeout=20s');
    expect(await revisions()).toEqual(['1', '2']);

    expect(await rollout('undo', 'deployment/web')).toBe('deployment.apps/web rolled back\n');
    await rollout('status', 'deployment/web', '--timeout=20s');
    expect(await image()).toBe('nginx:1.27');
    expect(await revisions()).toEqual(['2', '3']);

    expect(await rollout('pause', 'deployment/web')).toBe('deployment.apps/web paused\n');
    await kubectl('-n', 'rollout', 'set', 'image', 'deployment/web', 'nginx=nginx:1.29');
    await waitFor(async () => {
      const d = await t.apps.readNamespacedDeployment({ name: 'web', namespace: 'rollout' });
      return d.status?.conditions?.some((c) => c.reason === 'DeploymentPaused');
    });
    expect(await revisions()).toEqual(['2', '3']);
    expect(await rollout('resume', 'deployment/web')).toBe('deployment.apps/web resumed\n');
    await rollout('status', 'deployment/web', '--timeout=20s');
    expect(await revisions()).toEqual(['2', '3', '4']);

    expect(await rollout('restart', 'deployment/web')).toBe('deployment.apps/web restarted\n');
    await rollout('status', 'deployment/web', '--timeout=20s');
    expect(await revisions()).toEqual(['2', '3', '4', '5']);
    const d = await t.apps.readNamespacedDeployment({ name: 'web', namespace: 'rollout' });
    expect(d.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('5');
    expect(d.spec?.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeDefined();
  }, 60_000);
});

describe('kubectl auth', () => {
  /** kubectl's exit code and output (can-i exits 1 for `no`). */
  async function kubectlStatus(...args: string[]): Promise<{ code: number; stdout: string }> {
    try {
      return { code: 0, stdout: await kubectl(...args) };
    } catch (e) {
      const err = e as { code?: number; stdout?: string };
      return { code: err.code ?? -1, stdout: err.stdout ?? '' };
    }
  }

  it('answers can-i yes for the cluster administrator, and no for a user no role is bound to', async () => {
    expect(await kubectlStatus('auth', 'can-i', 'create', 'deployments')).toEqual({
      code: 0,
      stdout: 'yes\n',
    });
    expect(await kubectlStatus('auth', 'can-i', '--list')).toMatchObject({ code: 0 });
    expect(await kubectlStatus('auth', 'can-i', 'create', 'deployments', '--as', 'jane')).toEqual({
      code: 1,
      stdout: 'no\n',
    });
  });

  it('tells who the kubeconfig user is, and who an impersonated one is', async () => {
    const me = JSON.parse(await kubectl('auth', 'whoami', '-o', 'json')) as {
      kind: string;
      status: { userInfo: { username: string; groups: string[] } };
    };
    expect(me.kind).toBe('SelfSubjectReview');
    expect(me.status.userInfo.groups).toEqual(
      expect.arrayContaining(['system:masters', 'system:authenticated']),
    );
    const jane = JSON.parse(await kubectl('auth', 'whoami', '--as', 'jane', '-o', 'json')) as typeof me;
    expect(jane.status.userInfo).toMatchObject({ username: 'jane', groups: ['system:authenticated'] });
  });
});

describe('kubectl meets admission', () => {
  const NS = 'kubectl-admission';
  const refusal = (...args: string[]) =>
    kubectl(...args).then(
      () => '',
      (e: { stderr?: string }) => e.stderr ?? '',
    );

  beforeAll(async () => {
    await kubectl('create', 'namespace', NS);
    await waitFor(
      async () => (await kubectl('get', 'serviceaccount', 'default', '-n', NS, '-o', 'name')) !== '',
    );
  });

  it('shows the real refusal of a pod whose requests exceed its limits', async () => {
    const file = join(dir, 'greedy.yaml');
    await writeFile(
      file,
      `apiVersion: v1
kind: Pod
metadata: {name: greedy, namespace: ${NS}}
spec:
  containers:
  - name: main
    image: nginx:1.27
    resources: {requests: {cpu: "2"}, limits: {cpu: "1"}}
`,
    );
    expect(await refusal('create', '-f', file)).toContain(
      'The Pod "greedy" is invalid: spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
    );
  });

  it('shows the refusal of a pod whose ServiceAccount does not exist, and of one a cpu quota needs requests for', async () => {
    const lost = await refusal(
      'run',
      'lost',
      '-n',
      NS,
      '--image=nginx:1.27',
      '--overrides',
      '{"spec":{"serviceAccountName":"ghost"}}',
    );
    expect(lost).toContain(
      `Error from server (Forbidden): pods "lost" is forbidden: error looking up service account ${NS}/ghost: serviceaccount "ghost" not found`,
    );
    await kubectl('create', 'quota', 'cpu', '-n', NS, '--hard=requests.cpu=1');
    await waitFor(
      async () => (await kubectl('get', 'quota', 'cpu', '-n', NS, '-o', 'jsonpath={.status.hard}')) !== '',
    );
    expect(await refusal('run', 'free', '-n', NS, '--image=nginx:1.27')).toContain(
      'Error from server (Forbidden): pods "free" is forbidden: failed quota: cpu: must specify requests.cpu for: free',
    );
    await kubectl('delete', 'quota', 'cpu', '-n', NS);
  });

  it('fills in a LimitRange default that kubectl then shows', async () => {
    const file = join(dir, 'limits.yaml');
    await writeFile(
      file,
      `apiVersion: v1
kind: LimitRange
metadata: {name: defaults, namespace: ${NS}}
spec:
  limits:
  - type: Container
    default: {memory: 256Mi}
`,
    );
    expect(await kubectl('apply', '-f', file)).toContain('limitrange/defaults created');
    expect(await kubectl('get', 'limits', '-n', NS)).toMatch(
      /^NAME\s+CREATED AT\ndefaults\s+\d{4}-\d\d-\d\dT[\d:]+Z\n$/,
    );
    await kubectl('run', 'limited', '-n', NS, '--image=nginx:1.27');
    expect(
      await kubectl('get', 'pod', 'limited', '-n', NS, '-o', 'jsonpath={.spec.containers[0].resources}'),
    ).toBe('{"limits":{"memory":"256Mi"},"requests":{"memory":"256Mi"}}');
  });
});

describe('kubectl expose, jobs and apply --prune', () => {
  const configMaps = (names: string[]) =>
    names
      .map(
        (n) =>
          `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${n}\n  namespace: surfaces\n  labels: {set: prune}\n`,
      )
      .join('---\n');

  it('exposes a Deployment with its endpoints, runs a Job to completion and prunes what a manifest dropped', async () => {
    await kubectl('create', 'namespace', 'surfaces');
    await waitFor(() => t.core.readNamespacedServiceAccount({ name: 'default', namespace: 'surfaces' }));
    await kubectl('-n', 'surfaces', 'create', 'deployment', 'web', '--image=nginx:1.27', '--port=80');
    expect(await kubectl('-n', 'surfaces', 'expose', 'deployment', 'web', '--port=80')).toBe(
      'service/web exposed\n',
    );
    await waitFor(
      async () =>
        (await kubectl(
          '-n',
          'surfaces',
          'get',
          'endpoints',
          'web',
          '-o',
          'jsonpath={.subsets[0].addresses[0].ip}',
        )) !== '',
    );
    expect(
      await kubectl('-n', 'surfaces', 'create', 'job', 'once', '--image=busybox:1.36', '--', 'true'),
    ).toBe('job.batch/once created\n');
    expect(
      await kubectl('-n', 'surfaces', 'wait', '--for=condition=complete', 'job/once', '--timeout=30s'),
    ).toBe('job.batch/once condition met\n');
    const file = join(dir, 'prune.yaml');
    await writeFile(file, configMaps(['keep', 'drop']));
    await kubectl('apply', '--prune', '-l', 'set=prune', '-f', file);
    await writeFile(file, configMaps(['keep']));
    const pruned = await kubectl('apply', '--prune', '-l', 'set=prune', '-f', file);
    expect(pruned).toContain('configmap/drop pruned');
    expect(await kubectl('-n', 'surfaces', 'get', 'configmaps', '-l', 'set=prune', '-o', 'name')).toBe(
      'configmap/keep\n',
    );
  }, 60_000);
});
