// CDI DataVolumes, CSI VolumeSnapshots and KubeVirt snapshots/restores in the simulated cluster, and
// the identity of what a guest writes on its disk: it survives power cycles, not a new disk, and a
// restore brings back what the snapshot held.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredObject } from '../src/types.ts';
import { createNamespace, startSim, waitFor, type TestCluster } from './helpers.ts';

let t: TestCluster;
const ns = 'disks';
beforeAll(async () => {
  t = await startSim({ controllerDelayMs: 2 });
  await createNamespace(t, ns);
});
afterAll(() => t?.stop());

type Obj = {
  metadata: { name: string; uid: string; ownerReferences?: { kind: string; name: string }[] };
  // What the tests read of these objects, loosely: they assert on shapes with toMatchObject.
  spec?: StoredObject['spec'];
  status?: StoredObject['status'];
};

const api = (group: string, version: string, plural: string) => ({ group, version, plural, namespace: ns });
const dvs = api('cdi.kubevirt.io', 'v1beta1', 'datavolumes');
const vms = api('kubevirt.io', 'v1', 'virtualmachines');
const vmSnapshots = api('snapshot.kubevirt.io', 'v1beta1', 'virtualmachinesnapshots');
const vmRestores = api('snapshot.kubevirt.io', 'v1beta1', 'virtualmachinerestores');
const volumeSnapshots = api('snapshot.storage.k8s.io', 'v1', 'volumesnapshots');

const get = (a: ReturnType<typeof api>, name: string) =>
  t.custom.getNamespacedCustomObject({ ...a, name }).then((o) => o as Obj);
const tryGet = (a: ReturnType<typeof api>, name: string) => get(a, name).catch(() => undefined);
const create = (a: ReturnType<typeof api>, body: object) =>
  t.custom.createNamespacedCustomObject({ ...a, body });
const patch = (a: ReturnType<typeof api>, name: string, body: object) =>
  t.custom.patchNamespacedCustomObject({ ...a, name, body });

const vm = (name: string, disk: string) => ({
  apiVersion: 'kubevirt.io/v1',
  kind: 'VirtualMachine',
  metadata: { name },
  spec: {
    runStrategy: 'Always',
    dataVolumeTemplates: [
      {
        metadata: { name: disk },
        spec: {
          source: { registry: { url: 'docker://quay.io/containerdisks/debian@sha256:' + 'a'.repeat(64) } },
          storage: { resources: { requests: { storage: '10Gi' } } },
        },
      },
    ],
    template: {
      spec: {
        domain: {
          devices: { disks: [{ name: 'rootdisk', disk: { bus: 'virtio' } }] },
          memory: { guest: '512Mi' },
        },
        volumes: [{ name: 'rootdisk', dataVolume: { name: disk } }],
      },
    },
  },
});

const running = (name: string) =>
  waitFor(async () => (await get(vms, name)).status?.printableStatus === 'Running', { timeout: 10_000 });
const stopped = (name: string) =>
  waitFor(async () => (await get(vms, name)).status?.printableStatus === 'Stopped', { timeout: 10_000 });
const setRunStrategy = (name: string, runStrategy: string) =>
  patch(vms, name, [{ op: 'replace', path: '/spec/runStrategy', value: runStrategy }]);

describe('CDI DataVolumes', () => {
  it('imports into a bound claim of its own name and size through ImportScheduled and ImportInProgress to Succeeded', async () => {
    const phases = new Set<string>();
    await create(dvs, {
      apiVersion: 'cdi.kubevirt.io/v1beta1',
      kind: 'DataVolume',
      metadata: { name: 'img' },
      spec: {
        source: { http: { url: 'https://example.com/debian.qcow2', checksum: 'sha256:' + 'b'.repeat(64) } },
        storage: { resources: { requests: { storage: '7Gi' } } },
      },
    });
    const done = await waitFor(
      async () => {
        const dv = await get(dvs, 'img');
        if (dv.status?.phase) phases.add(`${dv.status.phase}`);
        return dv.status?.phase === 'Succeeded' ? dv : undefined;
      },
      { interval: 1 },
    );
    expect(done.status).toMatchObject({ progress: '100.0%', claimName: 'img' });
    expect(done.status?.conditions.find((c: { type: string }) => c.type === 'Ready').status).toBe('True');
    expect([...phases]).toContain('Succeeded');
    const pvc = await t.core.readNamespacedPersistentVolumeClaim({ name: 'img', namespace: ns });
    expect(pvc.status?.phase).toBe('Bound');
    expect(pvc.spec?.resources?.requests?.storage).toBe('7Gi');
    expect(pvc.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'DataVolume', name: 'img' });
    // Unknown fields are refused as the real CRD's structural schema does.
    await expect(
      create(dvs, {
        apiVersion: 'cdi.kubevirt.io/v1beta1',
        kind: 'DataVolume',
        metadata: { name: 'bad' },
        spec: { source: { http: {} }, storage: {} },
      }),
    ).rejects.toThrow(/url/);
  });
});

