import {
  ComponentRef,
  InstallComponentInput,
  ListSystemActionsInput,
  SystemActionRef,
  UpgradeComponentInput,
} from '../../schemas/index.ts';
import { adminProcedure, authedProcedure, router } from '../trpc.ts';

/** The provisioner: what Uncloud installs into its cluster (administrators). */
export const componentsRouter = router({
  list: adminProcedure.query(({ ctx }) => ctx.services.components.list()),
  get: adminProcedure.input(ComponentRef).query(({ ctx, input }) => ctx.services.components.get(input.name)),
  /** Checks before an install: Kubernetes version, virtualization, storage class, capacity; k3s. */
  preflight: adminProcedure.query(({ ctx }) => ctx.services.components.preflight()),
  /** Required components known to be missing: the overview's banner, for every signed-in user. */
  readiness: authedProcedure.query(({ ctx }) => ctx.services.components.readiness()),
  install: adminProcedure
    .input(InstallComponentInput)
    .mutation(({ ctx, input }) => ctx.services.components.install(input)),
  upgrade: adminProcedure
    .input(UpgradeComponentInput)
    .mutation(({ ctx, input }) => ctx.services.components.upgrade(input)),
  /** Applies the installed version's manifests again, putting back what drifted. */
  repair: adminProcedure
    .input(ComponentRef)
    .mutation(({ ctx, input }) => ctx.services.components.repair(input.name)),
  uninstall: adminProcedure
    .input(ComponentRef)
    .mutation(({ ctx, input }) => ctx.services.components.uninstall(input.name)),
});

/** Actions on what belongs to no project (components' installs, upgrades, …): administrators'. */
export const systemActionsRouter = router({
  /** Newest first; `resourceId` narrows to one component. */
  list: adminProcedure
    .input(ListSystemActionsInput)
    .query(({ ctx, input }) => ctx.services.components.listActions(input)),
  get: adminProcedure
    .input(SystemActionRef)
    .query(({ ctx, input }) => ctx.services.components.getAction(input.id)),
});
