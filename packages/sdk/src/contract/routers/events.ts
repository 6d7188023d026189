import { WatchEventsInput } from '../../schemas/index.ts';
import { projectProcedure, router, withDomainErrors } from '../trpc.ts';

export const eventsRouter = router({
  /** The project's changes as they happen, over server-sent events; resumable with `lastEventId`. */
  watch: projectProcedure
    .input(WatchEventsInput)
    .subscription(({ ctx, input, signal }) =>
      withDomainErrors(ctx.services.events.watch(ctx.scope, input, signal)),
    ),
});
