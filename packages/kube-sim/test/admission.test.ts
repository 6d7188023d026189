// What the API server's admission chain and validation refuse and fill in, on both tiers: the
// ServiceAccount, Priority and DefaultTolerationSeconds plugins' pod defaults, requests against
// limits, ResourceQuota's compute constraints and its usage written at admission, LimitRange
// defaults and bounds, and the rules of ConfigMaps, Secrets, pods and Services.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createNamespace,
  deployment,
  startClusterUnderTest,
  waitFor,
  type ClusterClients,
  sendRaw,
} from './helpers.ts';

const NS = 'admission';
let t: ClusterClients;

beforeAll(async () => {
  t = await startClusterUnderTest();
  await createNamespace(t, NS);
});
afterAll(async () => {
  await t?.stop();
});

interface Answer {
  status: number;
  warnings: string[];
  body: {
    kind?: string;
    reason?: string;
    message?: string;
    metadata?: { name?: string; resourceVersion?: string; annotations?: Record<string, string> };
    spec?: Record<string, unknown>;
    status?: Record<string, unknown>;
    details?: { causes?: { reason?: string; field?: string; message?: string }[] };
    [k: string]: unknown;
  };
}

/** One request with a raw body: the status, the `Warning` headers and the parsed answer. */
const send = (method: string, path: string, body?: unknown, raw?: string): Promise<Answer> =>
  sendRaw<Answer['body']>(t.kc, method, path, body, raw === undefined ? {} : { raw });

const core = (ns: string, plural: string, name = '') =>
  `/api/v1/namespaces/${ns}/${plural}${name ? `/${name}` : ''}`;

type Container = { name: string; image?: string; [k: string]: unknown };
const pod = (name: string, containers: Container[] = [{ name: 'main', image: 'nginx:1.27' }], spec = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers, ...spec },
});

const causesOf = (a: Answer) => (a.body.details?.causes ?? []).map((c) => `${c.reason} ${c.field}`);

/** A namespace of the test's own, once its `default` ServiceAccount is there. */
async function freshNamespace(name: string): Promise<void> {
  await createNamespace(t, name);
  await waitFor(async () => (await send('GET', core(name, 'serviceaccounts', 'default'))).status === 200);
}

describe('pod admission: service account, priority, tolerations', () => {
  it('refuses a pod whose ServiceAccount does not exist with 403', async () => {
    const res = await send('POST', core(NS, 'pods'), pod('lost', undefined, { serviceAccountName: 'ghost' }));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      reason: 'Forbidden',
      message: `pods "lost" is forbidden: error looking up service account ${NS}/ghost: serviceaccount "ghost" not found`,
    });
  });

  it('fills in the default ServiceAccount, its token volume, priority and the not-ready/unreachable tolerations', async () => {
    const res = await send('POST', core(NS, 'pods'), pod('plain'));
    expect(res.status).toBe(201);
    const spec = res.body.spec as Record<string, unknown> & {
      volumes: { name: string; projected?: unknown }[];
      containers: { volumeMounts?: unknown[] }[];
    };
    expect(spec).toMatchObject({
      serviceAccountName: 'default',
      serviceAccount: 'default',
      enableServiceLinks: true,
      priority: 0,
      preemptionPolicy: 'PreemptLowerPriority',
      tolerations: [
        {
          key: 'node.kubernetes.io/not-ready',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
        {
          key: 'node.kubernetes.io/unreachable',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
      ],
    });
    expect(spec.volumes).toHaveLength(1);
    const volume = spec.volumes[0] as { name: string; projected: unknown };
    expect(volume.name).toMatch(/^kube-api-access-[a-z0-9]{5}$/);
    expect(volume.projected).toEqual({
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        {
          downwardAPI: {
            items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
          },
        },
      ],
    });
    expect(spec.containers[0]?.volumeMounts).toEqual([
      { name: volume.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
    ]);
  });

  it('mounts no token when the pod opts out, and keeps tolerations that already cover the taints', async () => {
    const res = await send(
      'POST',
      core(NS, 'pods'),
      pod('quiet', undefined, {
        automountServiceAccountToken: false,
        tolerations: [{ operator: 'Exists' }],
      }),
    );
    expect(res.status).toBe(201);
    expect(res.body.spec?.volumes).toBeUndefined();
    expect(res.body.spec?.tolerations).toEqual([{ operator: 'Exists' }]);
  });

  it('refuses a priority class that does not exist', async () => {
    const res = await send('POST', core(NS, 'pods'), pod('vip', undefined, { priorityClassName: 'gold' }));
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('pods "vip" is forbidden: no PriorityClass with name gold was found');
  });
});

