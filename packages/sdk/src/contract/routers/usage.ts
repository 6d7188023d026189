import { ListUsageInput } from '../../schemas/index.ts';
import { projectProcedure, router } from '../trpc.ts';

export const usageRouter = router({
  /** CPU and memory over time per droplet and app, as the sync engine sampled them. */
  list: projectProcedure
    .input(ListUsageInput)
    .query(({ ctx, input }) => ctx.services.usage.list(ctx.scope, input)),
});
