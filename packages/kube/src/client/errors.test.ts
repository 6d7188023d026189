import { describe, expect, it } from 'vitest';
import { kubeErrorFromResponse, withoutRestPaths } from './errors.ts';

const vm = { kind: 'VirtualMachine', name: 'web-1', namespace: 'uc-proj-0123456789abcdefghij' };

describe('gateway errors', () => {
  it('says what failed in words and keeps the API server’s reason, kind, name and verb', () => {
    const error = kubeErrorFromResponse(
      422,
      {
        kind: 'Status',
        reason: 'Invalid',
        message:
          'VirtualMachine.kubevirt.io "web-1" is invalid: spec.running: Forbidden: not with runStrategy',
        details: { causes: [{ field: 'spec.running', message: 'Forbidden: not with runStrategy' }] },
      },
      'update',
      vm,
    );
    expect(error).toMatchObject({
      kind: 'Invalid',
      status: 422,
      reason: 'Invalid',
      verb: 'update',
      objectKind: 'VirtualMachine',
      objectName: 'web-1',
      namespace: vm.namespace,
      causes: [{ field: 'spec.running', message: 'Forbidden: not with runStrategy' }],
    });
    expect(error.message).toBe(
      `could not update VirtualMachine web-1 in namespace ${vm.namespace}: VirtualMachine.kubevirt.io "web-1" is invalid: spec.running: Forbidden: not with runStrategy`,
    );
  });

  it('takes REST paths out of whatever the server answered', () => {
    const error = kubeErrorFromResponse(
      404,
      { message: '404 page not found: GET /apis/kubevirt.io/v1/namespaces/x/virtualmachines/web-1' },
      'get',
      vm,
    );
    expect(error.message).not.toMatch(/\/apis?\//);
    expect(error.detail).toBe('404 page not found: GET the Kubernetes API');
    expect(withoutRestPaths('PATCH /api/v1/namespaces/x/services/y, then')).toBe(
      'PATCH the Kubernetes API, then',
    );
  });

  it('names the kind of a list and falls back to the HTTP status without a message', () => {
    const error = kubeErrorFromResponse(503, undefined, 'list', { kind: 'Deployment' });
    expect(error).toMatchObject({ kind: 'Unavailable', status: 503 });
    expect(error.message).toBe('could not list Deployment objects: the API server answered HTTP 503');
  });

  it('maps an apply the API server cannot type against the schema (its 500) to Invalid, not Unavailable', () => {
    const error = kubeErrorFromResponse(
      500,
      {
        kind: 'Status',
        status: 'Failure',
        code: 500,
        message:
          'failed to create typed patch object (uc-proj-x/dpl-x; kubevirt.io/v1, Kind=VirtualMachine): .spec.template.spec.domain.cpuu: field not declared in schema',
      },
      'apply',
      vm,
    );
    expect(error).toMatchObject({ kind: 'Invalid', status: 500, verb: 'apply' });
    expect(error.detail).toContain('.spec.template.spec.domain.cpuu: field not declared in schema');
    expect(kubeErrorFromResponse(500, { message: 'etcdserver: request timed out' }, 'apply', vm).kind).toBe(
      'Unavailable',
    );
  });
});
