import {
  type Db,
  newId,
  projectsRepository as projects,
  quotasRepository as quotas,
  sshKeysRepository,
  type ProjectRow,
  appsRepository,
  databasesRepository,
  dropletsRepository,
  firewallsRepository,
  loadBalancersRepository,
  reservedIpsRepository,
  snapshotsRepository,
  bucketsRepository,
  databaseBackupsRepository,
  volumesRepository,
} from '@uncloud/db';
import {
  type Project,
  type ProjectId,
  type ProjectRole,
  type UserId,
  defaultQuotaLimits,
  badRequest,
  conflict,
  forbidden,
  notFound,
  quotaExceeded,
  allResourceKinds,
  resourceKinds,
  type ResourceKind,
} from '@uncloud/sdk';
import { type Caller, type ProjectScope, type ProjectService } from '@uncloud/sdk/contract';
import { presentUser } from './accounts.ts';
import type { ServiceDeps } from './deps.ts';
import { reconciledOutput, withStaleness } from './present.ts';
import { accountsRepository } from '@uncloud/db';

const presentProjectRow = (row: ProjectRow, role: ProjectRole): Project => ({
  id: row.id,
  name: row.name,
  description: row.description,
  purpose: row.purpose,
  isDefault: row.isDefault,
  role,
  state: row.state,
  namespace: row.namespace,
  ...reconciledOutput(row),
});

/** Creates a project with its owner and default quota, in the caller's transaction. */
export const insertProject = (
  db: Db,
  ownerId: UserId,
  input: { name: string; description: string; purpose: string; isDefault?: boolean },
): ProjectRow => {
  const row = projects.insert(db, { id: newId('project'), ...input });
  projects.putMember(db, row.id, ownerId, 'owner');
  quotas.insert(db, { projectId: row.id, ...defaultQuotaLimits });
  return row;
};

/**
 * The one door into a project: the caller's role in it. A project outside the token's reach, one
 * the caller is not a member of and one that does not exist all answer the same NOT_FOUND, so ids
 * of others' projects reveal nothing.
 */
export const accessProject = (db: Db, caller: Caller, projectId: ProjectId): ProjectScope => {
  const reachable = !caller.projectIds || caller.projectIds.includes(projectId);
  const role = !reachable
    ? undefined
    : caller.isAdmin
      ? 'owner'
      : projects.role(db, projectId, caller.userId);
  if (!role || !projects.find(db, projectId)) throw notFound('project', projectId, 'projectId');
  return { caller, projectId, role };
};

/** How many of each kind a project holds; a kind missing here is a compile error, not a gap. */
const countInProject: Record<ResourceKind, (db: Db, projectId: ProjectId) => number> = {
  droplet: dropletsRepository.countInProject,
  volume: volumesRepository.countInProject,
  app: appsRepository.countInProject,
  database: databasesRepository.countInProject,
  firewall: firewallsRepository.countInProject,
  loadBalancer: loadBalancersRepository.countInProject,
  reservedIp: reservedIpsRepository.countInProject,
  snapshot: snapshotsRepository.countInProject,
  bucket: bucketsRepository.countInProject,
  databaseBackup: databaseBackupsRepository.countInProject,
  sshKey: sshKeysRepository.countInProject,
};

export const createProjectService = (deps: ServiceDeps): ProjectService => {
  const { store, events } = deps;
  const stale = withStaleness(deps.runtime);
  const presentProject = (row: ProjectRow, role: ProjectRole) => stale(presentProjectRow(row, role));

  return {
    access: (caller, projectId) => accessProject(store.db, caller, projectId),

    list(caller, input) {
      const db = store.db;
      const roles = projects.rolesOf(db, caller.userId);
      const page = projects.list(db, caller.isAdmin ? undefined : caller.userId, {
        ...input,
        within: caller.projectIds,
      });
      return {
        items: page.items.map((row) => presentProject(row, roles.get(row.id) ?? 'owner')),
        nextCursor: page.nextCursor,
        total: page.total,
      };
    },

    get: (scope) => presentProject(projects.find(store.db, scope.projectId)!, scope.role),

    create(caller, input) {
      if (caller.projectIds)
        throw forbidden(
          'this token is limited to some projects and cannot create new ones; create projects with a token for every project',
        );
      const row = store.transaction((db) => {
        // Counted in the transaction that inserts, so concurrent creates cannot both slip under.
        const max = deps.userLimits.maxProjectsPerUser;
        if (!caller.isAdmin && projects.countOwnedBy(db, caller.userId) >= max) {
          throw quotaExceeded(
            max === 0
              ? 'only administrators create projects on this server; ask one to create it and add you as its owner'
              : `you already own ${max} projects, the most one user may own here; delete one you no longer need, or ask an administrator to create this one`,
          );
        }
        return insertProject(db, caller.userId, input);
      });
      events.emit({ kind: 'project', id: row.id, projectId: row.id });
      return presentProject(row, 'owner');
    },

    update(scope, input) {
      const { projectId: _, ...patch } = input;
      const row = projects.update(store.db, scope.projectId, patch);
      events.emit({ kind: 'project', id: row.id, projectId: row.id });
      return presentProject(row, scope.role);
    },

    delete(scope) {
      const row = store.transaction((db) => {
        const project = projects.find(db, scope.projectId)!;
        if (project.isDefault) throw conflict('the default project cannot be deleted');
        if (project.state === 'deleting') return project;
        const left = allResourceKinds
          .map((kind) => ({ kind, n: countInProject[kind](db, scope.projectId) }))
          .filter(({ n }) => n > 0);
        if (left.length > 0) {
          const list = left
            .map(({ kind, n }) => `${n} ${n === 1 ? resourceKinds[kind].label : resourceKinds[kind].plural}`)
            .join(', ');
          throw conflict(`the project still holds ${list}; delete or move them first`);
        }
        return projects.markDeleting(db, scope.projectId);
      });
      events.emit({ kind: 'project', id: row.id, projectId: row.id });
      return presentProject(row, scope.role);
    },

    members: (scope) =>
      projects.members(store.db, scope.projectId).map((m) => ({ user: presentUser(m.user), role: m.role })),

    addMember(scope, input) {
      return store.transaction((db) => {
        const user = accountsRepository.findUser(db, input.userId);
        if (!user) throw badRequest(`user ${input.userId} does not exist`, 'userId');
        const current = projects.role(db, scope.projectId, input.userId);
        if (current === 'owner' && input.role !== 'owner' && projects.ownerCount(db, scope.projectId) === 1) {
          throw conflict('a project needs at least one owner; make someone else owner first', 'role');
        }
        projects.putMember(db, scope.projectId, input.userId, input.role);
        return { user: presentUser(user), role: input.role };
      });
    },

    removeMember(scope, userId) {
      store.transaction((db) => {
        const current = projects.role(db, scope.projectId, userId);
        if (!current) throw notFound('member', userId);
        if (current === 'owner' && projects.ownerCount(db, scope.projectId) === 1) {
          throw conflict('a project needs at least one owner; make someone else owner first', 'userId');
        }
        projects.removeMember(db, scope.projectId, userId);
      });
    },
  };
};
