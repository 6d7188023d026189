import { QuotaRef, UpdateQuotaInput } from '../../schemas/index.ts';
import { projectProcedure, requireRole, router } from '../trpc.ts';

export const quotasRouter = router({
  get: projectProcedure.input(QuotaRef).query(({ ctx }) => ctx.services.quotas.get(ctx.scope)),
  update: projectProcedure
    .use(requireRole('owner'))
    .input(UpdateQuotaInput)
    .mutation(({ ctx, input }) => ctx.services.quotas.update(ctx.scope, input)),
});
