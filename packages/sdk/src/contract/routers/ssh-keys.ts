import { ListSshKeysInput, SshKeyRef, CreateSshKeyInput, UpdateSshKeyInput } from '../../schemas/index.ts';
import { projectProcedure, projectWriteProcedure, router } from '../trpc.ts';

export const sshKeysRouter = router({
  list: projectProcedure
    .input(ListSshKeysInput)
    .query(({ ctx, input }) => ctx.services.sshKeys.list(ctx.scope, input)),
  get: projectProcedure
    .input(SshKeyRef)
    .query(({ ctx, input }) => ctx.services.sshKeys.get(ctx.scope, input)),
  create: projectWriteProcedure
    .input(CreateSshKeyInput)
    .mutation(({ ctx, input }) => ctx.services.sshKeys.create(ctx.scope, input)),
  update: projectWriteProcedure
    .input(UpdateSshKeyInput)
    .mutation(({ ctx, input }) => ctx.services.sshKeys.update(ctx.scope, input)),
  delete: projectWriteProcedure
    .input(SshKeyRef)
    .mutation(({ ctx, input }) => ctx.services.sshKeys.delete(ctx.scope, input)),
});
