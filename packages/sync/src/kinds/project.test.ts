import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@uncloud/kube';
import { fakeLookup, projectRow, quotaRow, settings } from '../test-support/rows.ts';
import { projectReconciler } from './project.ts';

const namespace = (phase: string | undefined): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'uc-proj-aaaaaaaaaaaaaaaaaaaa' },
  ...(phase ? { status: { phase } } : {}),
});

describe('project desired', () => {
  it('is the namespace and its isolation policies, without a quota row no ResourceQuota', () => {
    const desired = projectReconciler.desired(fakeLookup({ namespaceReady: false }), projectRow(), settings);
    expect(desired).toMatchObject({
      objects: [
        { kind: 'Namespace', metadata: { name: 'uc-proj-aaaaaaaaaaaaaaaaaaaa' } },
        { kind: 'NetworkPolicy', metadata: { name: 'uncloud-project-baseline' } },
        {
          kind: 'NetworkPolicy',
          metadata: { name: 'uncloud-project-isolation', namespace: 'uc-proj-aaaaaaaaaaaaaaaaaaaa' },
        },
      ],
    });
    expect('objects' in desired && desired.objects).toHaveLength(3);
  });

  it('leaves the droplets and apps its firewalls apply to out of the namespace-wide admission', () => {
    const desired = projectReconciler.desired(
      fakeLookup({ firewalled: ['dpl_x', 'app_y'] }),
      projectRow(),
      settings,
    );
    const isolation =
      'objects' in desired
        ? desired.objects.find((o) => o.metadata.name === 'uncloud-project-isolation')
        : undefined;
    expect(isolation?.spec).toMatchObject({
      podSelector: {
        matchExpressions: [{ key: 'uncloud.dev/resource-id', operator: 'NotIn', values: ['app_y', 'dpl_x'] }],
      },
    });
  });

  it("adds the ResourceQuota of the project's quota", () => {
    const desired = projectReconciler.desired(
      fakeLookup({ quota: quotaRow({ droplets: 3, volumeGiB: 40 }) }),
      projectRow(),
      settings,
    );
    expect(desired).toMatchObject({
      objects: [
        { kind: 'Namespace' },
        { kind: 'NetworkPolicy' },
        { kind: 'NetworkPolicy' },
        {
          kind: 'ResourceQuota',
          spec: { hard: { 'count/virtualmachines.kubevirt.io': '3', 'requests.storage': '40Gi' } },
        },
      ],
    });
  });
});

describe('project observe', () => {
  it.each<[string, KubeObject[], string, string | null]>([
    ['no namespace yet', [], 'provisioning', null],
    ['a namespace with no phase reported yet', [namespace(undefined)], 'provisioning', null],
    ['an active namespace', [namespace('Active')], 'active', 'uc-proj-aaaaaaaaaaaaaaaaaaaa'],
    ['a terminating namespace', [namespace('Terminating')], 'provisioning', null],
  ])('%s', (_what, objects, state, recorded) => {
    expect(projectReconciler.observe(projectRow(), objects)).toEqual({
      state,
      values: { namespace: recorded, quotaUsed: null },
    });
  });

  it('records what the ResourceQuota counts as used, keys sorted so the same usage reads the same', () => {
    const quota: KubeObject = {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'uncloud-quota', namespace: 'uc-proj-aaaaaaaaaaaaaaaaaaaa' },
      status: { hard: { 'requests.cpu': '12' }, used: { 'requests.memory': '1Gi', 'requests.cpu': '4010m' } },
    };
    expect(projectReconciler.observe(projectRow(), [namespace('Active'), quota]).values.quotaUsed).toBe(
      '{"requests.cpu":"4010m","requests.memory":"1Gi"}',
    );
  });
});