describe('a VM on a DataVolume root disk', () => {
  it('waits in Provisioning for its disk, runs, and keeps what the guest wrote across power off/on and restart', async () => {
    await create(vms, vm('keep', 'keep-root'));
    const seen = new Set<string>();
    await waitFor(
      async () => {
        const status = (await get(vms, 'keep')).status?.printableStatus;
        if (status) seen.add(status);
        return status === 'Running';
      },
      { interval: 1, timeout: 10_000 },
    );
    expect(seen).toContain('Provisioning');
    const dv = await get(dvs, 'keep-root');
    expect(dv.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'VirtualMachine', name: 'keep' });

    t.sim.guest.write(ns, 'keep', '/root/marker', 'written before the power cycle');
    await setRunStrategy('keep', 'Halted');
    await stopped('keep');
    expect(() => t.sim.guest.read(ns, 'keep', '/root/marker')).toThrow(/not running/);
    await setRunStrategy('keep', 'Always');
    await running('keep');
    expect(t.sim.guest.read(ns, 'keep', '/root/marker')).toBe('written before the power cycle');

    const before = (await t.custom.getNamespacedCustomObject({
      ...api('kubevirt.io', 'v1', 'virtualmachineinstances'),
      name: 'keep',
    })) as Obj;
    await t.request(`/apis/subresources.kubevirt.io/v1/namespaces/${ns}/virtualmachines/keep/restart`, {
      method: 'PUT',
    });
    await waitFor(
      async () => {
        const vmi = (await t.custom
          .getNamespacedCustomObject({ ...api('kubevirt.io', 'v1', 'virtualmachineinstances'), name: 'keep' })
          .catch(() => undefined)) as Obj | undefined;
        return vmi && vmi.metadata.uid !== before.metadata.uid && vmi.status?.phase === 'Running';
      },
      { timeout: 10_000 },
    );
    expect(t.sim.guest.read(ns, 'keep', '/root/marker')).toBe('written before the power cycle');
  });

  it('lets a test in another process write and read the guest through the control API', async () => {
    const call = (action: string, body: object) =>
      fetch(`${t.info.httpUrl}/_sim/guest/${action}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.info.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const ok = await call('write', { namespace: ns, vm: 'keep', path: '/tmp/over-http', text: 'hello' });
    expect(ok.status).toBe(200);
    const read = await call('read', { namespace: ns, vm: 'keep', path: '/tmp/over-http' });
    expect(await read.json()).toMatchObject({ text: 'hello' });
    const stopped = await call('read', { namespace: ns, vm: 'nothing-here', path: '/x' });
    expect(stopped.status).toBe(400);
  });

  it('gives a replaced root disk (a rebuild) a fresh volume, and deleting the VM deletes its disk', async () => {
    await setRunStrategy('keep', 'Halted');
    await stopped('keep');
    const next = vm('keep', 'keep-root-2');
    await patch(vms, 'keep', [
      { op: 'replace', path: '/spec/dataVolumeTemplates', value: next.spec.dataVolumeTemplates },
      { op: 'replace', path: '/spec/template/spec/volumes', value: next.spec.template.spec.volumes },
      { op: 'replace', path: '/spec/runStrategy', value: 'Always' },
    ]);
    await running('keep');
    expect(t.sim.guest.read(ns, 'keep', '/root/marker')).toBeUndefined();

    await t.custom.deleteNamespacedCustomObject({ ...vms, name: 'keep' });
    await waitFor(async () => !(await tryGet(dvs, 'keep-root-2')), { timeout: 10_000 });
    await waitFor(
      async () =>
        !(await t.core
          .readNamespacedPersistentVolumeClaim({ name: 'keep-root-2', namespace: ns })
          .catch(() => undefined)),
      { timeout: 10_000 },
    );
  });
});

describe('snapshots', () => {
  it('leaves out of a VM snapshot the disks whose storage has no VolumeSnapshotClass', async () => {
    await create(vms, vm('noclass', 'noclass-root'));
    await running('noclass');
    const classes = { group: 'snapshot.storage.k8s.io', version: 'v1', plural: 'volumesnapshotclasses' };
    const klass = await t.custom.getClusterCustomObject({ ...classes, name: 'local-path-snapshots' });
    await t.custom.deleteClusterCustomObject({ ...classes, name: 'local-path-snapshots' });
    try {
      await create(vmSnapshots, {
        apiVersion: 'snapshot.kubevirt.io/v1beta1',
        kind: 'VirtualMachineSnapshot',
        metadata: { name: 'noclass-1' },
        spec: { source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'noclass' } },
      });
      const snap = await waitFor(async () => {
        const s = await get(vmSnapshots, 'noclass-1');
        return s.status?.readyToUse === true ? s : undefined;
      });
      expect(snap.status?.snapshotVolumes).toEqual({ includedVolumes: [], excludedVolumes: ['rootdisk'] });
    } finally {
      const { metadata, ...rest } = klass as { metadata: { name: string; annotations?: object } };
      await t.custom.createClusterCustomObject({
        ...classes,
        body: { ...rest, metadata: { name: metadata.name, annotations: metadata.annotations } },
      });
    }
  });

  it('takes a CSI VolumeSnapshot of a claim, and a claim restored from it starts with its contents', async () => {
    await create(vms, vm('vol', 'vol-root'));
    await running('vol');
    t.sim.guest.write(ns, 'vol', '/etc/motd', 'at snapshot time');
    await create(volumeSnapshots, {
      apiVersion: 'snapshot.storage.k8s.io/v1',
      kind: 'VolumeSnapshot',
      metadata: { name: 'vol-snap' },
      spec: { source: { persistentVolumeClaimName: 'vol-root' } },
    });
    const vs = await waitFor(async () => {
      const s = await get(volumeSnapshots, 'vol-snap');
      return s.status?.readyToUse === true ? s : undefined;
    });
    expect(vs.status).toMatchObject({
      restoreSize: '10Gi',
      boundVolumeSnapshotContentName: `snapcontent-${vs.metadata.uid}`,
    });
    t.sim.guest.write(ns, 'vol', '/etc/motd', 'after the snapshot');

    // A new VM whose disk is cloned from the snapshot (a DataVolume with a snapshot source).
    const copy = vm('copy', 'copy-root');
    copy.spec.dataVolumeTemplates[0]!.spec.source = {
      snapshot: { namespace: ns, name: 'vol-snap' },
    } as never;
    await create(vms, copy);
    await running('copy');
    expect((await get(dvs, 'copy-root')).status?.phase).toBe('Succeeded');
    expect(t.sim.guest.read(ns, 'copy', '/etc/motd')).toBe('at snapshot time');
    expect(t.sim.guest.read(ns, 'vol', '/etc/motd')).toBe('after the snapshot');

    // A plain claim restored from it (dataSource).
    await t.core.createNamespacedPersistentVolumeClaim({
      namespace: ns,
      body: {
        metadata: { name: 'restored' },
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '10Gi' } },
          dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'vol-snap' },
        },
      },
    });
    await waitFor(
      async () =>
        (await t.core.readNamespacedPersistentVolumeClaim({ name: 'restored', namespace: ns })).status
          ?.phase === 'Bound',
    );
  });

  it('snapshots a VM through VolumeSnapshots of its disks, and a restore puts the snapshot’s disk back', async () => {
    await create(vmSnapshots, {
      apiVersion: 'snapshot.kubevirt.io/v1beta1',
      kind: 'VirtualMachineSnapshot',
      metadata: { name: 'vol-1' },
      spec: { source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'vol' } },
    });
    const snap = await waitFor(async () => {
      const s = await get(vmSnapshots, 'vol-1');
      return s.status?.readyToUse === true ? s : undefined;
    });
    expect(snap.status).toMatchObject({
      phase: 'Succeeded',
      snapshotVolumes: { includedVolumes: ['rootdisk'], excludedVolumes: [] },
      virtualMachineSnapshotContentName: `vmsnapshot-content-${snap.metadata.uid}`,
    });
    t.sim.guest.write(ns, 'vol', '/etc/motd', 'after the VM snapshot');

    await create(vmRestores, {
      apiVersion: 'snapshot.kubevirt.io/v1beta1',
      kind: 'VirtualMachineRestore',
      metadata: { name: 'back' },
      spec: {
        target: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'vol' },
        virtualMachineSnapshotName: 'vol-1',
      },
    });
    // A running target holds the restore back.
    await waitFor(async () => (await get(vmRestores, 'back')).status?.complete === false);
    await setRunStrategy('vol', 'Halted');
    const restore = await waitFor(
      async () => {
        const r = await get(vmRestores, 'back');
        return r.status?.complete === true ? r : undefined;
      },
      { timeout: 10_000 },
    );
    const restoredName = `restore-${restore.metadata.uid}-rootdisk`;
    expect(restore.status).toMatchObject({
      restores: [
        { volumeName: 'rootdisk', persistentVolumeClaim: restoredName, dataVolumeName: restoredName },
      ],
      deletedDataVolumes: ['vol-root'],
    });
    const target = await get(vms, 'vol');
    expect(target.spec?.template.spec.volumes[0]).toEqual({
      name: 'rootdisk',
      dataVolume: { name: restoredName },
    });
    await setRunStrategy('vol', 'Always');
    await running('vol');
    expect(t.sim.guest.read(ns, 'vol', '/etc/motd')).toBe('after the snapshot');
  });
});
