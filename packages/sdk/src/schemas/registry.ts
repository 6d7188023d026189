import { z } from 'zod';
import { IsoDateTime, ProjectId, RegistryCredentialId, ResourceName } from './common.ts';

/**
 * The project's place in Uncloud's private registry: where its images go and how to sign in.
 * Repositories are named `<project>/<image>`; an Uncloud API token is the password.
 */
export const RegistryInfo = z.object({
  /** A registry is offered by this installation (`UNCLOUD_REGISTRY_HOST` is set). */
  enabled: z.boolean(),
  /** The registry's address in image names, e.g. `registry.example.com`; null without one. */
  host: z.string().nullable(),
  /** What the project's image names start with: `<host>/<project>/`; null without a registry. */
  prefix: z.string().nullable(),
  /** The caller may push (member or owner, with a token that may write); viewers pull only. */
  canPush: z.boolean(),
});
export type RegistryInfo = z.infer<typeof RegistryInfo>;

/** A repository name inside the project, without the project: `api` for `shop/api`. */
export const RepositoryName = z
  .string()
  .min(1, { message: 'must not be empty' })
  .max(255, { message: 'must be at most 255 characters' })
  .regex(/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/, {
    message:
      'must be a repository name such as "api" or "team/api" (lowercase letters, digits, ".", "_", "-")',
  });

export const RegistryRepository = z.object({
  /** The full repository name in the registry: `shop/api`. */
  name: z.string(),
  /** The image reference without a tag: `registry.example.com/shop/api`. */
  image: z.string(),
  /** Its tags, sorted (at most 1000). */
  tags: z.array(z.string()),
});
export type RegistryRepository = z.infer<typeof RegistryRepository>;

export const ListRegistryRepositoriesInput = z.object({ projectId: ProjectId });
export type ListRegistryRepositoriesInput = z.input<typeof ListRegistryRepositoriesInput>;

export const RegistryTag = z.object({
  name: z.string(),
  /** The manifest's digest (`sha256:…`): what `image@digest` pins. */
  digest: z.string().nullable(),
  /** The manifest's media type (an image, or an index of images for several platforms). */
  mediaType: z.string().nullable(),
  /** Bytes of the config and layers the manifest names (compressed, as pushed); null for an index. */
  sizeBytes: z.number().int().nullable(),
});
export type RegistryTag = z.infer<typeof RegistryTag>;

export const ListRegistryTagsInput = z.object({ projectId: ProjectId, repository: RepositoryName });
export type ListRegistryTagsInput = z.input<typeof ListRegistryTagsInput>;

/** A registry host, with an optional port: `ghcr.io`, `registry.example.com:5000`. */
export const RegistryServer = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$/, {
    message: 'must be a registry host, with an optional port, such as "ghcr.io" (no scheme, no path)',
  });

/**
 * Credentials for another registry, given by the project: apps whose image is on `server` pull
 * with them (an image pull Secret). The password is write-only: never shown again.
 */
export const RegistryCredential = z.object({
  id: RegistryCredentialId,
  projectId: ProjectId,
  name: ResourceName,
  server: RegistryServer,
  username: z.string(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type RegistryCredential = z.infer<typeof RegistryCredential>;

export const CreateRegistryCredentialInput = z.object({
  projectId: ProjectId,
  name: ResourceName,
  server: RegistryServer,
  username: z
    .string()
    .min(1, { message: 'must not be empty' })
    .max(255, { message: 'must be at most 255 characters' }),
  password: z
    .string()
    .min(1, { message: 'must not be empty: a password or an access token of that registry' })
    .max(4096, { message: 'must be at most 4096 characters' }),
});
export type CreateRegistryCredentialInput = z.input<typeof CreateRegistryCredentialInput>;

export const RegistryCredentialRef = z.object({ projectId: ProjectId, id: RegistryCredentialId });
export type RegistryCredentialRef = z.input<typeof RegistryCredentialRef>;

export const ListRegistryCredentialsInput = z.object({ projectId: ProjectId });
export type ListRegistryCredentialsInput = z.input<typeof ListRegistryCredentialsInput>;
