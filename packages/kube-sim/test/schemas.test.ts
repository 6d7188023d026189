// Objects checked against the real schemas, as kube-apiserver checks them: the built-in kinds
// decoded into their Go types (400 for what cannot be decoded), unknown fields at any depth under
// fieldValidation Strict / Warn / Ignore, and custom resources against their CRD's structural
// schema (422 naming the field, defaults applied, unknown fields pruned, CEL rules).
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiError,
  createNamespace,
  deployment,
  knownDifference,
  startClusterUnderTest,
  type ClusterClients,
  sendRaw,
} from './helpers.ts';

const NS = 'schemas';
let t: ClusterClients;
let dir: string;

beforeAll(async () => {
  t = await startClusterUnderTest();
  await createNamespace(t, NS);
  dir = await mkdtemp(join(tmpdir(), 'schemas-test-'));
});
afterAll(async () => {
  await t?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** One request, answering the status, the `Warning` headers and the body. */
const send = (method: string, path: string, body: unknown, contentType = 'application/json') =>
  sendRaw(t.kc, method, path, body, { contentType });

const run = promisify(execFile);
async function kubectl(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run('kubectl', ['--kubeconfig', t.kubeconfigPath, ...args], { timeout: 30_000 });
}

const DEPLOYMENTS = `/apis/apps/v1/namespaces/${NS}/deployments`;
type Deployment = ReturnType<typeof deployment>;
type Container = Deployment['spec']['template']['spec']['containers'][number];

/** A Deployment whose first container and spec carry `extra`. */
function deploymentWith(
  name: string,
  container: Record<string, unknown>,
  spec: Record<string, unknown> = {},
) {
  const d = deployment(name);
  const c = d.spec.template.spec.containers[0] as Container;
  return {
    ...d,
    spec: {
      ...d.spec,
      ...spec,
      template: { ...d.spec.template, spec: { containers: [{ ...c, ...container }] } },
    },
  };
}

describe('built-in kinds are decoded into their Go types', () => {
  it('refuses a value of the wrong type with 400 worded as the API server words it', async () => {
    const replicas = await apiError(
      t.apps.createNamespacedDeployment({
        namespace: NS,
        body: {
          ...deployment('two'),
          spec: { ...deployment('two').spec, replicas: 'two' as unknown as number },
        },
      }),
    );
    expect(replicas.code).toBe(400);
    expect(replicas.body.reason).toBe('BadRequest');
    expect(replicas.body.message).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    );

    const configMap = await apiError(
      t.core.createNamespacedConfigMap({
        namespace: NS,
        body: { metadata: { name: 'numbers' }, data: { count: 1 as unknown as string } },
      }),
    );
    expect(configMap.code).toBe(400);
    expect(configMap.body.message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string',
    );

    for (const [env, what] of [
      [
        { name: 'Y', value: true },
        'bool into Go struct field EnvVar.spec.template.spec.containers.env.value of type string',
      ],
      [
        { name: true, value: 'y' },
        'bool into Go struct field EnvVar.spec.template.spec.containers.env.name of type string',
      ],
    ] as const) {
      const err = await send('POST', DEPLOYMENTS, deploymentWith('env', { env: [env] }));
      expect(err.status).toBe(400);
      expect(err.body.message).toBe(
        `Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal ${what}`,
      );
    }

    const fraction = await send('POST', DEPLOYMENTS, {
      ...deployment('half'),
      spec: { ...deployment('half').spec, replicas: 1.5 },
    });
    expect(fraction.body.message).toContain(
      'cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
    const list = await send('POST', DEPLOYMENTS, deploymentWith('args', { args: 'serve' }));
    expect(list.body.message).toContain(
      'cannot unmarshal string into Go struct field Container.spec.template.spec.containers.args of type []string',
    );
  });

  it('refuses a bad quantity and bad base64 with 400, an unsupported enum value with 422', async () => {
    const cpu = await send(
      'POST',
      DEPLOYMENTS,
      deploymentWith('cpu', { resources: { requests: { cpu: 'lots' } } }),
    );
    expect(cpu.status).toBe(400);
    expect(cpu.body.message).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'',
    );
    const secret = await send('POST', `/api/v1/namespaces/${NS}/secrets`, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'plain' },
      data: { password: 'not base64!' },
    });
    expect(secret.status).toBe(400);
    expect(secret.body.message).toBe(
      'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3',
    );

    const policy = await apiError(
      t.apps.createNamespacedDeployment({
        namespace: NS,
        body: deploymentWith('pull', { imagePullPolicy: 'Sometimes' }),
      }),
    );
    expect(policy.code).toBe(422);
    expect(policy.body.details?.causes).toEqual([
      {
        reason: 'FieldValueNotSupported',
        field: 'spec.template.spec.containers[0].imagePullPolicy',
        message: 'Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
      },
    ]);
  });

  it('stores quantities in their canonical form and drops nulls', async () => {
    const created = await t.apps.createNamespacedDeployment({
      namespace: NS,
      body: deploymentWith('canonical', {
        resources: { requests: { cpu: '0.5', memory: '1.5Gi' }, limits: { cpu: '1000m', memory: '2048Mi' } },
      }),
    });
    expect(created.spec?.template.spec?.containers[0]?.resources).toEqual({
      requests: { cpu: '500m', memory: '1536Mi' },
      limits: { cpu: '1', memory: '2Gi' },
    });
    const nulls = await send('POST', DEPLOYMENTS, {
      ...deployment('nulls'),
      spec: { ...deployment('nulls').spec, replicas: null },
    });
    expect(nulls.status).toBe(201);
    expect((nulls.body.spec as { replicas: number }).replicas).toBe(1);
  });

  it('words a patch whose result cannot be decoded as an invalid patch (422 on the field "patch")', async () => {
    await t.apps.createNamespacedDeployment({ namespace: NS, body: deployment('patched') });
    const merge = await send(
      'PATCH',
      `${DEPLOYMENTS}/patched`,
      { spec: { replicas: 'x' } },
      'application/merge-patch+json',
    );
    expect(merge.status).toBe(422);
    expect(merge.body.message).toMatch(
      /^ "" is invalid: patch: Invalid value: "\{.*\}": json: cannot unmarshal string into Go struct field DeploymentSpec\.spec\.replicas of type int32$/s,
    );
    expect((merge.body.details as { causes: unknown[] }).causes).toEqual([
      expect.objectContaining({ reason: 'FieldValueInvalid', field: 'patch' }),
    ]);
    const strategic = await send(
      'PATCH',
      `${DEPLOYMENTS}/patched?fieldValidation=Strict`,
      { spec: { foo: 1, template: { spec: { containers: [{ name: 'web', bar: 1 }] } } } },
      'application/strategic-merge-patch+json',
    );
    expect(strategic.status).toBe(422);
    expect(strategic.body.message).toBe(
      ' "" is invalid: patch: Invalid value: "map[spec:map[foo:1 template:map[spec:map[containers:[map[bar:1 name:web]]]]]]": strict decoding error: unknown field "spec.foo", unknown field "spec.template.spec.containers[0].bar"',
    );
  });

  it('refuses a server-side apply configuration with a field the schema lacks, whatever fieldValidation says', async () => {
    const applied = deployment('applied');
    for (const validation of ['Ignore', 'Warn', 'Strict']) {
      const err = await send(
        'PATCH',
        `${DEPLOYMENTS}/applied?fieldManager=schemas-test&fieldValidation=${validation}`,
        { ...applied, spec: { ...applied.spec, foo: 1 } },
        'application/apply-patch+yaml',
      );
      expect(err.status).toBe(500);
      expect(err.body.message).toBe(
        'failed to create typed patch object (/applied; apps/v1, Kind=Deployment): .spec.foo: field not declared in schema',
      );
    }
  });
});

