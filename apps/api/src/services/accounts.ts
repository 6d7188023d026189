import {
  accountsRepository as accounts,
  type ApiTokenRow,
  type Db,
  newId,
  projectsRepository as projects,
  type UserRow,
} from '@uncloud/db';
import {
  type ApiToken,
  type CreateTokenInput,
  type IssuedToken,
  type ProjectId,
  type TokenId,
  type User,
  type UserId,
  type Whoami,
  badRequest,
  conflict,
  notFound,
  quotaExceeded,
  unauthorized,
} from '@uncloud/sdk';
import type { AuthService, Caller, ClientSeen, UserService } from '@uncloud/sdk/contract';
import type { z } from 'zod';
import type { ServiceDeps } from './deps.ts';
import { iso } from './present.ts';
import { generateToken, hashToken, tokenPrefix } from './tokens.ts';

// Recording every use would turn each read into a write; a minute's precision is enough, except
// that a use from another address or client is recorded at once (after a second, so two clients
// taking turns with one token still write at most once a second).
const LAST_USED_PRECISION_MS = 60_000;
const NEW_CLIENT_PRECISION_MS = 1_000;
/** The most of a User-Agent kept: enough to name the client, bounded whatever a client sends. */
const USER_AGENT_MAX = 256;

/** A browser announces itself as Mozilla-compatible; the CLI, the SDK, curl and scripts do not. */
const clientKind = (userAgent: string | null): ApiToken['lastUsedClient'] =>
  userAgent === null ? null : /^Mozilla\//.test(userAgent) ? 'dashboard' : 'api';

/** Whether this use is worth a write: the last one is old, or came from elsewhere. */
const worthRecording = (row: ApiTokenRow, now: Date, from: ClientSeen | null): boolean => {
  const since = row.lastUsedAt ? now.getTime() - row.lastUsedAt.getTime() : Infinity;
  if (since > LAST_USED_PRECISION_MS) return true;
  const moved = from !== null && (from.ip !== row.lastUsedIp || from.userAgent !== row.lastUsedUserAgent);
  return moved && since > NEW_CLIENT_PRECISION_MS;
};

export const presentUser = (row: UserRow): User => ({
  id: row.id,
  name: row.name,
  email: row.email,
  isAdmin: row.isAdmin,
  createdAt: row.createdAt.toISOString(),
  disabledAt: iso(row.disabledAt),
});

const DAY_MS = 24 * 60 * 60 * 1000;

/** `current` marks the token the request is signed in with. */
const presentToken = (row: ApiTokenRow, current: TokenId | null = null): ApiToken => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  createdAt: row.createdAt.toISOString(),
  lastUsedAt: iso(row.lastUsedAt),
  lastUsedIp: row.lastUsedIp,
  lastUsedUserAgent: row.lastUsedUserAgent,
  lastUsedClient: row.lastUsedAt ? clientKind(row.lastUsedUserAgent) : null,
  expiresAt: iso(row.expiresAt),
  readOnly: row.readOnly,
  projectIds: row.projectIds,
  current: row.id === current,
});

/**
 * Whether a limited token may see (and revoke) another token of its user: only those no broader
 * than itself, so a leaked project-limited token reveals no other project's ids and cannot revoke
 * the tokens its user relies on elsewhere. An unlimited token reaches all of them.
 */
const withinReach = (caller: Caller, row: ApiTokenRow): boolean => {
  if (row.id === caller.tokenId) return true;
  const scope = caller.projectIds;
  if (scope && (!row.projectIds || !row.projectIds.every((id) => scope.includes(id)))) return false;
  if (caller.readOnly && !row.readOnly) return false;
  const ceiling = caller.tokenExpiresAt;
  return !ceiling || (row.expiresAt !== null && row.expiresAt <= ceiling);
};

/** What a token may do, stored with it. */
export interface TokenGrant {
  expiresAt: Date | null;
  readOnly: boolean;
  projectIds: ProjectId[] | null;
}

const unrestricted: TokenGrant = { expiresAt: null, readOnly: false, projectIds: null };

