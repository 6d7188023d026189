import { ListVolumesInput, VolumeRef, CreateVolumeInput, UpdateVolumeInput } from '../../schemas/index.ts';
import { projectProcedure, projectWriteProcedure, router } from '../trpc.ts';

export const volumesRouter = router({
  list: projectProcedure
    .input(ListVolumesInput)
    .query(({ ctx, input }) => ctx.services.volumes.list(ctx.scope, input)),
  get: projectProcedure
    .input(VolumeRef)
    .query(({ ctx, input }) => ctx.services.volumes.get(ctx.scope, input)),
  create: projectWriteProcedure
    .input(CreateVolumeInput)
    .mutation(({ ctx, input }) => ctx.services.volumes.create(ctx.scope, input)),
  update: projectWriteProcedure
    .input(UpdateVolumeInput)
    .mutation(({ ctx, input }) => ctx.services.volumes.update(ctx.scope, input)),
  delete: projectWriteProcedure
    .input(VolumeRef)
    .mutation(({ ctx, input }) => ctx.services.volumes.delete(ctx.scope, input)),
});
