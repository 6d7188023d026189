import { page } from '../../schemas/common.ts';
import { SshKey, ListSshKeysInput, SshKeyRef, CreateSshKeyInput, UpdateSshKeyInput } from '../../schemas/index.ts';
import { projectProcedure, projectWriteProcedure, router } from '../trpc.ts';

export const sshKeysRouter = router({
  list: projectProcedure
    .input(ListSshKeysInput)
    .output(page(SshKey))
    .query(({ ctx, input }) => ctx.services.sshKeys.list(ctx.scope, input)),
  get: projectProcedure
    .input(SshKeyRef)
    .output(SshKey)
    .query(({ ctx, input }) => ctx.services.sshKeys.get(ctx.scope, input)),
  create: projectWriteProcedure
    .input(CreateSshKeyInput)
    .output(SshKey)
    .mutation(({ ctx, input }) => ctx.services.sshKeys.create(ctx.scope, input)),
  update: projectWriteProcedure
    .input(UpdateSshKeyInput)
    .output(SshKey)
    .mutation(({ ctx, input }) => ctx.services.sshKeys.update(ctx.scope, input)),
  delete: projectWriteProcedure
    .input(SshKeyRef)
    .output(SshKey)
    .mutation(({ ctx, input }) => ctx.services.sshKeys.delete(ctx.scope, input)),
});
