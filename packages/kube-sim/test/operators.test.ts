// What KubeVirt and CloudNativePG, installed, would refuse and report, checked against their
// sources (kube-real runs neither operator, so these run on the simulator only): their validating
// webhooks, no guest OS without a guest agent, and no healthy database short of its instances.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropletManifests, virtualMachineManifest, type DropletIntent } from '@uncloud/kube';
import { DropletId, ProjectId } from '@uncloud/sdk';
import { apiError, createNamespace, startSim, waitFor, type TestCluster } from './helpers.ts';

let t: TestCluster;
const ns = 'operators';
beforeAll(async () => {
  t = await startSim({ controllerDelayMs: 5 });
  await createNamespace(t, ns);
});
afterAll(() => t?.stop());

interface Obj {
  metadata: { name: string };
  spec?: Record<string, unknown>;
  status?: {
    phase?: string;
    guestOSInfo?: unknown;
    conditions?: { type: string; status?: string; reason?: string }[];
    interfaces?: { infoSource?: string; ipAddress?: string }[];
  };
}
const vms = { group: 'kubevirt.io', version: 'v1', namespace: ns, plural: 'virtualmachines' };
const clusters = { group: 'postgresql.cnpg.io', version: 'v1', namespace: ns, plural: 'clusters' };

const vm = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'kubevirt.io/v1',
  kind: 'VirtualMachine',
  metadata: { name },
  spec: {
    ...spec,
    template: { spec: { domain: { cpu: { cores: 1 }, memory: { guest: '1Gi' }, devices: {} } } },
  },
});
const cluster = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'postgresql.cnpg.io/v1',
  kind: 'Cluster',
  metadata: { name },
  spec: { instances: 1, ...spec },
});
const KUBEVIRT = 'admission webhook "virtualmachine-validator.kubevirt.io" denied the request: ';

describe("KubeVirt's VirtualMachine webhook", () => {
  it.each([
    [
      'running together with runStrategy',
      { running: true, runStrategy: 'Always' },
      'Running and RunStrategy are mutually exclusive. Note that Running is deprecated, please use RunStrategy instead',
      'spec.running',
    ],
    ['neither running nor runStrategy', {}, 'RunStrategy must be specified', 'spec.running'],
    // The CRD has no enum here (a bare kube-apiserver stores it: fidelity probe
    // vm-runstrategy-free-string); KubeVirt's webhook is what refuses it.
    [
      'a runStrategy outside its enum',
      { runStrategy: 'Sometimes' },
      'Invalid RunStrategy (Sometimes)',
      'spec.runStrategy',
    ],
  ])('refuses %s with its own message', async (_what, spec, message, field) => {
    const err = await apiError(t.custom.createNamespacedCustomObject({ ...vms, body: vm('refused', spec) }));
    expect(err.code).toBe(422);
    expect(err.body).toMatchObject({ reason: 'Invalid', message: `${KUBEVIRT}${message}` });
    expect(err.body.details?.causes).toEqual([{ reason: 'FieldValueInvalid', message, field }]);
  });

  it('refuses an update that adds running to a VM with a runStrategy, and takes runStrategy alone', async () => {
    await t.custom.createNamespacedCustomObject({ ...vms, body: vm('updated', { runStrategy: 'Halted' }) });
    const err = await apiError(
      t.custom.patchNamespacedCustomObject({
        ...vms,
        name: 'updated',
        body: [{ op: 'add', path: '/spec/running', value: false }],
      }),
    );
    expect(err.code).toBe(422);
    expect(err.body.message).toBe(
      `${KUBEVIRT}Running and RunStrategy are mutually exclusive. Note that Running is deprecated, please use RunStrategy instead`,
    );
    const ok = (await t.custom.patchNamespacedCustomObject({
      ...vms,
      name: 'updated',
      body: [{ op: 'replace', path: '/spec/runStrategy', value: 'Manual' }],
    })) as Obj;
    expect(ok.spec?.runStrategy).toBe('Manual');
  });
});

/** An OpenSSH `ssh-rsa` public key line of a fresh RSA key of `bits` bits. */
const sshRsaLine = (bits: number) => {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const jwk = publicKey.export({ format: 'jwk' });
  const field = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  const mpint = (b64url: string) => {
    const raw = Buffer.from(b64url, 'base64url');
    return field(raw[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), raw]) : raw);
  };
  const blob = Buffer.concat([field(Buffer.from('ssh-rsa')), mpint(jwk.e!), mpint(jwk.n!)]);
  return `ssh-rsa ${blob.toString('base64')} user@host`;
};

