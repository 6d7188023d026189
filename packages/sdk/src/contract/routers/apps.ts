import {
  ListAppsInput,
  AppRef,
  CreateAppInput,
  UpdateAppInput,
  ScaleAppInput,
  DeployAppInput,
  AttachDatabaseInput,
  DetachDatabaseInput,
  AppLogsInput,
  FollowAppLogsInput,
} from '../../schemas/index.ts';
import { projectProcedure, projectWriteProcedure, router, withDomainErrors } from '../trpc.ts';

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
  /** Sets the number of replicas (0 stops the app). */
  scale: projectWriteProcedure
    .input(ScaleAppInput)
    .mutation(({ ctx, input }) => ctx.services.apps.scale(ctx.scope, input)),
  /** Rolls out a new image and/or environment. */
  deploy: projectWriteProcedure
    .input(DeployAppInput)
    .mutation(({ ctx, input }) => ctx.services.apps.deploy(ctx.scope, input)),
  /** Restarts every replica, one at a time (a rollout restart). */
  redeploy: projectWriteProcedure
    .input(AppRef)
    .mutation(({ ctx, input }) => ctx.services.apps.redeploy(ctx.scope, input)),
  /** Rolls back to the image before the last deploy. */
  rollback: projectWriteProcedure
    .input(AppRef)
    .mutation(({ ctx, input }) => ctx.services.apps.rollback(ctx.scope, input)),
  /** Gives the app's pods a database's connection variables (read from its Secret); they roll. */
  attachDatabase: projectWriteProcedure
    .input(AttachDatabaseInput)
    .mutation(({ ctx, input }) => ctx.services.apps.attachDatabase(ctx.scope, input)),
  /** Takes an attached database's variables away from the app's pods; they roll. */
  detachDatabase: projectWriteProcedure
    .input(DetachDatabaseInput)
    .mutation(({ ctx, input }) => ctx.services.apps.detachDatabase(ctx.scope, input)),
  /** The replicas and their recent log lines (per replica: the last `tailLines`). */
  logs: projectProcedure
    .input(AppLogsInput)
    .query(({ ctx, input }) => ctx.services.apps.logs(ctx.scope, input)),
  /** The replicas' log lines as they are written, over server-sent events. */
  followLogs: projectProcedure
    .input(FollowAppLogsInput)
    .subscription(({ ctx, input, signal }) =>
      withDomainErrors(ctx.services.apps.followLogs(ctx.scope, input, signal)),
    ),
  delete: projectWriteProcedure
    .input(AppRef)
    .mutation(({ ctx, input }) => ctx.services.apps.delete(ctx.scope, input)),
});