describe('requests and limits', () => {
  const greedy = (name: string) =>
    pod(name, [
      { name: 'main', image: 'nginx:1.27', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } },
    ]);

  it('refuses a pod whose requests exceed its limits with 422', async () => {
    const res = await send('POST', core(NS, 'pods'), greedy('greedy'));
    expect(res.status).toBe(422);
    expect(res.body.message).toBe(
      'Pod "greedy" is invalid: spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
    );
    expect(causesOf(res)).toEqual(['FieldValueInvalid spec.containers[0].resources.requests']);
  });

  it("checks a Deployment's pod template the same way", async () => {
    const d = deployment('greedy');
    d.spec.template.spec.containers[0] = {
      ...d.spec.template.spec.containers[0]!,
      resources: { requests: { memory: '2Gi' }, limits: { memory: '1Gi' } },
    } as (typeof d.spec.template.spec.containers)[number];
    const res = await send('POST', `/apis/apps/v1/namespaces/${NS}/deployments`, d);
    expect(res.status).toBe(422);
    expect(res.body.message).toBe(
      'Deployment.apps "greedy" is invalid: spec.template.spec.containers[0].resources.requests: Invalid value: "2Gi": must be less than or equal to memory limit of 1Gi',
    );
  });

  it("copies a pod's limits into missing requests, but not a template's", async () => {
    const limited = { name: 'main', image: 'nginx:1.27', resources: { limits: { cpu: '500m' } } };
    const p = await send('POST', core(NS, 'pods'), pod('capped', [limited]));
    expect(p.status).toBe(201);
    expect((p.body.spec as { containers: { resources: unknown }[] }).containers[0]?.resources).toEqual({
      limits: { cpu: '500m' },
      requests: { cpu: '500m' },
    });
    expect(p.body.status?.qosClass).toBe('Burstable');
    const d = deployment('capped');
    d.spec.template.spec.containers[0] = { ...d.spec.template.spec.containers[0]!, ...limited };
    const res = await send('POST', `/apis/apps/v1/namespaces/${NS}/deployments`, d);
    expect(res.status).toBe(201);
    const spec = res.body.spec as { template: { spec: { containers: { resources: unknown }[] } } };
    expect(spec.template.spec.containers[0]?.resources).toEqual({ limits: { cpu: '500m' } });
  });
});

describe('ResourceQuota admission', () => {
  it('refuses a pod without the requests a compute quota tracks, naming the container', async () => {
    const ns = 'admission-quota-cpu';
    await freshNamespace(ns);
    const q = await send('POST', core(ns, 'resourcequotas'), {
      metadata: { name: 'cpu' },
      spec: { hard: { 'requests.cpu': '1', 'limits.memory': '1Gi' } },
    });
    expect(q.status).toBe(201);
    await waitFor(
      async () => (await send('GET', core(ns, 'resourcequotas', 'cpu'))).body.status?.hard !== undefined,
    );
    const res = await send('POST', core(ns, 'pods'), pod('free'));
    expect(res.status).toBe(403);
    expect(res.body.message).toBe(
      'pods "free" is forbidden: failed quota: cpu: must specify limits.memory for: main; requests.cpu for: main',
    );
    const sized = await send(
      'POST',
      core(ns, 'pods'),
      pod('sized', [
        {
          name: 'main',
          image: 'nginx:1.27',
          resources: { requests: { cpu: '100m' }, limits: { memory: '64Mi' } },
        },
      ]),
    );
    expect(sized.status).toBe(201);
  });

  it('counts an admitted pod in status.used at once', async () => {
    const ns = 'admission-quota-used';
    await freshNamespace(ns);
    await send('POST', core(ns, 'resourcequotas'), {
      metadata: { name: 'q' },
      spec: { hard: { pods: '1' } },
    });
    await waitFor(
      async () => (await send('GET', core(ns, 'resourcequotas', 'q'))).body.status?.used !== undefined,
    );
    expect((await send('POST', core(ns, 'pods'), pod('one'))).status).toBe(201);
    const q = await send('GET', core(ns, 'resourcequotas', 'q'));
    expect(q.body.status?.used).toEqual({ pods: '1' });
    const second = await send('POST', core(ns, 'pods'), pod('two'));
    expect(second.status).toBe(403);
    expect(second.body.message).toBe(
      'pods "two" is forbidden: exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1',
    );
  });
});