const withVolumes = (name: string, volumes: unknown[]) => {
  const body = vm(name, { runStrategy: 'Halted' });
  return { ...body, spec: { ...body.spec, template: { spec: { ...body.spec.template.spec, volumes } } } };
};

describe("KubeVirt's cloud-init checks", () => {
  const at = 'spec.template.spec.volumes[0].cloudInitNoCloud';
  it.each([
    [
      'inline user data over 2048 bytes',
      { userData: `#cloud-config\n#${'x'.repeat(2048)}` },
      `${at} userdata exceeds 2048 byte limit. Should use UserDataSecretRef for larger data.`,
    ],
    [
      'base64 user data that decodes to over 2048 bytes',
      { userDataBase64: Buffer.alloc(2049, 'a').toString('base64') },
      `${at} userdata exceeds 2048 byte limit. Should use UserDataSecretRef for larger data.`,
    ],
    [
      'two user data sources',
      { userData: '#cloud-config\n', secretRef: { name: 'ci' } },
      `${at} must have only one userdatasource set.`,
    ],
    ['no source at all', {}, `${at} must have at least one userdatasource or one networkdatasource set.`],
  ])('refuses %s with its own message', async (_what, source, message) => {
    const body = withVolumes('cloud-init-refused', [{ name: 'cloudinitdisk', cloudInitNoCloud: source }]);
    const err = await apiError(t.custom.createNamespacedCustomObject({ ...vms, body }));
    expect(err.code).toBe(422);
    expect(err.body).toMatchObject({ reason: 'Invalid', message: `${KUBEVIRT}${message}` });
    expect(err.body.details?.causes).toEqual([{ reason: 'FieldValueInvalid', message, field: at }]);
  });

  it('counts bytes, not characters: takes 2048 bytes inline and refuses 2049', async () => {
    const inline = (name: string, accents: number) =>
      withVolumes(name, [
        { name: 'cloudinitdisk', cloudInitNoCloud: { userData: `#cloud-config\n#${'é'.repeat(accents)}x` } },
      ]);
    expect(Buffer.byteLength(`#cloud-config\n#${'é'.repeat(1016)}x`)).toBe(2048);
    await t.custom.createNamespacedCustomObject({ ...vms, body: inline('cloud-init-2048', 1016) });
    const err = await apiError(
      t.custom.createNamespacedCustomObject({ ...vms, body: inline('cloud-init-2049', 1017) }),
    );
    expect(err.code).toBe(422);
  });

  it("takes a droplet's cloud-init from its Secret however large, where inline it would be refused", async () => {
    const droplet: DropletIntent = {
      id: DropletId.parse('dpl_0123456789abcdefghij'),
      projectId: ProjectId.parse('proj_0123456789abcdefghij'),
      name: 'web-1',
      size: 's-1vcpu-1gb',
      image: 'ubuntu-24-04',
      userData: null,
      sshPublicKeys: [sshRsaLine(4096), sshRsaLine(4096), sshRsaLine(4096)],
      volumeIds: [],
      poweredOn: false,
    };
    const [secret, machine] = dropletManifests(droplet) as unknown as [
      { metadata: { name: string }; data: { userdata: string } },
      { spec: { template: { spec: { volumes: unknown[] } } } },
    ];
    const userData = Buffer.from(secret.data.userdata, 'base64').toString();
    expect(Buffer.byteLength(userData)).toBeGreaterThan(2048);
    const place = <T extends object>(o: T) => ({
      ...o,
      metadata: { ...(o as { metadata: object }).metadata, namespace: ns },
    });

    await t.core.createNamespacedSecret({ namespace: ns, body: place(secret) as never });
    const created = (await t.custom.createNamespacedCustomObject({
      ...vms,
      body: place(virtualMachineManifest(droplet)),
    })) as { spec: { template: { spec: { volumes: unknown[] } } } };
    expect(created.spec.template.spec.volumes).toEqual(machine.spec.template.spec.volumes);

    // The same user data inline, as Uncloud wrote it before, is what KubeVirt refuses.
    const inline = withVolumes('dpl-inline', [{ name: 'cloudinitdisk', cloudInitNoCloud: { userData } }]);
    const err = await apiError(t.custom.createNamespacedCustomObject({ ...vms, body: inline }));
    expect(err.body.message).toContain('Should use UserDataSecretRef for larger data.');
  });
});

