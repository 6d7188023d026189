import {
  CreateDatabaseBackupInput,
  DatabaseBackupRef,
  ListDatabaseBackupsInput,
} from '../../schemas/index.ts';
import { projectProcedure, projectWriteProcedure, router } from '../trpc.ts';

export const databaseBackupsRouter = router({
  list: projectProcedure
    .input(ListDatabaseBackupsInput)
    .query(({ ctx, input }) => ctx.services.databaseBackups.list(ctx.scope, input)),
  get: projectProcedure
    .input(DatabaseBackupRef)
    .query(({ ctx, input }) => ctx.services.databaseBackups.get(ctx.scope, input)),
  /** Backs the database up now, to the bucket its backup settings name. */
  create: projectWriteProcedure
    .input(CreateDatabaseBackupInput)
    .mutation(({ ctx, input }) => ctx.services.databaseBackups.create(ctx.scope, input)),
  /** Deletes the backup's object in the cluster; see docs/databases.md for what stays in the bucket. */
  delete: projectWriteProcedure
    .input(DatabaseBackupRef)
    .mutation(({ ctx, input }) => ctx.services.databaseBackups.delete(ctx.scope, input)),
});
