import {
  ListFirewallsInput,
  FirewallRef,
  CreateFirewallInput,
  UpdateFirewallInput,
} from '../../schemas/index.ts';
import { projectProcedure, projectWriteProcedure, router } from '../trpc.ts';

export const firewallsRouter = router({
  list: projectProcedure
    .input(ListFirewallsInput)
    .query(({ ctx, input }) => ctx.services.firewalls.list(ctx.scope, input)),
  get: projectProcedure
    .input(FirewallRef)
    .query(({ ctx, input }) => ctx.services.firewalls.get(ctx.scope, input)),
  create: projectWriteProcedure
    .input(CreateFirewallInput)
    .mutation(({ ctx, input }) => ctx.services.firewalls.create(ctx.scope, input)),
  update: projectWriteProcedure
    .input(UpdateFirewallInput)
    .mutation(({ ctx, input }) => ctx.services.firewalls.update(ctx.scope, input)),
  delete: projectWriteProcedure
    .input(FirewallRef)
    .mutation(({ ctx, input }) => ctx.services.firewalls.delete(ctx.scope, input)),
});
