import { describe, expect, it } from 'vitest';
import { KubeError, type KubeObject, ownerLabels } from '@uncloud/kube';
import { SyncFailure, describeFailure } from './converge.ts';

const namespace = 'uc-proj-0123456789abcdefghij';
const vm: KubeObject = {
  apiVersion: 'kubevirt.io/v1',
  kind: 'VirtualMachine',
  metadata: {
    name: 'dpl-0123456789abcdefghij',
    namespace,
    labels: ownerLabels({
      kind: 'droplet',
      id: 'dpl_0123456789abcdefghij',
      projectId: 'proj_0123456789abcdefghij',
      name: 'web-1',
    }),
  },
};
const target = { kind: 'VirtualMachine', name: vm.metadata.name, namespace };

/** A gateway error as the gateway makes them: words, and the API server's detail. */
const gatewayError = (
  kind: KubeError['kind'],
  detail: string,
  extra: { status?: number; reason?: string; causes?: KubeError['causes']; verb?: KubeError['verb'] } = {},
) =>
  new KubeError(
    kind,
    `could not ${extra.verb ?? 'apply'} VirtualMachine …: ${detail}`,
    extra.status,
    extra.reason,
    {
      verb: extra.verb ?? 'apply',
      target,
      detail,
      causes: extra.causes ?? [],
    },
  );

const cases: [string, KubeError, KubeObject | undefined, RegExp, SyncFailure['reason']][] = [
  [
    'an invalid object: the refused fields, and what to change',
    gatewayError(
      'Invalid',
      'VirtualMachine.kubevirt.io "dpl-…" is invalid: spec.template.spec.domain.cpu.cores: Invalid value: 0',
      {
        status: 422,
        reason: 'Invalid',
        causes: [
          { field: 'spec.template.spec.domain.cpu.cores', message: 'Invalid value: 0: must be at least 1' },
        ],
      },
    ),
    vm,
    /^Kubernetes refused the droplet's VirtualMachine: spec\.template\.spec\.domain\.cpu\.cores: Invalid value: 0: must be at least 1 — change the droplet's settings$/,
    'Invalid',
  ],
  [
    'an unreachable cluster',
    gatewayError('Unavailable', 'the API server could not be reached (connect ECONNREFUSED 127.0.0.1:6443)'),
    vm,
    /^the cluster could not be reached; retrying$/,
    'Unavailable',
  ],
  [
    'an overloaded API server',
    gatewayError('Unavailable', 'the server is currently unable to handle the request', { status: 503 }),
    vm,
    /^the cluster could not handle the request \(the server is currently unable to handle the request\); retrying$/,
    'Unavailable',
  ],
  [
    'a quota the cluster enforces',
    gatewayError(
      'Forbidden',
      'virtualmachines "dpl-…" is forbidden: exceeded quota: uncloud-quota, requested: pods=1',
      {
        status: 403,
        reason: 'Forbidden',
      },
    ),
    vm,
    /^Kubernetes refused the droplet's VirtualMachine: .*exceeded quota: uncloud-quota.* — the project's quota in the cluster is used up; retrying until there is room$/,
    'QuotaExceeded',
  ],
  [
    'credentials the cluster does not accept',
    gatewayError('Forbidden', 'Unauthorized', { status: 401, reason: 'Unauthorized' }),
    vm,
    /^the cluster did not accept Uncloud’s credentials; check the kubeconfig/,
    'Forbidden',
  ],
  [
    'a write that lost a race',
    gatewayError(
      'Conflict',
      'the object has been modified; please apply your changes to the latest version',
      {
        status: 409,
        reason: 'Conflict',
      },
    ),
    vm,
    /^the droplet's VirtualMachine changed while Uncloud was writing it; retrying$/,
    'Conflict',
  ],
  [
    'a kind the cluster does not serve',
    gatewayError('NotFound', 'the server could not find the requested resource', {
      status: 404,
      reason: 'NotFound',
    }),
    vm,
    /^the cluster does not serve VirtualMachine objects; ask its administrator to install what provides them$/,
    'Other',
  ],
  [
    'a failed call with no object at hand (an action step)',
    gatewayError('Invalid', 'Internal error occurred: injected fault', { status: 422, verb: 'restart' }),
    undefined,
    /^Kubernetes refused VirtualMachine dpl-0123456789abcdefghij: Internal error occurred: injected fault — change the resource's settings$/,
    'Invalid',
  ],
];

describe('describeFailure', () => {
  it.each(cases)('explains %s in words', (_name, error, object, message, reason) => {
    const failure = describeFailure(error, object);
    expect(failure.message).toMatch(message);
    expect(failure.reason).toBe(reason);
    expect(failure.cause).toBe(error);
  });

  it('never shows a REST path', () => {
    for (const [, error, object] of cases) {
      expect(describeFailure(error, object).message).not.toMatch(/\/apis?\//);
    }
  });

  it('passes a SyncFailure through and words any other error by its message', () => {
    const clash = new SyncFailure('a Deployment named x already exists', 'NameClash');
    expect(describeFailure(clash)).toBe(clash);
    expect(describeFailure(new Error('boom'))).toMatchObject({ message: 'boom', reason: 'Other' });
  });
});
