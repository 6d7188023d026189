import {
  ListVolumesInput,
  VolumeRef,
  CreateVolumeInput,
  UpdateVolumeInput,
  AttachVolumeInput,
  ResizeVolumeInput,
  SnapshotVolumeInput,
} from '../../schemas/index.ts';
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
  /** Attaches the volume to a droplet of the same project. */
  attach: projectWriteProcedure
    .input(AttachVolumeInput)
    .mutation(({ ctx, input }) => ctx.services.volumes.attach(ctx.scope, input)),
  /** Detaches the volume from its droplet. */
  detach: projectWriteProcedure
    .input(VolumeRef)
    .mutation(({ ctx, input }) => ctx.services.volumes.detach(ctx.scope, input)),
  /** Grows the volume; volumes never shrink. */
  resize: projectWriteProcedure
    .input(ResizeVolumeInput)
    .mutation(({ ctx, input }) => ctx.services.volumes.resize(ctx.scope, input)),
  /** Takes a snapshot of the volume (a CSI VolumeSnapshot); restore it with `volumes.create({ snapshotId })`. */
  snapshot: projectWriteProcedure
    .input(SnapshotVolumeInput)
    .mutation(({ ctx, input }) => ctx.services.volumes.snapshot(ctx.scope, input)),
  delete: projectWriteProcedure
    .input(VolumeRef)
    .mutation(({ ctx, input }) => ctx.services.volumes.delete(ctx.scope, input)),
});
