import { describe, expect, it } from 'vitest';
import type { ProjectRole } from '@uncloud/sdk';
import { type RegistryPrincipal, grantAccess, projectOfRepository } from './grant.ts';
import { parseScopes } from './scope.ts';

const user = (roles: Record<string, ProjectRole>, readOnly = false): RegistryPrincipal => ({
  kind: 'user',
  roleIn: (name) => roles[name],
  readOnly,
});
const grant = (principal: RegistryPrincipal, ...scopes: string[]) =>
  grantAccess(principal, parseScopes(scopes));

describe('what a registry token grants', () => {
  it("names a repository's project by its first path component", () => {
    expect(projectOfRepository('shop/api')).toBe('shop');
    expect(projectOfRepository('shop/team/api')).toBe('shop');
    expect(projectOfRepository('api')).toBeUndefined();
  });

  it('gives members and owners push and pull in their projects, viewers pull', () => {
    const roles = { shop: 'member', docs: 'viewer', ops: 'owner' } as const;
    expect(grant(user(roles), 'repository:shop/api:pull,push')).toEqual([
      { type: 'repository', name: 'shop/api', actions: ['pull', 'push'] },
    ]);
    expect(grant(user(roles), 'repository:docs/site:pull,push')).toEqual([
      { type: 'repository', name: 'docs/site', actions: ['pull'] },
    ]);
    expect(grant(user(roles), 'repository:ops/tool:pull,push,delete')).toEqual([
      { type: 'repository', name: 'ops/tool', actions: ['pull', 'push', 'delete'] },
    ]);
  });

  it('drops, without an error, what the caller may not have: other projects, names outside projects, the catalogue', () => {
    expect(
      grant(
        user({ shop: 'owner' }),
        'repository:other/api:pull',
        'repository:api:pull',
        'registry:catalog:*',
        'repository:shop/api:*',
        'widget:shop/x:pull',
      ),
    ).toEqual([]);
  });

  it('lets a read-only API token pull and never push', () => {
    expect(grant(user({ shop: 'owner' }, true), 'repository:shop/api:pull,push')).toEqual([
      { type: 'repository', name: 'shop/api', actions: ['pull'] },
    ]);
  });

  it("lets a project's pull credential pull that project's repositories only", () => {
    const puller: RegistryPrincipal = { kind: 'puller', projectName: 'shop' };
    expect(grant(puller, 'repository:shop/api:pull,push', 'repository:other/api:pull')).toEqual([
      { type: 'repository', name: 'shop/api', actions: ['pull'] },
    ]);
  });

  it('merges the same repository asked for twice, and grants Uncloud itself the catalogue', () => {
    expect(grant(user({ shop: 'member' }), 'repository:shop/api:pull', 'repository:shop/api:push')).toEqual([
      { type: 'repository', name: 'shop/api', actions: ['pull', 'push'] },
    ]);
    expect(grant({ kind: 'uncloud' }, 'registry:catalog:*', 'repository:shop/api:pull,push')).toEqual([
      { type: 'registry', name: 'catalog', actions: ['*'] },
      { type: 'repository', name: 'shop/api', actions: ['pull'] },
    ]);
  });
});
