import { ListAuditInput } from '../../schemas/index.ts';
import { authedProcedure, router } from '../trpc.ts';

export const auditRouter = router({
  /** Every mutation, who made it and how it ended: administrators all, owners their project's. */
  list: authedProcedure
    .input(ListAuditInput)
    .query(({ ctx, input }) => ctx.services.audit.list(ctx.caller, input)),
});
