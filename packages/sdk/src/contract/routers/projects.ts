import { z } from 'zod';
import { page } from '../../schemas/common.ts';
import {
  AddMemberInput,
  CreateProjectInput,
  ListProjectsInput,
  Member,
  Project,
  ProjectRef,
  RemoveMemberInput,
  UpdateProjectInput,
} from '../../schemas/index.ts';
import { authedProcedure, projectProcedure, requireRole, router } from '../trpc.ts';

const owner = projectProcedure.use(requireRole('owner'));

export const projectsRouter = router({
  list: authedProcedure
    .input(ListProjectsInput)
    .output(page(Project))
    .query(({ ctx, input }) => ctx.services.projects.list(ctx.caller, input)),
  get: projectProcedure
    .input(ProjectRef)
    .output(Project)
    .query(({ ctx }) => ctx.services.projects.get(ctx.scope)),
  create: authedProcedure
    .input(CreateProjectInput)
    .output(Project)
    .mutation(({ ctx, input }) => ctx.services.projects.create(ctx.caller, input)),
  update: owner
    .input(UpdateProjectInput)
    .output(Project)
    .mutation(({ ctx, input }) => ctx.services.projects.update(ctx.scope, input)),
  delete: owner
    .input(ProjectRef)
    .output(Project)
    .mutation(({ ctx }) => ctx.services.projects.delete(ctx.scope)),
  members: projectProcedure
    .input(ProjectRef)
    .output(z.array(Member))
    .query(({ ctx }) => ctx.services.projects.members(ctx.scope)),
  addMember: owner
    .input(AddMemberInput)
    .output(Member)
    .mutation(({ ctx, input }) => ctx.services.projects.addMember(ctx.scope, input)),
  removeMember: owner
    .input(RemoveMemberInput)
    .output(z.void())
    .mutation(({ ctx, input }) => ctx.services.projects.removeMember(ctx.scope, input.userId)),
});
