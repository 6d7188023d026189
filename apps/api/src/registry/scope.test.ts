import { describe, expect, it } from 'vitest';
import { parseScope, parseScopes } from './scope.ts';

// The scope grammar of the Docker registry token specification (token-scope documentation):
// scope := resourcetype ":" resourcename ":" action *("," action), resourcetype may carry a class.
describe('registry token scopes', () => {
  it("reads the specification's examples", () => {
    expect(parseScope('repository:samalba/my-app:pull,push')).toEqual({
      type: 'repository',
      name: 'samalba/my-app',
      actions: ['pull', 'push'],
    });
    expect(parseScope('registry:catalog:*')).toEqual({ type: 'registry', name: 'catalog', actions: ['*'] });
    expect(parseScope('repository(plugin):vieux/sshfs:pull')).toEqual({
      type: 'repository',
      resourceClass: 'plugin',
      name: 'vieux/sshfs',
      actions: ['pull'],
    });
  });

  it('keeps a colon inside the name (a registry host with a port)', () => {
    expect(parseScope('repository:localhost:5000/shop/api:pull')).toEqual({
      type: 'repository',
      name: 'localhost:5000/shop/api',
      actions: ['pull'],
    });
  });

  it('ignores what is not a scope, rather than failing the request', () => {
    for (const bad of [
      '',
      'repository',
      'repository:shop/api',
      ':shop/api:pull',
      'repository::pull',
      'Repo!:x:pull',
      'repository:shop/api:',
    ])
      expect(parseScope(bad), bad).toBeUndefined();
  });

  it('reads repeated scope parameters and space-separated ones, dropping duplicate actions', () => {
    expect(
      parseScopes(['repository:shop/a:pull repository:shop/b:push,push', 'nonsense', 'registry:catalog:*']),
    ).toEqual([
      { type: 'repository', name: 'shop/a', actions: ['pull'] },
      { type: 'repository', name: 'shop/b', actions: ['push'] },
      { type: 'registry', name: 'catalog', actions: ['*'] },
    ]);
  });
});
