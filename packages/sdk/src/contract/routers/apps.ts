import { ListAppsInput, AppRef, CreateAppInput, UpdateAppInput } from '../../schemas/index.ts';
import { projectProcedure, projectWriteProcedure, router } from '../trpc.ts';

export const appsRouter = router({
  list: projectProcedure
    .input(ListAppsInput)
    .query(({ ctx, input }) => ctx.services.apps.list(ctx.scope, input)),
  get: projectProcedure.input(AppRef).query(({ ctx, input }) => ctx.services.apps.get(ctx.scope, input)),
  create: projectWriteProcedure
    .input(CreateAppInput)
    .mutation(({ ctx, input }) => ctx.services.apps.create(ctx.scope, input)),
  update: projectWriteProcedure
    .input(UpdateAppInput)
    .mutation(({ ctx, input }) => ctx.services.apps.update(ctx.scope, input)),
  delete: projectWriteProcedure
    .input(AppRef)
    .mutation(({ ctx, input }) => ctx.services.apps.delete(ctx.scope, input)),
});