describe('LimitRange', () => {
  const ns = 'admission-limits';
  beforeAll(async () => {
    await freshNamespace(ns);
    const lr = await send('POST', core(ns, 'limitranges'), {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'defaults' },
      spec: {
        limits: [
          {
            type: 'Container',
            default: { cpu: '500m', memory: '256Mi' },
            defaultRequest: { cpu: '100m' },
            max: { cpu: '1' },
            min: { cpu: '50m' },
            maxLimitRequestRatio: { cpu: '10' },
          },
        ],
      },
    });
    expect(lr.status).toBe(201);
    // The API server defaults the item: the default request of memory from its default limit.
    expect((lr.body.spec as { limits: unknown[] }).limits[0]).toMatchObject({
      defaultRequest: { cpu: '100m', memory: '256Mi' },
    });
  });

  it('fills the defaults into a pod without resources and says so in an annotation', async () => {
    const res = await send('POST', core(ns, 'pods'), pod('plain'));
    expect(res.status).toBe(201);
    expect((res.body.spec as { containers: { resources: unknown }[] }).containers[0]?.resources).toEqual({
      limits: { cpu: '500m', memory: '256Mi' },
      requests: { cpu: '100m', memory: '256Mi' },
    });
    expect(res.body.metadata?.annotations?.['kubernetes.io/limit-ranger']).toBe(
      'LimitRanger plugin set: cpu, memory request for container main; cpu, memory limit for container main',
    );
  });

  it('refuses a container above the max, below the min, or over the limit/request ratio', async () => {
    const sized = (name: string, requests: Record<string, string>, limits: Record<string, string>) =>
      send(
        'POST',
        core(ns, 'pods'),
        pod(name, [{ name: 'main', image: 'nginx:1.27', resources: { requests, limits } }]),
      );
    const big = await sized('big', { cpu: '500m' }, { cpu: '2' });
    expect(big.status).toBe(403);
    expect(big.body.message).toBe(
      'pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2',
    );
    const small = await sized('small', { cpu: '10m' }, { cpu: '20m' });
    expect(small.status).toBe(403);
    expect(small.body.message).toBe(
      'pods "small" is forbidden: minimum cpu usage per Container is 50m, but request is 10m',
    );
    const ratio = await sized('ratio', { cpu: '50m' }, { cpu: '1' });
    expect(ratio.status).toBe(403);
    expect(ratio.body.message).toBe(
      'pods "ratio" is forbidden: cpu max limit to request ratio per Container is 10, but provided ratio is 20.000000',
    );
  });
  it("refuses a claim whose storage request is above a PersistentVolumeClaim item's max", async () => {
    const lr = await send('POST', core(ns, 'limitranges'), {
      metadata: { name: 'claims' },
      spec: { limits: [{ type: 'PersistentVolumeClaim', max: { storage: '1Gi' } }] },
    });
    expect(lr.status).toBe(201);
    const claim = (name: string, storage: string) =>
      send('POST', core(ns, 'persistentvolumeclaims'), {
        metadata: { name },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } },
      });
    const big = await claim('big', '2Gi');
    expect(big.status).toBe(403);
    expect(big.body.message).toBe(
      'persistentvolumeclaims "big" is forbidden: maximum storage usage per PersistentVolumeClaim is 1Gi, but request is 2Gi',
    );
    expect((await claim('small', '1Gi')).status).toBe(201);
  });
});

