import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../manifests/meta.ts';
import { carriesHealth, healthOf } from './health.ts';

const obj = (apiVersion: string, kind: string, status: unknown, spec: unknown = {}): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name: 'x', namespace: 'n' },
  spec,
  status,
});
const ref = (apiVersion: string, kind: string) => ({ apiVersion, kind, name: 'x', namespace: 'n' });

describe('component health from the objects own status', () => {
  it.each([
    [
      'apiextensions.k8s.io/v1',
      'CustomResourceDefinition',
      { conditions: [{ type: 'Established', status: 'True' }] },
      true,
    ],
    [
      'apiextensions.k8s.io/v1',
      'CustomResourceDefinition',
      { conditions: [{ type: 'Established', status: 'False', reason: 'Installing' }] },
      false,
    ],
    ['apps/v1', 'Deployment', { conditions: [{ type: 'Available', status: 'True' }] }, true],
    [
      'apps/v1',
      'Deployment',
      { conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' }] },
      false,
    ],
    ['apps/v1', 'DaemonSet', { desiredNumberScheduled: 2, numberReady: 2 }, true],
    ['apps/v1', 'DaemonSet', { desiredNumberScheduled: 2, numberReady: 1 }, false],
    ['kubevirt.io/v1', 'KubeVirt', { phase: 'Deployed' }, true],
    ['kubevirt.io/v1', 'KubeVirt', { phase: 'Deploying' }, false],
    ['monitoring.coreos.com/v1', 'Prometheus', { conditions: [{ type: 'Available', status: 'True' }] }, true],
    ['cdi.kubevirt.io/v1beta1', 'CDI', {}, false],
  ])('%s %s %j → ready %s', (apiVersion, kind, status, ready) => {
    expect(healthOf(ref(apiVersion, kind), obj(apiVersion, kind, status)).ready).toBe(ready);
  });

  it('reports a missing object as not found, and why an unready one is not ready', () => {
    expect(healthOf(ref('apps/v1', 'Deployment'), null)).toEqual({
      object: 'Deployment n/x',
      ready: false,
      message: 'not found',
    });
    expect(
      healthOf(
        ref('apps/v1', 'Deployment'),
        obj('apps/v1', 'Deployment', {
          conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' }],
        }),
      ).message,
    ).toBe('Available: MinimumReplicasUnavailable');
  });

  it('checks workloads, CRDs and custom resources, not every ConfigMap', () => {
    expect(carriesHealth({ apiVersion: 'v1', kind: 'ConfigMap' })).toBe(false);
    expect(carriesHealth({ apiVersion: 'apps/v1', kind: 'Deployment' })).toBe(true);
    expect(carriesHealth({ apiVersion: 'kubevirt.io/v1', kind: 'KubeVirt' })).toBe(true);
  });
});
