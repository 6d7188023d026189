import { describe, expect, it } from 'vitest';
import { newId } from '@uncloud/db';
import type { KubeObject } from '@uncloud/kube';
import { dropletReconciler } from './droplet.ts';
import { dropletRow, fakeLookup, ids, settings } from '../test-support/rows.ts';

const vm = (status: Record<string, unknown>): KubeObject => ({
  apiVersion: 'kubevirt.io/v1',
  kind: 'VirtualMachine',
  metadata: { name: 'dpl-bbbbbbbbbbbbbbbbbbbb' },
  status,
});
const vmi = (status: Record<string, unknown>): KubeObject => ({
  apiVersion: 'kubevirt.io/v1',
  kind: 'VirtualMachineInstance',
  metadata: { name: 'dpl-bbbbbbbbbbbbbbbbbbbb' },
  status,
});

describe('droplet desired', () => {
  it('waits for the project namespace', () => {
    expect(dropletReconciler.desired(fakeLookup({ namespaceReady: false }), dropletRow(), settings)).toEqual({
      waitingFor: "the project's namespace",
    });
  });

  it('is a cloud-init Secret and a VirtualMachine sized, keyed and with the attached volumes of intent', () => {
    const lookup = fakeLookup({
      keys: { [ids.sshKey]: 'ssh-ed25519 AAAA alice' },
      volumes: { [ids.droplet]: [ids.volume] },
    });
    const row = dropletRow({ sshKeyIds: [ids.sshKey, newId('sshKey')], size: 's-2vcpu-4gb' });
    const desired = dropletReconciler.desired(lookup, row, settings);
    // Its public address (Service, admitting policy) is covered in droplet-address.test.ts.
    const [secret, object] = ('objects' in desired ? desired.objects : []).filter(
      (o) => o.kind === 'Secret' || o.kind === 'VirtualMachine',
    );
    expect([secret?.kind, object?.kind]).toEqual(['Secret', 'VirtualMachine']);
    expect(secret).toMatchObject({
      kind: 'Secret',
      metadata: {
        name: 'dpl-bbbbbbbbbbbbbbbbbbbb-cloud-init',
        namespace: 'uc-proj-aaaaaaaaaaaaaaaaaaaa',
        labels: { 'uncloud.dev/kind': 'droplet', 'uncloud.dev/resource-id': row.id },
      },
    });
    const userData = Buffer.from((secret!.data as { userdata: string }).userdata, 'base64').toString();
    expect(userData).toContain('ssh-ed25519 AAAA alice');
    expect(object).toMatchObject({
      kind: 'VirtualMachine',
      metadata: { name: 'dpl-bbbbbbbbbbbbbbbbbbbb', namespace: 'uc-proj-aaaaaaaaaaaaaaaaaaaa' },
      spec: {
        runStrategy: 'Always',
        template: {
          spec: {
            domain: { cpu: { cores: 2 }, memory: { guest: '4096Mi' } },
            volumes: [
              { name: 'rootdisk' },
              {
                name: 'cloudinitdisk',
                cloudInitNoCloud: { secretRef: { name: 'dpl-bbbbbbbbbbbbbbbbbbbb-cloud-init' } },
              },
              {
                name: 'vol-cccccccccccccccccccc',
                persistentVolumeClaim: { claimName: 'vol-cccccccccccccccccccc' },
              },
            ],
          },
        },
      },
    });
    // Keys that no longer exist are left out, not written as undefined.
    expect(userData).not.toContain('undefined');
    expect(JSON.stringify(object)).not.toContain('undefined');
  });

  it("boots from a DataVolume of the size's disk on the storage class, named by the root disk intent records", () => {
    const vmOf = (desired: ReturnType<typeof dropletReconciler.desired>) =>
      ('objects' in desired ? desired.objects : []).find((o) => o.kind === 'VirtualMachine');
    expect(
      vmOf(dropletReconciler.desired(fakeLookup(), dropletRow({ size: 's-2vcpu-4gb' }), settings)),
    ).toMatchObject({
      spec: {
        dataVolumeTemplates: [
          {
            metadata: { name: 'dpl-bbbbbbbbbbbbbbbbbbbb-root' },
            spec: {
              source: { registry: { url: 'docker://quay.io/containerdisks/ubuntu:24.04' } },
              storage: { resources: { requests: { storage: '80Gi' } }, storageClassName: 'fast' },
            },
          },
        ],
      },
    });
    const first = vmOf(dropletReconciler.desired(fakeLookup(), dropletRow(), settings)) as unknown as {
      spec: { template: { spec: { volumes: unknown[] } } };
    };
    expect(first.spec.template.spec.volumes[0]).toEqual({
      name: 'rootdisk',
      dataVolume: { name: 'dpl-bbbbbbbbbbbbbbbbbbbb-root' },
    });
    expect(JSON.stringify(first)).not.toContain('containerDisk');
    const rebuilt = dropletRow({
      rootDisk: 'dpl-bbbbbbbbbbbbbbbbbbbb-root-x1y2z',
      rootDiskVolumeSnapshot: 'vmsnapshot-u-volume-rootdisk',
    });
    expect(vmOf(dropletReconciler.desired(fakeLookup(), rebuilt, settings))).toMatchObject({
      spec: {
        dataVolumeTemplates: [
          {
            metadata: { name: 'dpl-bbbbbbbbbbbbbbbbbbbb-root-x1y2z' },
            spec: {
              source: {
                snapshot: { namespace: 'uc-proj-aaaaaaaaaaaaaaaaaaaa', name: 'vmsnapshot-u-volume-rootdisk' },
              },
            },
          },
        ],
      },
    });
  });

  it('mounts each attached volume at /mnt/<name> through cloud-init', () => {
    const lookup = fakeLookup({
      volumes: { [ids.droplet]: [ids.volume] },
      volumeFacts: { [ids.volume]: { name: 'pgdata', filesystem: 'xfs' } },
    });
    const desired = dropletReconciler.desired(lookup, dropletRow(), settings);
    const [secret] = 'objects' in desired ? desired.objects : [];
    const userData = Buffer.from((secret!.data as { userdata: string }).userdata, 'base64').toString();
    expect(userData).toContain('/dev/disk/by-id/virtio-cccccccccccccccccccc');
    expect(userData).toContain('mkfs.xfs -q');
    expect(userData).toContain('/mnt/pgdata xfs defaults,nofail');
  });

  it('halts the VM of a droplet powered off', () => {
    const desired = dropletReconciler.desired(fakeLookup(), dropletRow({ poweredOn: false }), settings);
    expect(desired).toMatchObject({
      objects: [
        { kind: 'Secret' },
        { spec: { runStrategy: 'Halted' } },
        { kind: 'Service' },
        { kind: 'NetworkPolicy' },
      ],
    });
  });
});