describe('ConfigMaps and Secrets', () => {
  const big = 'x'.repeat(1024 * 1024 + 1);

  it('refuses a ConfigMap or Secret over 1 MiB with 422', async () => {
    const cm = await send('POST', core(NS, 'configmaps'), { metadata: { name: 'huge' }, data: { a: big } });
    expect(cm.status, JSON.stringify(cm.body)).toBe(422);
    expect(cm.body.message).toBe(
      'ConfigMap "huge" is invalid: []: Too long: may not be more than 1048576 bytes',
    );
    expect(causesOf(cm)).toEqual(['FieldValueTooLong []']);
    const secret = await send('POST', core(NS, 'secrets'), {
      metadata: { name: 'huge' },
      data: { a: Buffer.from(big).toString('base64') },
    });
    expect(secret.status, JSON.stringify(secret.body)).toBe(422);
    expect(secret.body.message).toBe(
      'Secret "huge" is invalid: data: Too long: may not be more than 1048576 bytes',
    );
  });

  it('refuses Secret data that is not base64 with 400', async () => {
    const res = await send('POST', core(NS, 'secrets'), {
      metadata: { name: 'raw' },
      data: { a: 'not base64!' },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(
      'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3',
    );
  });

  it('holds Secrets to the keys their type requires, and keeps the type', async () => {
    const docker = await send('POST', core(NS, 'secrets'), {
      metadata: { name: 'pull' },
      type: 'kubernetes.io/dockerconfigjson',
      stringData: { other: '{}' },
    });
    expect(docker.status).toBe(422);
    expect(docker.body.message).toBe('Secret "pull" is invalid: data[.dockerconfigjson]: Required value');
    const tls = await send('POST', core(NS, 'secrets'), {
      metadata: { name: 'cert' },
      type: 'kubernetes.io/tls',
      stringData: { 'tls.crt': 'x' },
    });
    expect(tls.status).toBe(422);
    expect(tls.body.message).toBe('Secret "cert" is invalid: data[tls.key]: Required value');
    const created = await send('POST', core(NS, 'secrets'), {
      metadata: { name: 'plain' },
      stringData: { a: 'b' },
    });
    expect(created.status).toBe(201);
    const changed = await send('PUT', core(NS, 'secrets', 'plain'), {
      ...created.body,
      type: 'kubernetes.io/tls',
      stringData: { 'tls.crt': 'x', 'tls.key': 'y' },
    });
    expect(changed.status).toBe(422);
    expect(changed.body.message).toBe(
      'Secret "plain" is invalid: type: Invalid value: "kubernetes.io/tls": field is immutable',
    );
  });

  it('refuses data changes to an immutable ConfigMap or Secret, and making it mutable again', async () => {
    const cm = await send('POST', core(NS, 'configmaps'), {
      metadata: { name: 'frozen' },
      data: { a: 'b' },
      immutable: true,
    });
    expect(cm.status).toBe(201);
    const edit = await send('PUT', core(NS, 'configmaps', 'frozen'), { ...cm.body, data: { a: 'c' } });
    expect(edit.status).toBe(422);
    expect(edit.body.message).toBe(
      'ConfigMap "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set',
    );
    const thaw = await send('PUT', core(NS, 'configmaps', 'frozen'), { ...cm.body, immutable: false });
    expect(thaw.status).toBe(422);
    expect(thaw.body.message).toBe(
      'ConfigMap "frozen" is invalid: immutable: Forbidden: field is immutable when `immutable` is set',
    );
    const labelled = await send('PUT', core(NS, 'configmaps', 'frozen'), {
      ...cm.body,
      metadata: { ...cm.body.metadata, labels: { a: 'b' } },
    });
    expect(labelled.status).toBe(200);
    const secret = await send('POST', core(NS, 'secrets'), {
      metadata: { name: 'frozen' },
      stringData: { a: 'b' },
      immutable: true,
    });
    const secretEdit = await send('PUT', core(NS, 'secrets', 'frozen'), {
      ...secret.body,
      data: { a: 'Yw==' },
    });
    expect(secretEdit.status).toBe(422);
    expect(secretEdit.body.message).toBe(
      'Secret "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set',
    );
  });
});

describe('pod validation', () => {
  it('reports every cause, duplicate container names among them, as a list', async () => {
    const res = await send(
      'POST',
      core(NS, 'pods'),
      pod('twins', [{ name: 'main', image: 'nginx:1.27' }, { name: 'main' }]),
    );
    expect(res.status).toBe(422);
    expect(res.body.message).toBe(
      'Pod "twins" is invalid: [spec.containers[1].image: Required value, spec.containers[1].name: Duplicate value: "main"]',
    );
    expect(causesOf(res)).toEqual([
      'FieldValueRequired spec.containers[1].image',
      'FieldValueDuplicate spec.containers[1].name',
    ]);
  });

  it('refuses an update to a pod spec field other than the mutable ones', async () => {
    expect((await send('POST', core(NS, 'pods'), pod('fixed'))).status).toBe(201);
    await waitFor(
      async () => (await send('GET', core(NS, 'pods', 'fixed'))).body.spec?.nodeName !== undefined,
    );
    const created = await send('GET', core(NS, 'pods', 'fixed'));
    // Unconditional updates (no resourceVersion): the node agent writes the pod's status meanwhile.
    delete created.body.metadata?.resourceVersion;
    const spec = created.body.spec as { containers: Record<string, unknown>[] };
    const withEnv = {
      ...created.body,
      spec: { ...spec, containers: [{ ...spec.containers[0], env: [{ name: 'A', value: 'b' }] }] },
    };
    const res = await send('PUT', core(NS, 'pods', 'fixed'), withEnv);
    expect(res.status).toBe(422);
    // The real server goes on with a diff of its internal types; the rule's sentence is the same.
    expect(res.body.message?.split('\n')[0]).toBe(
      'Pod "fixed" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
    );
    expect(causesOf(res)).toEqual(['FieldValueForbidden spec']);
    const image = {
      ...created.body,
      spec: { ...spec, containers: [{ ...spec.containers[0], image: 'nginx:1.28' }] },
    };
    expect((await send('PUT', core(NS, 'pods', 'fixed'), image)).status).toBe(200);
  });
});

describe('Services', () => {
  const svc = (name: string, spec: Record<string, unknown>) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: { selector: { app: name }, ...spec },
  });

  it('allocates node ports in 30000-32767 and refuses one outside it', async () => {
    const res = await send(
      'POST',
      core(NS, 'services'),
      svc('np', { type: 'NodePort', ports: [{ port: 80 }] }),
    );
    expect(res.status).toBe(201);
    const nodePort = (res.body.spec as { ports: { nodePort: number }[] }).ports[0]?.nodePort;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    expect(nodePort).toBeLessThanOrEqual(32767);
    const out = await send(
      'POST',
      core(NS, 'services'),
      svc('low', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }),
    );
    expect(out.status).toBe(422);
    expect(out.body.message).toBe(
      'Service "low" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
    );
    const taken = await send(
      'POST',
      core(NS, 'services'),
      svc('taken', { type: 'NodePort', ports: [{ port: 80, nodePort }] }),
    );
    expect(taken.status).toBe(422);
    expect(taken.body.message).toBe(
      `Service "taken" is invalid: spec.ports[0].nodePort: Invalid value: ${nodePort}: provided port is already allocated`,
    );
  });

  it('refuses a cluster IP already in use, and a change of cluster IP', async () => {
    const first = await send('POST', core(NS, 'services'), svc('first', { ports: [{ port: 80 }] }));
    expect(first.status).toBe(201);
    const ip = (first.body.spec as { clusterIP: string }).clusterIP;
    const second = await send(
      'POST',
      core(NS, 'services'),
      svc('second', { clusterIP: ip, ports: [{ port: 80 }] }),
    );
    expect(second.status).toBe(422);
    expect(second.body.message).toBe(
      `Service "second" is invalid: spec.clusterIPs: Invalid value: ["${ip}"]: failed to allocate IP ${ip}: provided IP is already allocated`,
    );
    const other = await send('POST', core(NS, 'services'), svc('other', { ports: [{ port: 80 }] }));
    const moved = await send('PUT', core(NS, 'services', 'first'), {
      ...first.body,
      spec: { ...first.body.spec, clusterIP: (other.body.spec as { clusterIP: string }).clusterIP },
    });
    expect(moved.status).toBe(422);
    expect(moved.body.message).toContain('spec.clusterIPs[0]: Invalid value:');
    expect(moved.body.message).toContain('may not change once set');
  });
});

