// A droplet's disk is a disk: what its guest writes survives power off/on and reboot, a rebuild
// gives it a fresh one, a snapshot keeps a copy that a restore puts back (visible in the objects)
// and that a new droplet can start from; volumes are snapshotted and restored into new volumes and
// say where they are mounted. Through the API, on the simulated cluster, whose guests keep what
// they write on the volume their boot disk is bound to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import { type KindName, type KubeObject, namespaceName, objectName } from '@uncloud/kube';
import type { Action, DropletId, ProjectId, UncloudClient } from '@uncloud/sdk';
import { failure } from './errors.ts';

let stack: Stack;
let c: UncloudClient;
let projectId: ProjectId;
let namespace: string;

beforeAll(async () => {
  stack = await startStack();
  c = stack.client;
  projectId = (await c.projects.create.mutate({ name: 'disks', description: '' })).id;
  namespace = namespaceName(projectId);
});
afterAll(() => stack?.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = KubeObject & Record<string, any>;
const object = (kind: KindName, name: string) =>
  stack.kube!.get(kind, namespace, name) as Promise<Loose | null>;
const done = async (action: Action | Promise<Action>) =>
  expect((await c.waitForAction(await action, { timeoutMs: 20_000, intervalMs: 50 })).status).toBe(
    'completed',
  );
const settled = (id: DropletId, state: 'active' | 'stopped') =>
  c.waitFor(c.droplets, { projectId, id }, state, { timeoutMs: 20_000, intervalMs: 50 });
const guest = {
  write: (id: DropletId, path: string, text: string) =>
    stack.sim!.guest.write(namespace, objectName(id), path, text),
  read: (id: DropletId, path: string) => stack.sim!.guest.read(namespace, objectName(id), path),
};

const newDroplet = async (name: string, extra: { size?: 's-1vcpu-1gb' | 's-2vcpu-4gb' } = {}) => {
  const droplet = await c.droplets.create.mutate({
    projectId,
    name,
    size: extra.size ?? 's-1vcpu-1gb',
    image: 'ubuntu-24-04',
  });
  await settled(droplet.id, 'active');
  return droplet;
};

describe("a droplet's root disk", () => {
  it('is a DataVolume of its size, imported from its image, that the VM boots from', async () => {
    const droplet = await newDroplet('rooted', { size: 's-2vcpu-4gb' });
    const vm = (await object('VirtualMachine', objectName(droplet.id)))!;
    expect(vm.spec.template.spec.volumes[0]).toEqual({
      name: 'rootdisk',
      dataVolume: { name: `${objectName(droplet.id)}-root` },
    });
    const disk = (await object('DataVolume', `${objectName(droplet.id)}-root`))!;
    expect(disk.status.phase).toBe('Succeeded');
    expect(disk.spec.source).toEqual({ registry: { url: 'docker://quay.io/containerdisks/ubuntu:24.04' } });
    const claim = (await object('PersistentVolumeClaim', `${objectName(droplet.id)}-root`))!;
    expect(claim.status.phase).toBe('Bound');
    expect(claim.status.capacity.storage).toBe('80Gi');
  });

  it('keeps what the droplet wrote across power off/on and reboot', async () => {
    const droplet = await newDroplet('keeper');
    guest.write(droplet.id, '/root/marker', 'written before the power cycle');
    await done(c.droplets.powerOff.mutate({ projectId, id: droplet.id }));
    await done(c.droplets.powerOn.mutate({ projectId, id: droplet.id }));
    expect(guest.read(droplet.id, '/root/marker')).toBe('written before the power cycle');
    await done(c.droplets.reboot.mutate({ projectId, id: droplet.id }));
    expect(guest.read(droplet.id, '/root/marker')).toBe('written before the power cycle');
  });

  it('is replaced by a fresh disk on rebuild, and deleted with the droplet', async () => {
    const droplet = await newDroplet('rebuilt');
    guest.write(droplet.id, '/root/marker', 'old disk');
    await done(c.droplets.rebuild.mutate({ projectId, id: droplet.id, image: 'debian-12' }));
    expect(guest.read(droplet.id, '/root/marker')).toBeUndefined();
    const vm = (await object('VirtualMachine', objectName(droplet.id)))!;
    const disk = vm.spec.dataVolumeTemplates[0].metadata.name as string;
    expect(disk).not.toBe(`${objectName(droplet.id)}-root`);
    expect(await object('DataVolume', `${objectName(droplet.id)}-root`)).toBeNull();

    await c.droplets.delete.mutate({ projectId, id: droplet.id });
    await c.waitFor(c.droplets, { projectId, id: droplet.id }, 'gone', { timeoutMs: 20_000, intervalMs: 50 });
    await expect.poll(() => object('DataVolume', disk), { timeout: 10_000 }).toBeNull();
    await expect.poll(() => object('PersistentVolumeClaim', disk), { timeout: 10_000 }).toBeNull();
  });

  it('grows with a resize to a size with a larger disk', async () => {
    const droplet = await newDroplet('grown');
    await done(c.droplets.powerOff.mutate({ projectId, id: droplet.id }));
    await done(c.droplets.resize.mutate({ projectId, id: droplet.id, size: 's-2vcpu-4gb' }));
    const claim = (await object('PersistentVolumeClaim', `${objectName(droplet.id)}-root`))!;
    expect(claim.spec.resources.requests.storage).toBe('80Gi');
    expect(claim.status.capacity.storage).toBe('80Gi');
  });
});

describe('droplet snapshots', () => {
  it('are listed and got; a restore puts the disk back, visibly in the objects; a new droplet starts from one', async () => {
    const droplet = await newDroplet('restorable');
    guest.write(droplet.id, '/etc/motd', 'at snapshot time');
    const taking = await c.droplets.snapshot.mutate({ projectId, id: droplet.id, name: 'restorable-1' });
    await done(taking);
    const snapshotId = taking.params.snapshotId as never;
    const snapshot = await c.snapshots.get.query({ projectId, id: snapshotId });
    expect(snapshot).toMatchObject({
      name: 'restorable-1',
      resourceKind: 'droplet',
      resourceId: droplet.id,
      resourceName: 'restorable',
      sizeGiB: 25,
      dropletSize: 's-1vcpu-1gb',
      image: 'ubuntu-24-04',
      state: 'active',
    });
    expect(snapshot.id).toMatch(/^snap_/);
    const listed = await c.snapshots.list.query({ projectId, resourceId: droplet.id });
    expect(listed.items.map((s) => s.id)).toEqual([snapshotId]);
    guest.write(droplet.id, '/etc/motd', 'after the snapshot');

    // Restoring a running droplet is refused with what to do.
    const running = await failure(c.droplets.restore.mutate({ projectId, id: droplet.id, snapshotId }));
    expect(running.data).toMatchObject({ code: 'CONFLICT' });
    expect(running.message).toContain('power it off');

    await done(c.droplets.powerOff.mutate({ projectId, id: droplet.id }));
    const restore = await c.droplets.restore.mutate({ projectId, id: droplet.id, snapshotId });
    await done(restore);
    const made = (await object('VirtualMachineRestore', `restore-${objectName(restore.id)}`))!;
    expect(made.spec).toEqual({
      target: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: objectName(droplet.id) },
      virtualMachineSnapshotName: objectName(snapshotId),
    });
    expect(made.status.complete).toBe(true);
    const restoredDisk = `restore-${made.metadata.uid}-rootdisk`;
    const vm = (await object('VirtualMachine', objectName(droplet.id)))!;
    expect(vm.spec.template.spec.volumes[0]).toEqual({
      name: 'rootdisk',
      dataVolume: { name: restoredDisk },
    });
    expect(await object('DataVolume', `${objectName(droplet.id)}-root`)).toBeNull();
    expect(await c.droplets.get.query({ projectId, id: droplet.id })).toMatchObject({
      rootDiskSnapshotId: snapshotId,
      state: 'stopped',
    });
    await done(c.droplets.powerOn.mutate({ projectId, id: droplet.id }));
    expect(guest.read(droplet.id, '/etc/motd')).toBe('at snapshot time');

    // A new droplet from the snapshot: its own copy of the disk, at least the snapshot's size.
    const small = await failure(
      c.droplets.create.mutate({ projectId, name: 'tiny', size: 's-1vcpu-512mb-10gb', snapshotId }),
    );
    expect(small.data).toMatchObject({ code: 'BAD_REQUEST', field: 'size' });
    const copy = await c.droplets.create.mutate({ projectId, name: 'copy', size: 's-1vcpu-1gb', snapshotId });
    expect(copy).toMatchObject({ image: 'ubuntu-24-04', rootDiskSnapshotId: snapshotId });
    await settled(copy.id, 'active');
    expect(guest.read(copy.id, '/etc/motd')).toBe('at snapshot time');
    guest.write(copy.id, '/etc/motd', 'the copy’s own');
    expect(guest.read(droplet.id, '/etc/motd')).toBe('at snapshot time');

    // Deleting the snapshot deletes its objects; the droplets made from it keep their disks.
    await c.snapshots.delete.mutate({ projectId, id: snapshotId });
    await c.waitFor(c.snapshots, { projectId, id: snapshotId }, 'gone', {
      timeoutMs: 20_000,
      intervalMs: 50,
    });
    expect(await object('VirtualMachineSnapshot', objectName(snapshotId))).toBeNull();
    expect(guest.read(copy.id, '/etc/motd')).toBe('the copy’s own');
  });

  it('rebuilds a droplet from a snapshot of another', async () => {
    const source = await newDroplet('golden');
    guest.write(source.id, '/opt/app', 'golden image');
    const taking = await c.droplets.snapshot.mutate({ projectId, id: source.id, name: 'golden-1' });
    await done(taking);
    const target = await newDroplet('from-golden');
    await done(
      c.droplets.rebuild.mutate({ projectId, id: target.id, snapshotId: taking.params.snapshotId as never }),
    );
    expect(guest.read(target.id, '/opt/app')).toBe('golden image');
  });
});

