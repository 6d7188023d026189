import {
  ListDatabasesInput,
  DatabaseRef,
  CreateDatabaseInput,
  UpdateDatabaseInput,
  ResizeDatabaseInput,
  ConfigureDatabaseBackupsInput,
  RestoreDatabaseInput,
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
  /** Sets where (a bucket of the project), when and for how long the database is backed up. */
  configureBackups: projectWriteProcedure
    .input(ConfigureDatabaseBackupsInput)
    .mutation(({ ctx, input }) => ctx.services.databases.configureBackups(ctx.scope, input)),
  /** Creates a new database from a backup, or from a database's backups at a point in time. */
  restore: projectWriteProcedure
    .input(RestoreDatabaseInput)
    .mutation(({ ctx, input }) => ctx.services.databases.restore(ctx.scope, input)),
});
