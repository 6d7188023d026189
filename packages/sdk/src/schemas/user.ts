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
  /**
   * The first characters of the secret (`uc_AbCd1234`): enough to recognise a token, far too few to
   * use it. Null for tokens issued before prefixes were kept.
   */
  prefix: z.string().nullable(),
  createdAt: IsoDateTime,
  lastUsedAt: IsoDateTime.nullable(),
  /** The address the token was last used from (behind a trusted proxy, the client's). */
  lastUsedIp: z.string().nullable(),
  /** The User-Agent of the client that last used it, cut to 256 characters. */
  lastUsedUserAgent: z.string().nullable(),
  /**
   * What kind of client last used it: `dashboard` (a web browser, signed in to the dashboard) or
   * `api` (the CLI, the SDK, curl or a script); null: never used since uses were recorded.
   */
  lastUsedClient: z.enum(['dashboard', 'api']).nullable(),
  /** When the token stops working; null: never. */
  expiresAt: IsoDateTime.nullable(),
  /** A read-only token is refused every change (every mutation). */
  readOnly: z.boolean(),
  /** The only projects the token may see and touch; null: every project its user may enter. */
  projectIds: z.array(ProjectId).nullable(),
  /** Whether this is the token the request that listed it was signed in with. */
  current: z.boolean(),
});
export type ApiToken = z.infer<typeof ApiToken>;

/**
 * Who is calling and where they may go. `projects` are those the token reaches; `token` says what
 * it allows, so that a dashboard can disable what a read-only or project-limited token may not do
 * (administration needs `user.isAdmin` and a token with `projectIds: null`).
 */
export const Whoami = z.object({
  user: User,
  projects: z.array(z.object({ id: ProjectId, name: z.string(), role: ProjectRole })),
  token: ApiToken.pick({ id: true, prefix: true, expiresAt: true, readOnly: true, projectIds: true }),
});
export type Whoami = z.infer<typeof Whoami>;

/** A token with its user: who is signed in with which token, for administrators. */
export const UserApiToken = ApiToken.extend({ user: User.pick({ id: true, name: true, isAdmin: true }) });
export type UserApiToken = z.infer<typeof UserApiToken>;

/** A newly issued token: the secret is shown once and stored only as a hash. */
export const IssuedToken = ApiToken.extend({ token: z.string() });
export type IssuedToken = z.infer<typeof IssuedToken>;

/** The longest expiry a token may be given, in days (about ten years). */
export const TOKEN_MAX_EXPIRY_DAYS = 3650;
/** The most projects one token may be limited to. */
export const TOKEN_MAX_PROJECTS = 200;

/**
 * A new token for the caller. A token never grants more than the one that creates it: a read-only
 * token makes read-only tokens, a token limited to projects makes tokens limited to some of them
 * (its own when `projectIds` is left out), and an expiring one makes tokens that expire no later.
 */
export const CreateTokenInput = z.object({
  name: z.string().min(1).max(100),
  /** Days until the token stops working; left out: it never expires. */
  expiresInDays: z
    .number()
    .int({ message: 'must be a whole number of days' })
    .min(1, { message: 'must be at least 1 day' })
    .max(TOKEN_MAX_EXPIRY_DAYS, { message: `must be at most ${TOKEN_MAX_EXPIRY_DAYS} days` })
    .optional(),
  /** Refuse every change made with the token: it may only read. */
  readOnly: z.boolean().default(false),
  /** Limit the token to these projects; left out: every project you belong to. */
  projectIds: z
    .array(ProjectId)
    .min(1, { message: 'must name at least one project; leave it out for every project' })
    .max(TOKEN_MAX_PROJECTS, { message: `must name at most ${TOKEN_MAX_PROJECTS} projects` })
    .optional(),
});
export type CreateTokenInput = z.input<typeof CreateTokenInput>;
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