describe('droplet observe', () => {
  it.each<
    [string, KubeObject[], { state: string; ip: string | null; node: string | null; phase: string | null }]
  >([
    ['nothing yet', [], { state: 'provisioning', ip: null, node: null, phase: null }],
    [
      'a VM starting, its instance scheduling',
      [vm({ printableStatus: 'Starting', ready: false }), vmi({ phase: 'Scheduling' })],
      { state: 'provisioning', ip: null, node: null, phase: 'Scheduling' },
    ],
    [
      'fitting on no node: the VM says so, its instance waits in Scheduling',
      [vm({ printableStatus: 'ErrorUnschedulable', ready: false }), vmi({ phase: 'Scheduling' })],
      { state: 'provisioning', ip: null, node: null, phase: 'ErrorUnschedulable' },
    ],
    [
      'running but not ready yet',
      [
        vm({ printableStatus: 'Running', ready: false }),
        vmi({ phase: 'Running', nodeName: 'node-1', interfaces: [{ ipAddress: '10.0.0.7' }] }),
      ],
      { state: 'provisioning', ip: '10.0.0.7', node: 'node-1', phase: 'Running' },
    ],
    [
      'running and ready',
      [
        vm({ printableStatus: 'Running', ready: true }),
        vmi({ phase: 'Running', nodeName: 'node-1', interfaces: [{ ipAddress: '10.0.0.7' }] }),
      ],
      { state: 'active', ip: '10.0.0.7', node: 'node-1', phase: 'Running' },
    ],
    [
      'stopping',
      [vm({ printableStatus: 'Stopping' }), vmi({ phase: 'Running', nodeName: 'node-1' })],
      { state: 'stopping', ip: null, node: 'node-1', phase: 'Running' },
    ],
    [
      'stopped, with no instance: the phase is the VM’s',
      [vm({ printableStatus: 'Stopped' })],
      { state: 'stopped', ip: null, node: null, phase: 'Stopped' },
    ],
    [
      'waiting for its root disk: the phase is how far its import has come',
      [
        vm({ printableStatus: 'Provisioning' }),
        {
          apiVersion: 'cdi.kubevirt.io/v1beta1',
          kind: 'DataVolume',
          metadata: { name: 'dpl-bbbbbbbbbbbbbbbbbbbb-root' },
          status: { phase: 'ImportInProgress', progress: '47.30%' },
        },
      ],
      { state: 'provisioning', ip: null, node: null, phase: 'ImportInProgress 47.30%' },
    ],
  ])('%s', (_what, objects, { state, ...values }) => {
    expect(dropletReconciler.observe(dropletRow(), objects)).toEqual({
      state,
      values: { ...values, publicIp: null },
    });
  });

  it('keeps the last address of a droplet that stops, and forgets it once it starts afresh', () => {
    const row = dropletRow({ ip: '10.0.0.7' });
    expect(dropletReconciler.observe(row, [vm({ printableStatus: 'Stopped' })]).values.ip).toBe('10.0.0.7');
    expect(
      dropletReconciler.observe(row, [vm({ printableStatus: 'Stopping' }), vmi({ phase: 'Running' })]).values
        .ip,
    ).toBe('10.0.0.7');
    expect(
      dropletReconciler.observe(row, [
        vm({ printableStatus: 'Starting', ready: false }),
        vmi({ phase: 'Scheduling' }),
      ]).values.ip,
    ).toBeNull();
  });
});
