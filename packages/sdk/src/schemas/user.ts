import { z } from 'zod';
import { IsoDateTime, ProjectId, TokenId, UserId } from './common.ts';
import { ProjectRole } from './project.ts';

export const User = z.object({
  id: UserId,
  name: z.string(),
  email: z.string().nullable(),
  isAdmin: z.boolean(),
  createdAt: IsoDateTime,
  /** When an administrator disabled the user: their tokens are refused until they are enabled again. */
  disabledAt: IsoDateTime.nullable(),
});
export type User = z.infer<typeof User>;

/** A user, for administrators to disable, enable or delete. */
export const UserRef = z.object({ userId: UserId });
export type UserRef = z.input<typeof UserRef>;

export const Whoami = z.object({
  user: User,
  projects: z.array(z.object({ id: ProjectId, name: z.string(), role: ProjectRole })),
});
export type Whoami = z.infer<typeof Whoami>;

export const UserName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9._]*[a-z0-9])?$/, {
    message: "must be lowercase letters, digits, '-', '.' or '_'",
  });

export const CreateUserInput = z.object({
  name: UserName,
  email: z.email().optional(),
  isAdmin: z.boolean().default(false),
});
export type CreateUserInput = z.input<typeof CreateUserInput>;

export const ApiToken = z.object({
  id: TokenId,
  name: z.string(),
  createdAt: IsoDateTime,
  lastUsedAt: IsoDateTime.nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;

/** A newly issued token: the secret is shown once and stored only as a hash. */
export const IssuedToken = ApiToken.extend({ token: z.string() });
export type IssuedToken = z.infer<typeof IssuedToken>;

export const CreateTokenInput = z.object({ name: z.string().min(1).max(100) });
export const TokenRef = z.object({ id: TokenId });
/** Any user's token, for administrators. */
export const UserTokenRef = z.object({ userId: UserId, id: TokenId });
export type UserTokenRef = z.input<typeof UserTokenRef>;

export const CreatedUser = z.object({ user: User, token: IssuedToken });
export type CreatedUser = z.infer<typeof CreatedUser>;

export const AddMemberInput = z.object({ projectId: ProjectId, userId: UserId, role: ProjectRole });
export type AddMemberInput = z.input<typeof AddMemberInput>;
export const RemoveMemberInput = z.object({ projectId: ProjectId, userId: UserId });
export const Member = z.object({ user: User, role: ProjectRole });
export type Member = z.infer<typeof Member>;
