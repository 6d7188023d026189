import { ActionRef, ListActionsInput } from '../../schemas/index.ts';
import { projectProcedure, router } from '../trpc.ts';

export const actionsRouter = router({
  /** The project's actions, newest first; `resourceId` narrows to one resource. */
  list: projectProcedure
    .input(ListActionsInput)
    .query(({ ctx, input }) => ctx.services.actions.list(ctx.scope, input)),
  get: projectProcedure
    .input(ActionRef)
    .query(({ ctx, input }) => ctx.services.actions.get(ctx.scope, input)),
});