describe('request options and bodies', () => {
  it('answers an unsupported dryRun value with 422 on CreateOptions', async () => {
    const res = await send('POST', `${core(NS, 'configmaps')}?dryRun=Sometimes`, {
      metadata: { name: 'dry' },
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      reason: 'Invalid',
      message:
        'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: ["Sometimes"]: supported values: "All"',
    });
    expect(causesOf(res)).toEqual(['FieldValueNotSupported dryRun']);
  });

  const duplicated =
    '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"NAME"},"data":{"key":"a","key":"b"}}';

  it('refuses a duplicate field under Strict and warns of it under Warn', async () => {
    const strict = await send(
      'POST',
      `${core(NS, 'configmaps')}?fieldValidation=Strict`,
      undefined,
      duplicated.replace('NAME', 'dup-strict'),
    );
    expect(strict.status).toBe(400);
    expect(strict.body.message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "data.key"',
    );
    const warn = await send(
      'POST',
      `${core(NS, 'configmaps')}?fieldValidation=Warn`,
      undefined,
      duplicated.replace('NAME', 'dup-warn'),
    );
    expect(warn.status).toBe(201);
    expect(warn.warnings).toEqual(['299 - "duplicate field \\"data.key\\""']);
    expect(warn.body.data).toEqual({ key: 'b' });
  });

  it('answers a created Deployment with an empty status', async () => {
    const res = await send('POST', `/apis/apps/v1/namespaces/${NS}/deployments`, deployment('fresh'));
    expect(res.status).toBe(201);
    expect(res.body.status).toEqual({});
  });
});
