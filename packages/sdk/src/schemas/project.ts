import { z } from 'zod';
import {
  IsoDateTime,
  ProjectId,
  ResourceName,
  ResourceState,
  listFields,
  reconciledFields,
} from './common.ts';

/** Roles a user holds in a project, from least to most privileged. */
export const ProjectRole = z.enum(['viewer', 'member', 'owner']);
export type ProjectRole = z.infer<typeof ProjectRole>;

export const Project = z.object({
  id: ProjectId,
  name: ResourceName,
  description: z.string(),
  purpose: z.string(),
  isDefault: z.boolean(),
  /** The caller's role in this project. */
  role: ProjectRole,
  state: ResourceState,
  /** The Kubernetes namespace the project runs in, once the sync engine has created it. */
  namespace: z.string().nullable(),
  ...reconciledFields,
  deletedAt: IsoDateTime.nullable(),
});
export type Project = z.infer<typeof Project>;

const Description = z.string().max(255, { message: 'must be at most 255 characters' });
const Purpose = z.string().min(1).max(100, { message: 'must be at most 100 characters' });

export const CreateProjectInput = z.object({
  name: ResourceName,
  description: Description.default(''),
  purpose: Purpose.default('Web Application'),
});
export type CreateProjectInput = z.input<typeof CreateProjectInput>;

export const ProjectRef = z.object({ projectId: ProjectId });
export type ProjectRef = z.input<typeof ProjectRef>;

export const UpdateProjectInput = z.object({
  projectId: ProjectId,
  name: ResourceName.optional(),
  description: Description.optional(),
  purpose: Purpose.optional(),
});
export type UpdateProjectInput = z.input<typeof UpdateProjectInput>;

export const ListProjectsInput = z
  .object({ ...listFields, state: ResourceState.optional() })
  .default({ limit: 50 });
export type ListProjectsInput = z.input<typeof ListProjectsInput>;
