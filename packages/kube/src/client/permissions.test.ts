import { describe, expect, it } from 'vitest';
import { isDeclaredCall, rbacOf, rbacRules } from './permissions.ts';

describe('RBAC of the gateway’s calls', () => {
  it('authorizes server-side apply as create and patch, since it creates what is missing', () => {
    expect(rbacOf('Deployment', 'apply')).toEqual({
      apiGroups: ['apps'],
      resources: ['deployments'],
      verbs: ['create', 'patch'],
    });
  });

  it('names the core group as empty and subresources by their own group', () => {
    expect(rbacOf('Secret', 'get')).toEqual({ apiGroups: [''], resources: ['secrets'], verbs: ['get'] });
    expect(rbacOf('VirtualMachine', 'restart')).toEqual({
      apiGroups: ['subresources.kubevirt.io'],
      resources: ['virtualmachines/restart'],
      verbs: ['update'],
    });
    expect(rbacOf('Pod', 'proxy')).toEqual({ apiGroups: [''], resources: ['pods/proxy'], verbs: ['get'] });
    expect(rbacOf('StatefulSet', 'scale')).toEqual({
      apiGroups: ['apps'],
      resources: ['statefulsets/scale'],
      verbs: ['patch'],
    });
  });

  it('merges the verbs of one resource into one sorted rule', () => {
    expect(rbacRules({ Service: ['list', 'delete', 'apply'], Namespace: ['get'] })).toEqual([
      { apiGroups: [''], resources: ['namespaces'], verbs: ['get'] },
      { apiGroups: [''], resources: ['services'], verbs: ['create', 'delete', 'list', 'patch'] },
    ]);
  });

  it('knows which calls are declared', () => {
    expect(isDeclaredCall('Lease', 'update')).toBe(true);
    expect(isDeclaredCall('Deployment', 'scale')).toBe(false);
    // Only an Uncloud outside the cluster proxies its health checks: not in deploy/rbac.yaml.
    expect(isDeclaredCall('Pod', 'proxy')).toBe(false);
  });
});
