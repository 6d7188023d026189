import {
  ListLoadBalancersInput,
  LoadBalancerRef,
  CreateLoadBalancerInput,
  UpdateLoadBalancerInput,
  LoadBalancerDropletsInput,
} from '../../schemas/index.ts';
import { projectProcedure, projectWriteProcedure, router } from '../trpc.ts';

export const loadBalancersRouter = router({
  list: projectProcedure
    .input(ListLoadBalancersInput)
    .query(({ ctx, input }) => ctx.services.loadBalancers.list(ctx.scope, input)),
  get: projectProcedure
    .input(LoadBalancerRef)
    .query(({ ctx, input }) => ctx.services.loadBalancers.get(ctx.scope, input)),
  create: projectWriteProcedure
    .input(CreateLoadBalancerInput)
    .mutation(({ ctx, input }) => ctx.services.loadBalancers.create(ctx.scope, input)),
  update: projectWriteProcedure
    .input(UpdateLoadBalancerInput)
    .mutation(({ ctx, input }) => ctx.services.loadBalancers.update(ctx.scope, input)),
  delete: projectWriteProcedure
    .input(LoadBalancerRef)
    .mutation(({ ctx, input }) => ctx.services.loadBalancers.delete(ctx.scope, input)),
  /** Put droplets behind the load balancer: an action, done once the cluster sends to them. */
  addDroplets: projectWriteProcedure
    .input(LoadBalancerDropletsInput)
    .mutation(({ ctx, input }) => ctx.services.loadBalancers.addDroplets(ctx.scope, input)),
  /** Take droplets from behind the load balancer: an action, done once the cluster stops sending. */
  removeDroplets: projectWriteProcedure
    .input(LoadBalancerDropletsInput)
    .mutation(({ ctx, input }) => ctx.services.loadBalancers.removeDroplets(ctx.scope, input)),
});
