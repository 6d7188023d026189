import { page } from '../../schemas/common.ts';
import { Firewall, ListFirewallsInput, FirewallRef, CreateFirewallInput, UpdateFirewallInput } from '../../schemas/index.ts';
import { projectProcedure, projectWriteProcedure, router } from '../trpc.ts';

export const firewallsRouter = router({
  list: projectProcedure
    .input(ListFirewallsInput)
    .output(page(Firewall))
    .query(({ ctx, input }) => ctx.services.firewalls.list(ctx.scope, input)),
  get: projectProcedure
    .input(FirewallRef)
    .output(Firewall)
    .query(({ ctx, input }) => ctx.services.firewalls.get(ctx.scope, input)),
  create: projectWriteProcedure
    .input(CreateFirewallInput)
    .output(Firewall)
    .mutation(({ ctx, input }) => ctx.services.firewalls.create(ctx.scope, input)),
  update: projectWriteProcedure
    .input(UpdateFirewallInput)
    .output(Firewall)
    .mutation(({ ctx, input }) => ctx.services.firewalls.update(ctx.scope, input)),
  delete: projectWriteProcedure
    .input(FirewallRef)
    .output(Firewall)
    .mutation(({ ctx, input }) => ctx.services.firewalls.delete(ctx.scope, input)),
});
