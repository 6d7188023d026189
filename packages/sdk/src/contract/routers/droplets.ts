import {
  ListDropletsInput,
  DropletRef,
  CreateDropletInput,
  UpdateDropletInput,
  ResizeDropletInput,
  RebuildDropletInput,
  SnapshotDropletInput,
  RestoreDropletInput,
} from '../../schemas/index.ts';
import { projectProcedure, projectWriteProcedure, router } from '../trpc.ts';

export const dropletsRouter = router({
  list: projectProcedure
    .input(ListDropletsInput)
    .query(({ ctx, input }) => ctx.services.droplets.list(ctx.scope, input)),
  get: projectProcedure
    .input(DropletRef)
    .query(({ ctx, input }) => ctx.services.droplets.get(ctx.scope, input)),
  create: projectWriteProcedure
    .input(CreateDropletInput)
    .mutation(({ ctx, input }) => ctx.services.droplets.create(ctx.scope, input)),
  update: projectWriteProcedure
    .input(UpdateDropletInput)
    .mutation(({ ctx, input }) => ctx.services.droplets.update(ctx.scope, input)),
  /** Starts a stopped droplet. */
  powerOn: projectWriteProcedure
    .input(DropletRef)
    .mutation(({ ctx, input }) => ctx.services.droplets.powerOn(ctx.scope, input)),
  /** Shuts the droplet down gracefully; it keeps its disk, volumes and address. */
  powerOff: projectWriteProcedure
    .input(DropletRef)
    .mutation(({ ctx, input }) => ctx.services.droplets.powerOff(ctx.scope, input)),
  /** Restarts a running droplet. */
  reboot: projectWriteProcedure
    .input(DropletRef)
    .mutation(({ ctx, input }) => ctx.services.droplets.reboot(ctx.scope, input)),
  /**
   * The serial console's recent output: the boot log. Members only, as the console is (cloud-init
   * may print what viewers may not read).
   */
  bootLog: projectWriteProcedure
    .input(DropletRef)
    .query(({ ctx, input }) => ctx.services.droplets.bootLog(ctx.scope, input)),
  /** Changes CPU and memory; the droplet must be powered off, and the disk cannot shrink. */
  resize: projectWriteProcedure
    .input(ResizeDropletInput)
    .mutation(({ ctx, input }) => ctx.services.droplets.resize(ctx.scope, input)),
  /** Reinstalls the droplet from an image, keeping its id. */
  rebuild: projectWriteProcedure
    .input(RebuildDropletInput)
    .mutation(({ ctx, input }) => ctx.services.droplets.rebuild(ctx.scope, input)),
  /** Takes a snapshot (KubeVirt's VirtualMachineSnapshot). */
  snapshot: projectWriteProcedure
    .input(SnapshotDropletInput)
    .mutation(({ ctx, input }) => ctx.services.droplets.snapshot(ctx.scope, input)),
  /** Puts a powered-off droplet's root disk back to one of its snapshots; what it wrote since is lost. */
  restore: projectWriteProcedure
    .input(RestoreDropletInput)
    .mutation(({ ctx, input }) => ctx.services.droplets.restore(ctx.scope, input)),
  delete: projectWriteProcedure
    .input(DropletRef)
    .mutation(({ ctx, input }) => ctx.services.droplets.delete(ctx.scope, input)),
});
