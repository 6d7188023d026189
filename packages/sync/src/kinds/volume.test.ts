import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@uncloud/kube';
import { fakeLookup, settings, volumeRow } from '../test-support/rows.ts';
import { volumeReconciler } from './volume.ts';

const pvc = (status: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'vol-cccccccccccccccccccc' },
  status,
});

describe('volume desired', () => {
  it('waits for the project namespace', () => {
    expect(volumeReconciler.desired(fakeLookup({ namespaceReady: false }), volumeRow(), settings)).toEqual({
      waitingFor: "the project's namespace",
    });
  });

  it('is one claim of the intended size, in the configured storage class', () => {
    const desired = volumeReconciler.desired(
      fakeLookup(),
      volumeRow({ sizeGiB: 25, filesystem: 'xfs' }),
      settings,
    );
    expect(desired).toEqual({
      objects: [
        expect.objectContaining({
          kind: 'PersistentVolumeClaim',
          metadata: expect.objectContaining({
            name: 'vol-cccccccccccccccccccc',
            namespace: 'uc-proj-aaaaaaaaaaaaaaaaaaaa',
            annotations: { 'uncloud.dev/filesystem': 'xfs' },
          }),
          spec: {
            accessModes: ['ReadWriteOnce'],
            volumeMode: 'Filesystem',
            resources: { requests: { storage: '25Gi' } },
            storageClassName: 'fast',
          },
        }),
      ],
    });
  });

  it('leaves the storage class to the cluster when none is configured', () => {
    const desired = volumeReconciler.desired(fakeLookup(), volumeRow(), {
      ...settings,
      storageClass: undefined,
    });
    const [claim] = 'objects' in desired ? desired.objects : [];
    expect(claim?.spec).not.toHaveProperty('storageClassName');
  });
});

describe('volume observe', () => {
  it.each<[string, KubeObject[], { state: string; phase: string | null; capacityGiB: number | null }]>([
    ['no claim yet', [], { state: 'provisioning', phase: null, capacityGiB: null }],
    [
      'a claim waiting for a volume',
      [pvc({ phase: 'Pending' })],
      { state: 'provisioning', phase: 'Pending', capacityGiB: null },
    ],
    [
      'bound, capacity in Gi',
      [pvc({ phase: 'Bound', capacity: { storage: '10Gi' } })],
      { state: 'active', phase: 'Bound', capacityGiB: 10 },
    ],
    [
      'bound, capacity in bytes (rounded to GiB)',
      [pvc({ phase: 'Bound', capacity: { storage: '10737418240' } })],
      { state: 'active', phase: 'Bound', capacityGiB: 10 },
    ],
    [
      'grown: the capacity the storage reports, not the request',
      [pvc({ phase: 'Bound', capacity: { storage: '20480Mi' } })],
      { state: 'active', phase: 'Bound', capacityGiB: 20 },
    ],
    ['lost', [pvc({ phase: 'Lost' })], { state: 'provisioning', phase: 'Lost', capacityGiB: null }],
  ])('%s', (_what, objects, { state, ...values }) => {
    expect(volumeReconciler.observe(volumeRow(), objects)).toEqual({ state, values });
  });
});
