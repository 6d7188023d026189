import { page } from '../../schemas/common.ts';
import { App, ListAppsInput, AppRef, CreateAppInput, UpdateAppInput } from '../../schemas/index.ts';
import { projectProcedure, projectWriteProcedure, router } from '../trpc.ts';

export const appsRouter = router({
  list: projectProcedure
    .input(ListAppsInput)
    .output(page(App))
    .query(({ ctx, input }) => ctx.services.apps.list(ctx.scope, input)),
  get: projectProcedure
    .input(AppRef)
    .output(App)
    .query(({ ctx, input }) => ctx.services.apps.get(ctx.scope, input)),
  create: projectWriteProcedure
    .input(CreateAppInput)
    .output(App)
    .mutation(({ ctx, input }) => ctx.services.apps.create(ctx.scope, input)),
  update: projectWriteProcedure
    .input(UpdateAppInput)
    .output(App)
    .mutation(({ ctx, input }) => ctx.services.apps.update(ctx.scope, input)),
  delete: projectWriteProcedure
    .input(AppRef)
    .output(App)
    .mutation(({ ctx, input }) => ctx.services.apps.delete(ctx.scope, input)),
});
