import {
  CreateRegistryCredentialInput,
  ListRegistryCredentialsInput,
  ListRegistryRepositoriesInput,
  ListRegistryTagsInput,
  RegistryCredentialRef,
} from '../../schemas/index.ts';
import { projectProcedure, projectWriteProcedure, router } from '../trpc.ts';

export const registryRouter = router({
  /** Where the project's images go in Uncloud's registry, and whether the caller may push. */
  info: projectProcedure
    .input(ListRegistryRepositoriesInput)
    .query(({ ctx }) => ctx.services.registry.info(ctx.scope)),
  /** The project's repositories with their tags, read from the registry. */
  repositories: projectProcedure
    .input(ListRegistryRepositoriesInput)
    .query(({ ctx }) => ctx.services.registry.repositories(ctx.scope)),
  /** A repository's tags with digest and size. */
  tags: projectProcedure
    .input(ListRegistryTagsInput)
    .query(({ ctx, input }) => ctx.services.registry.tags(ctx.scope, input)),
  /** Credentials the project gave for other registries (never their passwords). */
  listCredentials: projectProcedure
    .input(ListRegistryCredentialsInput)
    .query(({ ctx }) => ctx.services.registry.listCredentials(ctx.scope)),
  /** Apps whose image is on `server` pull with these; the password is never shown again. */
  createCredential: projectWriteProcedure
    .input(CreateRegistryCredentialInput)
    .mutation(({ ctx, input }) => ctx.services.registry.createCredential(ctx.scope, input)),
  deleteCredential: projectWriteProcedure
    .input(RegistryCredentialRef)
    .mutation(({ ctx, input }) => ctx.services.registry.deleteCredential(ctx.scope, input.id)),
});
