import { type Db, projectsRepository } from '@uncloud/db';
import { badRequest, isDomainError, unauthorized } from '@uncloud/sdk';
import type { Caller } from '@uncloud/sdk/contract';
import { accessProject } from '../services/projects.ts';
import { projectOfNamespace } from './namespaces.ts';
import type { IssuedRegistryToken, RegistryAuthority } from './authority.ts';
import { type RegistryPrincipal, grantAccess } from './grant.ts';
import { parseScopes } from './scope.ts';

export interface RegistryTokenRequest {
  /** From `Authorization: Basic`: any user name, and an Uncloud API token (or a pull credential). */
  password: string | undefined;
  /** The `service` parameter: must name this registry when given. */
  service: string | undefined;
  /** Every `scope` parameter. */
  scopes: readonly string[];
}

export interface RegistryTokenDeps {
  db: Db;
  authority: RegistryAuthority;
  /** The API's own token check (counting failures against the caller's address). */
  authenticate: (token: string) => Promise<Caller | null>;
}

/** What a principal's role is in a project of that name, through the same door the API uses. */
const roleIn = (db: Db, caller: Caller) => (projectName: string) => {
  const project = projectOfNamespace(db, projectName);
  if (!project) return undefined;
  try {
    return accessProject(db, caller, project.id).role;
  } catch (error) {
    if (isDomainError(error) && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
};

/**
 * The token endpoint's logic (Docker registry token specification): who the credentials are, and a
 * token granting the requested scopes they may have, the rest dropped. Throws `UNAUTHORIZED` for
 * missing or wrong credentials and `BAD_REQUEST` for a token asked for another service.
 */
export const createRegistryTokenService = ({ db, authority, authenticate }: RegistryTokenDeps) => ({
  async issue(request: RegistryTokenRequest): Promise<IssuedRegistryToken> {
    if (request.service !== undefined && request.service !== authority.service)
      throw badRequest(
        `this token server signs for the service "${authority.service}", not "${request.service}"`,
        'service',
      );
    if (!request.password)
      throw unauthorized('Sign in with an Uncloud API token as the password (docker login)');
    let principal: RegistryPrincipal;
    let subject: string;
    const puller = authority.pullCredentialProject(request.password);
    if (puller) {
      const project = projectsRepository.find(db, puller);
      if (!project) throw unauthorized('This pull credential belongs to a project that no longer exists');
      // Its repositories are under its name, unless an earlier project used that name first.
      const owns = projectOfNamespace(db, project.name)?.id === project.id;
      principal = { kind: 'puller', projectName: owns ? project.name : '' };
      subject = `project:${project.id}`;
    } else {
      const caller = await authenticate(request.password);
      if (!caller)
        throw unauthorized('Unknown or revoked API token: create one in the dashboard (API tokens)');
      principal = { kind: 'user', roleIn: roleIn(db, caller), readOnly: caller.readOnly };
      subject = caller.userId;
    }
    return authority.mint(subject, grantAccess(principal, parseScopes(request.scopes)));
  },
});

export type RegistryTokenService = ReturnType<typeof createRegistryTokenService>;
