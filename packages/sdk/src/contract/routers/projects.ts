import {
  AddMemberInput,
  CreateProjectInput,
  ListProjectsInput,
  ProjectRef,
  RemoveMemberInput,
  UpdateProjectInput,
} from '../../schemas/index.ts';
import { authedProcedure, projectProcedure, requireRole, router } from '../trpc.ts';

const owner = projectProcedure.use(requireRole('owner'));

export const projectsRouter = router({
  list: authedProcedure
    .input(ListProjectsInput)
    .query(({ ctx, input }) => ctx.services.projects.list(ctx.caller, input)),
  get: projectProcedure.input(ProjectRef).query(({ ctx }) => ctx.services.projects.get(ctx.scope)),
  create: authedProcedure
    .input(CreateProjectInput)
    .mutation(({ ctx, input }) => ctx.services.projects.create(ctx.caller, input)),
  update: owner
    .input(UpdateProjectInput)
    .mutation(({ ctx, input }) => ctx.services.projects.update(ctx.scope, input)),
  delete: owner.input(ProjectRef).mutation(({ ctx }) => ctx.services.projects.delete(ctx.scope)),
  members: projectProcedure.input(ProjectRef).query(({ ctx }) => ctx.services.projects.members(ctx.scope)),
  addMember: owner
    .input(AddMemberInput)
    .mutation(({ ctx, input }) => ctx.services.projects.addMember(ctx.scope, input)),
  removeMember: owner
    .input(RemoveMemberInput)
    .mutation(({ ctx, input }) => ctx.services.projects.removeMember(ctx.scope, input.userId)),
});
