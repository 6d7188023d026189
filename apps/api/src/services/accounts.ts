import {
  accountsRepository as accounts,
  type Db,
  newId,
  projectsRepository as projects,
  type UserRow,
} from '@uncloud/db';
import {
  type ApiToken,
  type IssuedToken,
  type TokenId,
  type User,
  type UserId,
  type Whoami,
  conflict,
  notFound,
  quotaExceeded,
} from '@uncloud/sdk';
import type { AuthService, Caller, UserService } from '@uncloud/sdk/contract';
import type { ServiceDeps } from './deps.ts';
import { iso } from './present.ts';
import { generateToken, hashToken } from './tokens.ts';

// Recording every use would turn each read into a write; a minute's precision is enough.
const LAST_USED_PRECISION_MS = 60_000;

export const presentUser = (row: UserRow): User => ({
  id: row.id,
  name: row.name,
  email: row.email,
  isAdmin: row.isAdmin,
  createdAt: row.createdAt.toISOString(),
  disabledAt: iso(row.disabledAt),
});

const presentToken = (row: {
  id: TokenId;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}): ApiToken => ({
  id: row.id,
  name: row.name,
  createdAt: row.createdAt.toISOString(),
  lastUsedAt: iso(row.lastUsedAt),
});

/** Issues a token for a user and stores only its hash. */
export const issueToken = (db: Db, userId: UserId, name: string, token = generateToken()): IssuedToken => {
  const row = accounts.insertToken(db, { id: newId('token'), userId, name, tokenHash: hashToken(token) });
  return { ...presentToken(row), token };
};

export const createAuthService = (deps: ServiceDeps): AuthService => ({
  authenticate(token) {
    const found = accounts.useToken(deps.store.db, hashToken(token));
    // A disabled user's tokens stop working with the next request: the user is read with the token.
    if (!found || found.user.disabledAt) return null;
    const now = new Date();
    if (
      !found.token.lastUsedAt ||
      now.getTime() - found.token.lastUsedAt.getTime() > LAST_USED_PRECISION_MS
    ) {
      accounts.touchToken(deps.store.db, found.token.id, now);
    }
    return {
      userId: found.user.id,
      name: found.user.name,
      isAdmin: found.user.isAdmin,
      tokenId: found.token.id,
    };
  },

  whoami(caller) {
    const db = deps.store.db;
    const user = accounts.findUser(db, caller.userId)!;
    const roles = projects.rolesOf(db, caller.userId);
    const visible: Whoami['projects'] = [];
    let cursor: string | undefined;
    do {
      const page = projects.list(db, caller.isAdmin ? undefined : caller.userId, { limit: 200, cursor });
      for (const p of page.items) visible.push({ id: p.id, name: p.name, role: roles.get(p.id) ?? 'owner' });
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return { user: presentUser(user), projects: visible };
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

  listTokens: (caller) => accounts.listTokens(deps.store.db, caller.userId).map(presentToken),

  createToken: (caller, input) =>
    deps.store.transaction((db) => {
      const max = deps.userLimits.maxTokensPerUser;
      if (!caller.isAdmin && accounts.countTokens(db, caller.userId) >= max) {
        throw quotaExceeded(
          `you already have ${max} API tokens, the most one user may hold here; revoke ones you no longer use (tokens.revoke), then create this one`,
        );
      }
      return issueToken(db, caller.userId, input.name);
    }),

  revokeToken(caller, id) {
    accounts.deleteToken(deps.store.db, caller.userId, id);
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
    return accounts.listTokens(deps.store.db, userId).map(presentToken);
  },

  revokeTokenOf(userId, id) {
    accounts.deleteToken(deps.store.db, userId, id);
  },
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
