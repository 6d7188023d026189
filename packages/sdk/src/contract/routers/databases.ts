import {
  ListDatabasesInput,
  DatabaseRef,
  CreateDatabaseInput,
  UpdateDatabaseInput,
  ResizeDatabaseInput,
} from '../../schemas/index.ts';
import { projectProcedure, projectWriteProcedure, router } from '../trpc.ts';

export const databasesRouter = router({
  list: projectProcedure
    .input(ListDatabasesInput)
    .query(({ ctx, input }) => ctx.services.databases.list(ctx.scope, input)),
  get: projectProcedure
    .input(DatabaseRef)
    .query(({ ctx, input }) => ctx.services.databases.get(ctx.scope, input)),
  create: projectWriteProcedure
    .input(CreateDatabaseInput)
    .mutation(({ ctx, input }) => ctx.services.databases.create(ctx.scope, input)),
  update: projectWriteProcedure
    .input(UpdateDatabaseInput)
    .mutation(({ ctx, input }) => ctx.services.databases.update(ctx.scope, input)),
  /** Members only: the password is as good as the data. */
  credentials: projectWriteProcedure
    .input(DatabaseRef)
    .query(({ ctx, input }) => ctx.services.databases.credentials(ctx.scope, input)),
  /** Changes size, node count or storage (storage only grows). */
  resize: projectWriteProcedure
    .input(ResizeDatabaseInput)
    .mutation(({ ctx, input }) => ctx.services.databases.resize(ctx.scope, input)),
  /** Replaces the password; fetch the new one with `credentials`. */
  resetPassword: projectWriteProcedure
    .input(DatabaseRef)
    .mutation(({ ctx, input }) => ctx.services.databases.resetPassword(ctx.scope, input)),
  delete: projectWriteProcedure
    .input(DatabaseRef)
    .mutation(({ ctx, input }) => ctx.services.databases.delete(ctx.scope, input)),
});
