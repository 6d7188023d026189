import { page } from '../../schemas/common.ts';
import { Database, ListDatabasesInput, DatabaseRef, CreateDatabaseInput, UpdateDatabaseInput } from '../../schemas/index.ts';
import { projectProcedure, projectWriteProcedure, router } from '../trpc.ts';

export const databasesRouter = router({
  list: projectProcedure
    .input(ListDatabasesInput)
    .output(page(Database))
    .query(({ ctx, input }) => ctx.services.databases.list(ctx.scope, input)),
  get: projectProcedure
    .input(DatabaseRef)
    .output(Database)
    .query(({ ctx, input }) => ctx.services.databases.get(ctx.scope, input)),
  create: projectWriteProcedure
    .input(CreateDatabaseInput)
    .output(Database)
    .mutation(({ ctx, input }) => ctx.services.databases.create(ctx.scope, input)),
  update: projectWriteProcedure
    .input(UpdateDatabaseInput)
    .output(Database)
    .mutation(({ ctx, input }) => ctx.services.databases.update(ctx.scope, input)),
  delete: projectWriteProcedure
    .input(DatabaseRef)
    .output(Database)
    .mutation(({ ctx, input }) => ctx.services.databases.delete(ctx.scope, input)),
});
