import { adminProcedure, router } from '../trpc.ts';

export const syncRouter = router({
  /** The sync engine's health: leadership, reachability, last resync, queue, errors. */
  status: adminProcedure.query(({ ctx }) => ctx.services.sync.status()),
});