describe('unknown fields at any depth', () => {
  const typo = (name: string) =>
    deploymentWith(
      name,
      { resources: { requestz: { cpu: '1' } }, imagePullPolicyy: 'Always' },
      { replica: 2 },
    );

  it('Strict refuses them with 400, naming each path', async () => {
    // client-node's typed APIs drop what their models lack before sending; its untyped one does not.
    const err = await apiError(
      t.custom.createNamespacedCustomObject({
        group: 'apps',
        version: 'v1',
        namespace: NS,
        plural: 'deployments',
        body: typo('strict'),
        fieldValidation: 'Strict',
      }),
    );
    expect(err.code).toBe(400);
    expect(err.body.message).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: ' +
        'unknown field "spec.template.spec.containers[0].resources.requestz", ' +
        'unknown field "spec.template.spec.containers[0].imagePullPolicyy", unknown field "spec.replica"',
    );
  });

  it('Warn (the default) answers a Warning header per field and drops them', async () => {
    const res = await send('POST', DEPLOYMENTS, typo('warned'));
    expect(res.status).toBe(201);
    expect(res.warnings).toEqual([
      '299 - "unknown field \\"spec.template.spec.containers[0].resources.requestz\\""',
      '299 - "unknown field \\"spec.template.spec.containers[0].imagePullPolicyy\\""',
      '299 - "unknown field \\"spec.replica\\""',
    ]);
    const stored = await t.apps.readNamespacedDeployment({ namespace: NS, name: 'warned' });
    expect(stored.spec?.template.spec?.containers[0]?.resources).toEqual({});
    expect(JSON.stringify(stored)).not.toContain('imagePullPolicyy');
  });

  it('Ignore drops them silently', async () => {
    const res = await send('POST', `${DEPLOYMENTS}?fieldValidation=Ignore`, typo('ignored'));
    expect(res.status).toBe(201);
    expect(res.warnings).toEqual([]);
    expect(JSON.stringify(res.body)).not.toMatch(/requestz|imagePullPolicyy|replica"/);
  });

  it('reach kubectl: apply refuses by default, warns with --validate=warn, says nothing with --validate=false', async () => {
    const file = join(dir, 'typo.yaml');
    const manifest = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${NS}
spec:
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          resources:
            requestz: { cpu: 100m }
`;
    await writeFile(file, manifest('kubectl-strict'));
    const refused = await kubectl('apply', '-f', file).then(
      () => '',
      (e: { stderr?: string }) => e.stderr ?? '',
    );
    expect(refused).toContain(
      'strict decoding error: unknown field "spec.template.spec.containers[0].resources.requestz"',
    );
    await writeFile(file, manifest('kubectl-warn'));
    const warned = await kubectl('apply', '--validate=warn', '-f', file);
    expect(warned.stderr).toContain(
      'Warning: unknown field "spec.template.spec.containers[0].resources.requestz"',
    );
    expect(warned.stdout).toContain('deployment.apps/kubectl-warn created');
    await writeFile(file, manifest('kubectl-ignore'));
    const ignored = await kubectl('apply', '--validate=false', '-f', file);
    expect(ignored.stderr).not.toContain('unknown field');
  }, 30_000);
});

describe('custom resources against their CRD schema', () => {
  const VMS = `/apis/kubevirt.io/v1/namespaces/${NS}/virtualmachines`;
  const vm = (name: string, spec: Record<string, unknown> = {}) => ({
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name },
    spec: {
      runStrategy: 'Halted',
      template: { spec: { domain: { devices: {}, resources: { requests: { memory: '1Gi' } } } } },
      ...spec,
    },
  });
  const cluster = (name: string, spec: Record<string, unknown> = {}) => ({
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name },
    spec: { instances: 1, storage: { size: '1Gi' }, ...spec },
  });
  const create = (plural: 'virtualmachines' | 'clusters', body: object) =>
    t.custom.createNamespacedCustomObject({
      group: plural === 'clusters' ? 'postgresql.cnpg.io' : 'kubevirt.io',
      version: 'v1',
      namespace: NS,
      plural,
      body,
    });

  it('refuses a wrong type and a missing required field with 422 naming the field', async () => {
    const wrong = await apiError(create('virtualmachines', vm('typed', { running: 'yes' })));
    expect(wrong.code).toBe(422);
    expect(wrong.body.message).toBe(
      'VirtualMachine.kubevirt.io "typed" is invalid: spec.running: Invalid value: "string": spec.running in body must be of type boolean: "string"',
    );
    expect(wrong.body.details?.causes).toEqual([
      expect.objectContaining({ reason: 'FieldValueTypeInvalid', field: 'spec.running' }),
    ]);
    const missing = await apiError(
      create('virtualmachines', {
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachine',
        metadata: { name: 'empty' },
        spec: {},
      }),
    );
    expect(missing.code).toBe(422);
    expect(missing.body.details?.causes).toEqual([
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.template' },
    ]);
    // KubeVirt's CRD has no enum for runStrategy: a bare API server (kube-real, no operators) takes
    // it; the simulator models KubeVirt installed, whose webhook refuses it (test/operators.test.ts).
    const strategy = await create('virtualmachines', vm('any-strategy', { runStrategy: 'Sometimes' })).then(
      () => 201,
      (e: { code?: number }) => e.code,
    );
    expect(strategy).toBe(knownDifference(t, { sim: 422, real: 201 }));
    // A pattern of the schema (a quantity).
    const memory = await apiError(
      create('virtualmachines', {
        ...vm('memory'),
        spec: {
          runStrategy: 'Halted',
          template: { spec: { domain: { devices: {}, resources: { requests: { memory: 'lots' } } } } },
        },
      }),
    );
    expect(memory.body.details?.causes?.[0]?.field).toBe(
      'spec.template.spec.domain.resources.requests.memory',
    );
  });

  it('refuses an enum violation and a value below the minimum of a CNPG Cluster', async () => {
    const strategy = await apiError(
      create('clusters', cluster('sometimes', { primaryUpdateStrategy: 'sometimes' })),
    );
    expect(strategy.code).toBe(422);
    expect(strategy.body.details?.causes?.[0]).toEqual({
      reason: 'FieldValueNotSupported',
      message: 'Unsupported value: "sometimes": supported values: "unsupervised", "supervised"',
      field: 'spec.primaryUpdateStrategy',
    });
    const none = await apiError(create('clusters', cluster('none', { instances: 0 })));
    expect(none.body.message).toBe(
      'Cluster.postgresql.cnpg.io "none" is invalid: spec.instances: Invalid value: 0: spec.instances in body should be greater than or equal to 1',
    );
  });

  it("applies a CNPG Cluster's defaults", async () => {
    const created = (await create('clusters', cluster('defaults'))) as { spec: Record<string, unknown> };
    expect(created.spec).toMatchObject({
      instances: 1,
      enablePDB: true,
      enableSuperuserAccess: false,
      logLevel: 'info',
      postgresUID: 26,
      postgresGID: 26,
      primaryUpdateMethod: 'restart',
      primaryUpdateStrategy: 'unsupervised',
      replicationSlots: { highAvailability: { enabled: true, slotPrefix: '_cnpg_' }, updateInterval: 30 },
      smartShutdownTimeout: 180,
      startDelay: 3600,
      stopDelay: 1800,
      storage: { resizeInUseVolumes: true, size: '1Gi' },
      switchoverDelay: 3600,
    });
  });

  it("checks the CRDs' CEL rules", async () => {
    const both = await apiError(
      create(
        'clusters',
        cluster('both', {
          imageName: 'ghcr.io/cloudnative-pg/postgresql:17',
          imageCatalogRef: { apiGroup: 'postgresql.cnpg.io', kind: 'ImageCatalog', name: 'pg', major: 17 },
        }),
      ),
    );
    expect(both.body.message).toBe(
      'Cluster.postgresql.cnpg.io "both" is invalid: spec: Invalid value: imageName and imageCatalogRef are mutually exclusive',
    );
    const policy = await apiError(
      t.custom.createNamespacedCustomObject({
        group: 'cilium.io',
        version: 'v2',
        namespace: NS,
        plural: 'ciliumnetworkpolicies',
        body: { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'empty' } },
      }),
    );
    expect(policy.body.details?.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: spec or specs must be provided',
        field: '<nil>',
      },
    ]);
  });

  it('refuses a repeated item of a set list and a repeated key of a map list', async () => {
    const err = await apiError(
      create('virtualmachines', {
        ...vm('lists'),
        spec: {
          runStrategy: 'Halted',
          template: {
            spec: {
              domain: { devices: {} },
              topologySpreadConstraints: [
                { topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', maxSkew: 1 },
                { topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', maxSkew: 2 },
              ],
              accessCredentials: [
                {
                  sshPublicKey: {
                    source: { secret: { secretName: 'keys' } },
                    propagationMethod: { qemuGuestAgent: { users: ['root', 'root'] } },
                  },
                },
              ],
            },
          },
        },
      }),
    );
    expect(err.code).toBe(422);
    expect(err.body.details?.causes).toEqual(
      expect.arrayContaining([
        {
          reason: 'FieldValueDuplicate',
          message: 'Duplicate value: {"topologyKey":"zone","whenUnsatisfiable":"DoNotSchedule"}',
          field: 'spec.template.spec.topologySpreadConstraints[1]',
        },
        {
          reason: 'FieldValueDuplicate',
          message: 'Duplicate value: "root"',
          field:
            'spec.template.spec.accessCredentials[0].sshPublicKey.propagationMethod.qemuGuestAgent.users[1]',
        },
      ]),
    );
  });

  it('takes a second server-side apply of a custom resource that has no status yet', async () => {
    const path = `/apis/cilium.io/v2/namespaces/${NS}/ciliumnetworkpolicies/applied?fieldManager=schemas-test`;
    const policy = (port: string) => ({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'applied' },
      spec: { endpointSelector: {}, ingress: [{ toPorts: [{ ports: [{ port, protocol: 'TCP' }] }] }] },
    });
    expect((await send('PATCH', path, policy('22'), 'application/apply-patch+yaml')).status).toBe(201);
    expect((await send('PATCH', path, policy('443'), 'application/apply-patch+yaml')).status).toBe(200);
  });

  it('prunes unknown fields: Warn drops them with a header, Strict refuses them', async () => {
    const warned = await send('POST', VMS, { ...vm('pruned', { foo: 1 }), status: { bar: 2 } });
    expect(warned.status).toBe(201);
    expect(warned.warnings).toEqual([
      '299 - "unknown field \\"spec.foo\\""',
      '299 - "unknown field \\"status.bar\\""',
    ]);
    expect(JSON.stringify(warned.body)).not.toContain('foo');
    const strict = await send('POST', `${VMS}?fieldValidation=Strict`, {
      ...vm('strict', { foo: 1 }),
      metadata: { name: 'strict', bar: 2 },
    });
    expect(strict.status).toBe(400);
    expect(strict.body.message).toBe(
      'VirtualMachine in version "v1" cannot be handled as a VirtualMachine: strict decoding error: unknown field "metadata.bar", unknown field "spec.foo"',
    );
  });
});