/** Issues a token for a user and stores only its hash and its first characters. */
export const issueToken = (
  db: Db,
  userId: UserId,
  name: string,
  token = generateToken(),
  grant: TokenGrant = unrestricted,
): IssuedToken => {
  const row = accounts.insertToken(db, {
    id: newId('token'),
    userId,
    name,
    tokenHash: hashToken(token),
    prefix: tokenPrefix(token),
    ...grant,
  });
  return { ...presentToken(row), token };
};

/**
 * What a new token may do: what was asked, never more than the caller's own token. Left-out limits
 * are inherited from it; a project outside its reach answers as it would to a non-member.
 */
const grantFor = (
  db: Db,
  caller: Caller,
  input: z.output<typeof CreateTokenInput>,
  now: Date,
): TokenGrant => {
  let expiresAt = input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * DAY_MS) : null;
  const ceiling = caller.tokenExpiresAt;
  if (ceiling && (!expiresAt || expiresAt > ceiling)) {
    if (expiresAt) {
      const most = Math.floor((ceiling.getTime() - now.getTime()) / DAY_MS);
      throw badRequest(
        `the token you are using expires at ${ceiling.toISOString()}, and a token it creates cannot outlive it: ${most >= 1 ? `ask for at most ${most} days, or ` : ''}leave expiresInDays out to expire with it`,
        'expiresInDays',
      );
    }
    expiresAt = ceiling;
  }
  let projectIds: ProjectId[] | null = caller.projectIds ? [...caller.projectIds] : null;
  if (input.projectIds) {
    projectIds = [...new Set(input.projectIds)];
    for (const id of projectIds) {
      const reachable = !caller.projectIds || caller.projectIds.includes(id);
      if (reachable && projects.role(db, id, caller.userId)) continue;
      // An administrator sees every project anyway; tell them why theirs is refused.
      if (reachable && caller.isAdmin && projects.find(db, id))
        throw badRequest(
          `you are not a member of project ${id}: a token limited to projects acts with your roles in them, not as administrator; add yourself to the project first`,
          'projectIds',
        );
      throw notFound('project', id, 'projectIds');
    }
  }
  return { expiresAt, readOnly: input.readOnly || caller.readOnly, projectIds };
};

