import type { ProjectRole } from '@uncloud/sdk';
import type { GrantedAccess, RequestedAccess } from './scope.ts';

/** Who asks for a registry token, once their credentials were checked. */
export type RegistryPrincipal =
  | {
      kind: 'user';
      /** The user's role in the project of this name, if they may enter it with this token. */
      roleIn: (projectName: string) => ProjectRole | undefined;
      /** A read-only API token pulls and never pushes. */
      readOnly: boolean;
    }
  /** The pull credential of a project's image pull Secret: pulls that project's repositories. */
  | { kind: 'puller'; projectName: string }
  /** Uncloud itself, listing repositories and tags for the dashboard. */
  | { kind: 'uncloud' };

const actionsOf: Record<ProjectRole, readonly string[]> = {
  viewer: ['pull'],
  member: ['pull', 'push'],
  owner: ['pull', 'push', 'delete'],
};

/** The project a repository belongs to: its first path component (`shop` in `shop/api`). */
export const projectOfRepository = (name: string): string | undefined => {
  const slash = name.indexOf('/');
  return slash > 0 ? name.slice(0, slash) : undefined;
};

const allowed = (principal: RegistryPrincipal, access: RequestedAccess): readonly string[] => {
  if (access.type === 'registry')
    // The catalogue lists every project's repositories: only Uncloud reads it (and filters it).
    return principal.kind === 'uncloud' && access.name === 'catalog' ? ['*'] : [];
  if (access.type !== 'repository') return [];
  const project = projectOfRepository(access.name);
  if (!project) return [];
  switch (principal.kind) {
    case 'uncloud':
      return ['pull'];
    case 'puller':
      return project === principal.projectName ? ['pull'] : [];
    case 'user': {
      const role = principal.roleIn(project);
      if (!role) return [];
      return principal.readOnly ? ['pull'] : actionsOf[role];
    }
  }
};

/**
 * What a token grants of what was asked: each requested resource with the actions the principal
 * may take on it. As the specification says, a scope the principal may not have is not an error:
 * it is left out (or cut down to the actions allowed), and the registry refuses what is missing.
 * `*` asks for every action and is granted only as `*`.
 */
export const grantAccess = (
  principal: RegistryPrincipal,
  requested: readonly RequestedAccess[],
): GrantedAccess[] => {
  const granted = new Map<string, GrantedAccess>();
  for (const access of requested) {
    const may = allowed(principal, access);
    const actions = access.actions.filter((action) => may.includes(action));
    if (actions.length === 0) continue;
    // The same resource asked for twice (pull, then push) is one entry with both.
    const key = `${access.type}\u0000${access.name}`;
    const entry = granted.get(key);
    if (entry) entry.actions = [...new Set([...entry.actions, ...actions])];
    else granted.set(key, { type: access.type, name: access.name, actions });
  }
  return [...granted.values()];
};
