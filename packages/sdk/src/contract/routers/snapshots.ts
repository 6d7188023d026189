import { ListSnapshotsInput, SnapshotRef } from '../../schemas/index.ts';
import { projectProcedure, projectWriteProcedure, router } from '../trpc.ts';

export const snapshotsRouter = router({
  list: projectProcedure
    .input(ListSnapshotsInput)
    .query(({ ctx, input }) => ctx.services.snapshots.list(ctx.scope, input)),
  get: projectProcedure
    .input(SnapshotRef)
    .query(({ ctx, input }) => ctx.services.snapshots.get(ctx.scope, input)),
  /** Deletes the snapshot and what holds it in the cluster; droplets and volumes made from it stay. */
  delete: projectWriteProcedure
    .input(SnapshotRef)
    .mutation(({ ctx, input }) => ctx.services.snapshots.delete(ctx.scope, input)),
});
