import {
  ListDropletsInput,
  DropletRef,
  CreateDropletInput,
  UpdateDropletInput,
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
  delete: projectWriteProcedure
    .input(DropletRef)
    .mutation(({ ctx, input }) => ctx.services.droplets.delete(ctx.scope, input)),
});
