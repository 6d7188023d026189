import { page } from '../../schemas/common.ts';
import { Volume, ListVolumesInput, VolumeRef, CreateVolumeInput, UpdateVolumeInput } from '../../schemas/index.ts';
import { projectProcedure, projectWriteProcedure, router } from '../trpc.ts';

export const volumesRouter = router({
  list: projectProcedure
    .input(ListVolumesInput)
    .output(page(Volume))
    .query(({ ctx, input }) => ctx.services.volumes.list(ctx.scope, input)),
  get: projectProcedure
    .input(VolumeRef)
    .output(Volume)
    .query(({ ctx, input }) => ctx.services.volumes.get(ctx.scope, input)),
  create: projectWriteProcedure
    .input(CreateVolumeInput)
    .output(Volume)
    .mutation(({ ctx, input }) => ctx.services.volumes.create(ctx.scope, input)),
  update: projectWriteProcedure
    .input(UpdateVolumeInput)
    .output(Volume)
    .mutation(({ ctx, input }) => ctx.services.volumes.update(ctx.scope, input)),
  delete: projectWriteProcedure
    .input(VolumeRef)
    .output(Volume)
    .mutation(({ ctx, input }) => ctx.services.volumes.delete(ctx.scope, input)),
});
