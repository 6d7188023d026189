import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@uncloud/kube';
import { dropletRow } from '../test-support/rows.ts';
import { reconcilers } from './index.ts';

const vm = (printableStatus: string): KubeObject => ({
  apiVersion: 'kubevirt.io/v1',
  kind: 'VirtualMachine',
  metadata: { name: 'dpl-x' },
  status: { printableStatus },
});
const vmi = (conditions: object[]): KubeObject => ({
  apiVersion: 'kubevirt.io/v1',
  kind: 'VirtualMachineInstance',
  metadata: { name: 'dpl-x' },
  status: { phase: 'Pending', conditions },
});
const refused = {
  type: 'Synchronized',
  status: 'False',
  reason: 'FailedCreate',
  message:
    'failed to create virtual machine pod: pods "virt-launcher-dpl-x-abcde" is forbidden: exceeded quota: uncloud-quota',
};

describe('a droplet whose VM pod Kubernetes refused', () => {
  const observe = (objects: KubeObject[]) =>
    reconcilers.droplet.observe(dropletRow({ state: 'provisioning' }), objects);

  it('is in error with KubeVirt’s words', () => {
    const observed = observe([vm('Starting'), vmi([refused])]);
    expect(observed.state).toBe('error');
    expect(observed.error).toBe(
      `Kubernetes refused the droplet's VM pod: ${refused.message} — the project's quota in the cluster is used up; free room or ask an administrator to raise it, and it starts by itself`,
    );
  });

  it('is as before without the refusal, or once it runs', () => {
    expect(observe([vm('Starting'), vmi([])]).state).toBe('provisioning');
    expect(observe([vm('Starting'), vmi([{ ...refused, status: 'True' }])]).state).toBe('provisioning');
  });
});