describe('volume snapshots and mounts', () => {
  it('says where an attached volume is mounted, snapshots it, and restores the snapshot into a new volume', async () => {
    const droplet = await newDroplet('with-volume');
    const volume = await c.volumes.create.mutate({
      projectId,
      name: 'pgdata',
      sizeGiB: 10,
      filesystem: 'xfs',
    });
    expect(volume.mountPath).toBeNull();
    await done(c.volumes.attach.mutate({ projectId, id: volume.id, dropletId: droplet.id }));
    expect((await c.volumes.get.query({ projectId, id: volume.id })).mountPath).toBe('/mnt/pgdata');
    const secret = (await object('Secret', `${objectName(droplet.id)}-cloud-init`))!;
    const userData = Buffer.from(secret.data.userdata as string, 'base64').toString();
    expect(userData).toContain(`/dev/disk/by-id/virtio-${volume.id.slice(4)}`);
    expect(userData).toContain('/mnt/pgdata xfs defaults,nofail');

    const snapshot = await c.volumes.snapshot.mutate({ projectId, id: volume.id, name: 'pgdata-1' });
    expect(snapshot).toMatchObject({ resourceKind: 'volume', sizeGiB: 10, filesystem: 'xfs' });
    await c.waitFor(c.snapshots, { projectId, id: snapshot.id }, 'active', {
      timeoutMs: 20_000,
      intervalMs: 50,
    });
    const vs = (await object('VolumeSnapshot', objectName(snapshot.id)))!;
    expect(vs.spec.source).toEqual({ persistentVolumeClaimName: objectName(volume.id) });
    expect(vs.status.readyToUse).toBe(true);

    const tooSmall = await failure(
      c.volumes.create.mutate({ projectId, name: 'small', sizeGiB: 5, snapshotId: snapshot.id }),
    );
    expect(tooSmall.data).toMatchObject({ code: 'BAD_REQUEST', field: 'sizeGiB' });
    const restored = await c.volumes.create.mutate({
      projectId,
      name: 'pgdata-copy',
      sizeGiB: 20,
      snapshotId: snapshot.id,
    });
    expect(restored).toMatchObject({ filesystem: 'xfs', snapshotId: snapshot.id });
    await c.waitFor(c.volumes, { projectId, id: restored.id }, 'active', {
      timeoutMs: 20_000,
      intervalMs: 50,
    });
    const claim = (await object('PersistentVolumeClaim', objectName(restored.id)))!;
    expect(claim.spec.dataSource).toEqual({
      apiGroup: 'snapshot.storage.k8s.io',
      kind: 'VolumeSnapshot',
      name: objectName(snapshot.id),
    });

    await done(c.volumes.detach.mutate({ projectId, id: volume.id }));
    expect((await c.volumes.get.query({ projectId, id: volume.id })).mountPath).toBeNull();
    const after = (await object('Secret', `${objectName(droplet.id)}-cloud-init`))!;
    expect(Buffer.from(after.data.userdata as string, 'base64').toString()).not.toContain('/mnt/pgdata');
  });

  it('holds snapshots to the project’s storage limit', async () => {
    await c.quotas.update.mutate({ projectId, volumeGiB: 1000 });
    const volume = await c.volumes.create.mutate({ projectId, name: 'big', sizeGiB: 600 });
    await c.volumes.snapshot.mutate({ projectId, id: volume.id, name: 'big-1' });
    const over = await failure(c.volumes.snapshot.mutate({ projectId, id: volume.id, name: 'big-2' }));
    expect(over.data).toMatchObject({ code: 'QUOTA_EXCEEDED' });
    expect(over.message).toContain('snapshots');
  });
});

