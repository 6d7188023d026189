import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@uncloud/kube';
import { snapshotReconciler } from './snapshot.ts';
import { fakeLookup, ids, settings, snapshotRow } from '../test-support/rows.ts';

const volumeSnapshotRow = snapshotRow({
  resourceKind: 'volume',
  resourceId: ids.volume,
  resourceName: 'data',
  dropletSize: null,
  image: null,
  filesystem: 'xfs',
});

describe('snapshot desired', () => {
  it('waits for the project namespace', () => {
    expect(
      snapshotReconciler.desired(fakeLookup({ namespaceReady: false }), snapshotRow(), settings),
    ).toEqual({
      waitingFor: "the project's namespace",
    });
  });

  it("is a VirtualMachineSnapshot of a droplet's VM, its own object", () => {
    expect(snapshotReconciler.desired(fakeLookup(), snapshotRow(), settings)).toEqual({
      objects: [
        {
          apiVersion: 'snapshot.kubevirt.io/v1beta1',
          kind: 'VirtualMachineSnapshot',
          metadata: expect.objectContaining({
            name: 'snap-hhhhhhhhhhhhhhhhhhhh',
            namespace: 'uc-proj-aaaaaaaaaaaaaaaaaaaa',
            labels: expect.objectContaining({
              'uncloud.dev/kind': 'snapshot',
              'uncloud.dev/resource-id': ids.snapshot,
            }),
          }),
          spec: {
            source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'dpl-bbbbbbbbbbbbbbbbbbbb' },
          },
        },
      ],
    });
  });

  it("is a CSI VolumeSnapshot of a volume's claim", () => {
    expect(snapshotReconciler.desired(fakeLookup(), volumeSnapshotRow, settings)).toMatchObject({
      objects: [
        {
          apiVersion: 'snapshot.storage.k8s.io/v1',
          kind: 'VolumeSnapshot',
          metadata: { name: 'snap-hhhhhhhhhhhhhhhhhhhh' },
          spec: { source: { persistentVolumeClaimName: 'vol-cccccccccccccccccccc' } },
        },
      ],
    });
  });
});

const object = (kind: string, status: Record<string, unknown>, uid = 'u-1'): KubeObject => ({
  apiVersion: 'x',
  kind,
  metadata: { name: 'snap-hhhhhhhhhhhhhhhhhhhh', uid },
  status,
});

describe('snapshot observe', () => {
  it.each<[string, KubeObject[], { state: string; volumeSnapshot: string | null }]>([
    ['nothing yet', [], { state: 'provisioning', volumeSnapshot: null }],
    [
      'being taken',
      [object('VirtualMachineSnapshot', { phase: 'InProgress', readyToUse: false })],
      { state: 'provisioning', volumeSnapshot: null },
    ],
    [
      'ready: its root disk is the VolumeSnapshot KubeVirt named after it',
      [
        object(
          'VirtualMachineSnapshot',
          { phase: 'Succeeded', readyToUse: true, snapshotVolumes: { includedVolumes: ['rootdisk'] } },
          'abc-123',
        ),
      ],
      { state: 'active', volumeSnapshot: 'vmsnapshot-abc-123-volume-rootdisk' },
    ],
    [
      'ready, but without the root disk (no VolumeSnapshotClass for its storage class)',
      [
        object('VirtualMachineSnapshot', {
          phase: 'Succeeded',
          readyToUse: true,
          snapshotVolumes: { includedVolumes: [], excludedVolumes: ['rootdisk', 'cloudinitdisk'] },
        }),
      ],
      { state: 'error', volumeSnapshot: null },
    ],
    [
      'failed',
      [object('VirtualMachineSnapshot', { phase: 'Failed', error: { message: 'no VM' } })],
      { state: 'error', volumeSnapshot: null },
    ],
  ])('a droplet snapshot: %s', (_name, objects, expected) => {
    const seen = snapshotReconciler.observe(snapshotRow(), objects);
    expect({ state: seen.state, volumeSnapshot: seen.values.volumeSnapshot }).toEqual(expected);
  });

  it('a volume snapshot is active, and is its own VolumeSnapshot, once ready to use', () => {
    expect(
      snapshotReconciler.observe(volumeSnapshotRow, [object('VolumeSnapshot', { readyToUse: false })]),
    ).toEqual({
      state: 'provisioning',
      values: { volumeSnapshot: null },
    });
    expect(
      snapshotReconciler.observe(volumeSnapshotRow, [object('VolumeSnapshot', { readyToUse: true })]),
    ).toEqual({
      state: 'active',
      values: { volumeSnapshot: 'snap-hhhhhhhhhhhhhhhhhhhh' },
    });
  });
});
