import { page } from '../../schemas/common.ts';
import { Droplet, ListDropletsInput, DropletRef, CreateDropletInput, UpdateDropletInput } from '../../schemas/index.ts';
import { projectProcedure, projectWriteProcedure, router } from '../trpc.ts';

export const dropletsRouter = router({
  list: projectProcedure
    .input(ListDropletsInput)
    .output(page(Droplet))
    .query(({ ctx, input }) => ctx.services.droplets.list(ctx.scope, input)),
  get: projectProcedure
    .input(DropletRef)
    .output(Droplet)
    .query(({ ctx, input }) => ctx.services.droplets.get(ctx.scope, input)),
  create: projectWriteProcedure
    .input(CreateDropletInput)
    .output(Droplet)
    .mutation(({ ctx, input }) => ctx.services.droplets.create(ctx.scope, input)),
  update: projectWriteProcedure
    .input(UpdateDropletInput)
    .output(Droplet)
    .mutation(({ ctx, input }) => ctx.services.droplets.update(ctx.scope, input)),
  delete: projectWriteProcedure
    .input(DropletRef)
    .output(Droplet)
    .mutation(({ ctx, input }) => ctx.services.droplets.delete(ctx.scope, input)),
});