describe('custom images', () => {
  const digest = `sha256:${'c'.repeat(64)}`;

  it('are added by administrators, pinned, listed beside the stock images, and boot droplets', async () => {
    const pinned = `docker://registry.example.com/images/alpine@${digest}`;
    const unpinned = await failure(
      c.images.create.mutate({
        slug: 'alpine-3-21',
        distribution: 'Alpine',
        version: '3.21',
        sourceType: 'registry',
        url: 'docker://registry.example.com/images/alpine:3.21',
      }),
    );
    expect(unpinned.data).toMatchObject({ code: 'BAD_REQUEST', field: 'url' });
    expect(unpinned.message).toContain('pinned by digest');
    const noChecksum = await failure(
      c.images.create.mutate({
        slug: 'arch',
        distribution: 'Arch',
        version: '2025',
        sourceType: 'http',
        url: 'https://images.example.com/arch.qcow2',
      }),
    );
    expect(noChecksum.data).toMatchObject({ code: 'BAD_REQUEST', field: 'checksum' });
    const stockSlug = await failure(
      c.images.create.mutate({
        slug: 'debian-12',
        distribution: 'D',
        version: '1',
        sourceType: 'registry',
        url: pinned,
      }),
    );
    expect(stockSlug.data).toMatchObject({ code: 'CONFLICT', field: 'slug' });

    const image = await c.images.create.mutate({
      slug: 'alpine-3-21',
      distribution: 'Alpine',
      version: '3.21',
      sourceType: 'registry',
      url: pinned,
    });
    expect(image).toMatchObject({ slug: 'alpine-3-21', custom: true, checksum: null });
    const http = await c.images.create.mutate({
      slug: 'arch',
      distribution: 'Arch',
      version: '2025',
      sourceType: 'http',
      url: 'https://images.example.com/arch.qcow2',
      checksum: digest,
    });
    const listed = await c.images.list.query();
    expect(listed.map((i) => i.slug)).toEqual(
      expect.arrayContaining(['ubuntu-24-04', 'alpine-3-21', 'arch']),
    );
    expect(listed.find((i) => i.slug === 'ubuntu-24-04')?.custom).toBe(false);

    // Only administrators change the catalogue.
    const { user, token } = await c.users.create.mutate({ name: 'image-user' });
    await c.projects.addMember.mutate({ projectId, userId: user.id, role: 'member' });
    const member = stack.clientWith(token.token);
    expect((await failure(member.images.delete.mutate({ slug: 'arch' }))).data).toMatchObject({
      code: 'FORBIDDEN',
    });

    const droplet = await member.droplets.create.mutate({
      projectId,
      name: 'alpine',
      size: 's-1vcpu-1gb',
      image: 'alpine-3-21',
    });
    await settled(droplet.id, 'active');
    const disk = (await object('DataVolume', `${objectName(droplet.id)}-root`))!;
    expect(disk.spec.source).toEqual({ registry: { url: pinned } });
    await done(c.droplets.rebuild.mutate({ projectId, id: droplet.id, image: 'arch' }));
    const vm = (await object('VirtualMachine', objectName(droplet.id)))!;
    expect(vm.spec.dataVolumeTemplates[0].spec.source).toEqual({
      http: { url: 'https://images.example.com/arch.qcow2' },
    });
    expect(vm.spec.dataVolumeTemplates[0].metadata.annotations).toEqual({
      'uncloud.dev/image-checksum': http.checksum,
    });

    const unknown = await failure(
      c.droplets.create.mutate({ projectId, name: 'nowhere', size: 's-1vcpu-1gb', image: 'no-such-image' }),
    );
    expect(unknown.data).toMatchObject({ code: 'BAD_REQUEST', field: 'image' });
    const inUse = await failure(c.images.delete.mutate({ slug: 'arch' }));
    expect(inUse.data).toMatchObject({ code: 'CONFLICT', field: 'slug' });
    expect(inUse.message).toContain('1 droplet');
    expect(await c.images.delete.mutate({ slug: 'alpine-3-21' })).toMatchObject({ slug: 'alpine-3-21' });
    expect((await c.images.list.query()).map((i) => i.slug)).not.toContain('alpine-3-21');
  });
});
