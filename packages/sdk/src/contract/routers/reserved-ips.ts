import {
  AssignReservedIpInput,
  CreateReservedIpInput,
  ListReservedIpsInput,
  ReservedIpRef,
  UpdateReservedIpInput,
} from '../../schemas/index.ts';
import { projectProcedure, projectWriteProcedure, router } from '../trpc.ts';

export const reservedIpsRouter = router({
  list: projectProcedure
    .input(ListReservedIpsInput)
    .query(({ ctx, input }) => ctx.services.reservedIps.list(ctx.scope, input)),
  get: projectProcedure
    .input(ReservedIpRef)
    .query(({ ctx, input }) => ctx.services.reservedIps.get(ctx.scope, input)),
  /** Reserves an address of the pool for the project, assigned to a droplet when one is named. */
  create: projectWriteProcedure
    .input(CreateReservedIpInput)
    .mutation(({ ctx, input }) => ctx.services.reservedIps.create(ctx.scope, input)),
  update: projectWriteProcedure
    .input(UpdateReservedIpInput)
    .mutation(({ ctx, input }) => ctx.services.reservedIps.update(ctx.scope, input)),
  /** Releases the address back to the pool; refused while it is assigned (unassign it first). */
  delete: projectWriteProcedure
    .input(ReservedIpRef)
    .mutation(({ ctx, input }) => ctx.services.reservedIps.delete(ctx.scope, input)),
  /** Points the address at a droplet of the project, moving it from the one it points at now. */
  assign: projectWriteProcedure
    .input(AssignReservedIpInput)
    .mutation(({ ctx, input }) => ctx.services.reservedIps.assign(ctx.scope, input)),
  /** Takes the address off its droplet; the project keeps it. */
  unassign: projectWriteProcedure
    .input(ReservedIpRef)
    .mutation(({ ctx, input }) => ctx.services.reservedIps.unassign(ctx.scope, input)),
});