describe('a running VirtualMachineInstance', () => {
  it('reports no guest OS and no agent connection, as a guest without a guest agent', async () => {
    await t.custom.createNamespacedCustomObject({ ...vms, body: vm('guest', { runStrategy: 'Always' }) });
    const vmi = (await waitFor(async () => {
      const v = (await t.custom.getNamespacedCustomObject({
        ...vms,
        plural: 'virtualmachineinstances',
        name: 'guest',
      })) as Obj;
      return v.status?.phase === 'Running' ? v : undefined;
    })) as Obj;
    expect(vmi.status?.guestOSInfo).toEqual({});
    expect((vmi.status?.conditions ?? []).map((c) => c.type)).not.toContain('AgentConnected');
    expect(vmi.status?.interfaces?.[0]).toMatchObject({
      infoSource: 'domain',
      ipAddress: expect.stringMatching(/^10\.42\./),
    });
  });
});

describe("CloudNativePG's Cluster webhook and status", () => {
  it('refuses a storage size that is not a quantity, and a missing one', async () => {
    const bad = await apiError(
      t.custom.createNamespacedCustomObject({
        ...clusters,
        body: cluster('lots', { storage: { size: 'lots' } }),
      }),
    );
    expect(bad.code).toBe(422);
    expect(bad.body.message).toBe(
      'admission webhook "vcluster.cnpg.io" denied the request: Cluster.postgresql.cnpg.io "lots" is invalid: spec.storage.size: Invalid value: "lots": Size value isn\'t valid',
    );
    expect(bad.body.details?.causes?.[0]).toMatchObject({
      field: 'spec.storage.size',
      reason: 'FieldValueInvalid',
    });
    const missing = await apiError(
      t.custom.createNamespacedCustomObject({ ...clusters, body: cluster('none', {}) }),
    );
    expect(missing.body.message).toBe(
      'admission webhook "vcluster.cnpg.io" denied the request: Cluster.postgresql.cnpg.io "none" is invalid: spec.storage.size: Invalid value: "": Size not configured. Please add it, or a storage request in the pvcTemplate.',
    );
  });

  it('names the group cluster.cnpg.io when it refuses an update, as the operator does', async () => {
    await t.custom.createNamespacedCustomObject({
      ...clusters,
      body: cluster('resized', { storage: { size: '1Gi' } }),
    });
    const err = await apiError(
      t.custom.patchNamespacedCustomObject({
        ...clusters,
        name: 'resized',
        body: [{ op: 'replace', path: '/spec/storage/size', value: 'much' }],
      }),
    );
    expect(err.body.message).toBe(
      'admission webhook "vcluster.cnpg.io" denied the request: Cluster.cluster.cnpg.io "resized" is invalid: spec.storage.size: Invalid value: "much": Size value isn\'t valid',
    );
  });

  it('is not healthy while its volume cannot be created, and becomes healthy once it can', async () => {
    const quotaNs = 'operators-quota';
    await createNamespace(t, quotaNs);
    await t.core.createNamespacedResourceQuota({
      namespace: quotaNs,
      body: { metadata: { name: 'no-volumes' }, spec: { hard: { persistentvolumeclaims: '0' } } },
    });
    const api = { ...clusters, namespace: quotaNs };
    await t.custom.createNamespacedCustomObject({
      ...api,
      body: cluster('db', { storage: { size: '1Gi' } }),
    });
    const stuck = (await waitFor(async () => {
      const c = (await t.custom.getNamespacedCustomObject({ ...api, name: 'db' })) as Obj;
      return c.status?.phase ? c : undefined;
    })) as Obj;
    expect(stuck.status).toMatchObject({ phase: 'Setting up primary', instances: 0, readyInstances: 0 });
    expect(stuck.status?.conditions?.[0]).toMatchObject({
      type: 'Ready',
      status: 'False',
      reason: 'ClusterIsNotReady',
    });
    await t.core.deleteNamespacedResourceQuota({ name: 'no-volumes', namespace: quotaNs });
    const healthy = (await waitFor(async () => {
      const c = (await t.custom.getNamespacedCustomObject({ ...api, name: 'db' })) as Obj;
      return c.status?.phase === 'Cluster in healthy state' ? c : undefined;
    })) as Obj;
    expect(healthy.status).toMatchObject({ instances: 1, readyInstances: 1 });
  });
});
