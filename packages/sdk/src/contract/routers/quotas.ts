import { forbidden } from '../../schemas/errors.ts';
import { QuotaRef, UpdateQuotaInput } from '../../schemas/index.ts';
import { projectProcedure, router } from '../trpc.ts';

/**
 * A quota bounds what a project may take from the cluster, so the people it bounds do not set it:
 * every member reads it, administrators change it.
 */
const administrators = projectProcedure.use(({ ctx, next }) => {
  if (!ctx.caller.isAdmin)
    throw forbidden('Only administrators change quotas; ask one to raise the limit you need');
  return next();
});

export const quotasRouter = router({
  get: projectProcedure.input(QuotaRef).query(({ ctx }) => ctx.services.quotas.get(ctx.scope)),
  update: administrators
    .input(UpdateQuotaInput)
    .mutation(({ ctx, input }) => ctx.services.quotas.update(ctx.scope, input)),
});