export const createAuthService = (deps: ServiceDeps): AuthService => ({
  authenticate(token, seen) {
    const found = accounts.useToken(deps.store.db, hashToken(token));
    // A disabled user's tokens stop working with the next request: the user is read with the token.
    if (!found || found.user.disabledAt) return null;
    const now = new Date();
    const { expiresAt } = found.token;
    if (expiresAt && expiresAt.getTime() <= now.getTime())
      throw unauthorized(
        `This API token expired at ${expiresAt.toISOString()}; create a new one (API tokens in the dashboard, or tokens.create signed in with a token that still works)`,
      );
    const from = seen
      ? { ip: seen.ip, userAgent: seen.userAgent?.slice(0, USER_AGENT_MAX) ?? null }
      : null;
    if (worthRecording(found.token, now, from)) accounts.touchToken(deps.store.db, found.token.id, now, from);
    const scoped = found.token.projectIds;
    return {
      userId: found.user.id,
      name: found.user.name,
      // A token limited to projects carries no administrator powers, only the user's roles there.
      isAdmin: found.user.isAdmin && !scoped,
      tokenId: found.token.id,
      tokenPrefix: found.token.prefix,
      readOnly: found.token.readOnly,
      projectIds: scoped,
      tokenExpiresAt: expiresAt,
    };
  },

  whoami(caller) {
    const db = deps.store.db;
    const user = accounts.findUser(db, caller.userId)!;
    const roles = projects.rolesOf(db, caller.userId);
    const visible: Whoami['projects'] = [];
    let cursor: string | undefined;
    do {
      const page = projects.list(db, caller.isAdmin ? undefined : caller.userId, {
        limit: 200,
        cursor,
        within: caller.projectIds,
      });
      for (const p of page.items) visible.push({ id: p.id, name: p.name, role: roles.get(p.id) ?? 'owner' });
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return {
      user: presentUser(user),
      projects: visible,
      token: {
        id: caller.tokenId,
        prefix: caller.tokenPrefix,
        expiresAt: iso(caller.tokenExpiresAt),
        readOnly: caller.readOnly,
        projectIds: caller.projectIds ? [...caller.projectIds] : null,
      },
    };
  },
});

export const createUserService = (deps: ServiceDeps): UserService => ({
  list: () => accounts.listUsers(deps.store.db).map(presentUser),

  create(input) {
    return deps.store.transaction((db) => {
      const user = accounts.insertUser(db, {
        id: newId('user'),
        name: input.name,
        email: input.email ?? null,
        isAdmin: input.isAdmin,
      });
      return { user: presentUser(user), token: issueToken(db, user.id, 'initial') };
    });
  },

  listTokens: (caller) =>
    accounts
      .listTokens(deps.store.db, caller.userId)
      .filter((row) => withinReach(caller, row))
      .map((row) => presentToken(row, caller.tokenId)),

  createToken: (caller, input) =>
    deps.store.transaction((db) => {
      const max = deps.userLimits.maxTokensPerUser;
      if (!caller.isAdmin && accounts.countTokens(db, caller.userId) >= max) {
        throw quotaExceeded(
          `you already have ${max} API tokens, the most one user may hold here; revoke ones you no longer use (tokens.revoke), then create this one`,
        );
      }
      return issueToken(
        db,
        caller.userId,
        input.name,
        generateToken(),
        grantFor(db, caller, input, new Date()),
      );
    }),

  revokeToken(caller, id) {
    deps.store.transaction((db) => {
      const row = accounts.findToken(db, caller.userId, id);
      if (!row || !withinReach(caller, row)) throw notFound('token', id);
      accounts.deleteToken(db, caller.userId, id);
    });
  },

  disable: (caller, userId) =>
    deps.store.transaction((db) => {
      const user = guardedUser(db, caller, userId, 'disable');
      return presentUser(user.disabledAt ? user : accounts.setDisabled(db, userId, new Date()));
    }),

  enable: (_caller, userId) => presentUser(accounts.setDisabled(deps.store.db, userId, null)),

  delete(caller, userId) {
    deps.store.transaction((db) => {
      const user = guardedUser(db, caller, userId, 'delete');
      const sole = projects.soleOwnedBy(db, userId);
      if (sole.length > 0)
        throw conflict(
          `${user.name} is the only owner of ${sole.length === 1 ? 'project' : 'projects'} ${sole.join(', ')}; make someone else owner there first, or disable ${user.name} instead`,
          'userId',
        );
      accounts.deleteUser(db, userId);
    });
  },

  listTokensOf(userId) {
    if (!accounts.findUser(deps.store.db, userId)) throw notFound('user', userId, 'userId');
    return accounts.listTokens(deps.store.db, userId).map((row) => presentToken(row));
  },

  revokeTokenOf(userId, id) {
    accounts.deleteToken(deps.store.db, userId, id);
  },

  listAllTokens: (caller) =>
    accounts
      .listAllTokens(deps.store.db)
      .map(({ token, user }) => ({
        ...presentToken(token, caller.tokenId),
        user: { id: user.id, name: user.name, isAdmin: user.isAdmin },
      })),
});

/** The user an administrator may shut out: not themselves, and never the last administrator left. */
const guardedUser = (db: Db, caller: Caller, userId: UserId, verb: 'disable' | 'delete'): UserRow => {
  const user = accounts.findUser(db, userId);
  if (!user) throw notFound('user', userId, 'userId');
  if (userId === caller.userId)
    throw conflict(`you cannot ${verb} yourself; ask another administrator`, 'userId');
  if (user.isAdmin && !user.disabledAt && accounts.countEnabledAdmins(db, userId) === 0)
    throw conflict(
      `${user.name} is the last administrator who can sign in; create another administrator first`,
      'userId',
    );
  return user;
};
