import { type Db, projectsRepository, registryCredentialsRepository } from '@uncloud/db';
import { type PullCredential, registryHostOf } from '@uncloud/kube';
import type { ProjectId } from '@uncloud/sdk';
import type { RegistryAuthority } from './authority.ts';

export interface PullCredentialDeps {
  db: Db;
  authority: RegistryAuthority;
  /** Uncloud's registry in image names (`UNCLOUD_REGISTRY_HOST`); undefined: none. */
  registryHost: string | undefined;
}

/**
 * What an app's pods pull its image with, for the sync engine: for an image of the project's own
 * repositories in Uncloud's registry, the project's pull credential (rotated by period, see
 * `RegistryAuthority.pullCredential`); for an image on a registry the project gave credentials
 * for, those; for anything else, nothing (public images).
 */
export const createPullCredentialResolver =
  ({ db, authority, registryHost }: PullCredentialDeps) =>
  (projectId: ProjectId, image: string): PullCredential | undefined => {
    const server = registryHostOf(image);
    if (!server) return undefined;
    if (server !== registryHost) {
      const given = registryCredentialsRepository.forServer(db, projectId, server);
      return given ? { server, username: given.username, password: given.password } : undefined;
    }
    const project = projectsRepository.find(db, projectId);
    // Another project's repository: its pull credential would not reach it anyway.
    if (!project || !image.startsWith(`${server}/${project.name}/`)) return undefined;
    return { server, ...authority.pullCredential(projectId) };
  };
