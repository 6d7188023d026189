import {
  type Db,
  type LoadBalancerRow,
  dropletsRepository,
  loadBalancersRepository as loadBalancers,
  newId,
  tables,
} from '@uncloud/db';
import { type DropletId, type LoadBalancer, type ProjectId, badRequest } from '@uncloud/sdk';
import { type LoadBalancerService } from '@uncloud/sdk/contract';
import { and, inArray, isNull, ne } from 'drizzle-orm';
import type { ServiceDeps } from './deps.ts';
import { reconciledOutput } from './present.ts';
import { resourceService } from './resource-service.ts';

interface Candidate {
  id: DropletId;
  name: string;
  tags: string[];
}

/** The droplets (not being deleted) of some projects, for expanding load balancer targets. */
const dropletsOf = (db: Db, projectIds: ProjectId[]): Map<string, Candidate[]> => {
  const byProject = new Map<string, Candidate[]>();
  if (projectIds.length === 0) return byProject;
  const table = tables.droplets;
  const rows = db
    .select({ id: table.id, projectId: table.projectId, name: table.name, tags: table.tags })
    .from(table)
    .where(and(inArray(table.projectId, projectIds), isNull(table.deletedAt), ne(table.state, 'deleting')))
    .all();
  for (const row of rows) byProject.set(row.projectId, [...(byProject.get(row.projectId) ?? []), row]);
  return byProject;
};

const presentLoadBalancers = (db: Db, rows: LoadBalancerRow[]): LoadBalancer[] => {
  const droplets = dropletsOf(db, [...new Set(rows.map((r) => r.projectId))]);
  return rows.map((row): LoadBalancer => {
    const healthy = new Set(row.healthy);
    const targets = (droplets.get(row.projectId) ?? [])
      .filter((d) => (row.tag ? d.tags.includes(row.tag) : row.dropletIds.includes(d.id)))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
      .map((d) => ({ dropletId: d.id, name: d.name, healthy: healthy.has(d.id) }));
    return {
      id: row.id,
      projectId: row.projectId,
      name: row.name,
      forwardingRules: row.forwardingRules,
      healthCheck: row.healthCheck,
      dropletIds: row.dropletIds,
      tag: row.tag,
      stickySessions: row.stickySessions,
      address: row.address,
      targets,
      state: row.state,
      ...reconciledOutput(row),
    };
  });
};

/** Target droplets must be droplets of the same project. */
const assertDropletsExist = (db: Db, projectId: ProjectId, ids: readonly DropletId[] | undefined) =>
  (ids ?? []).forEach((id, i) => {
    if (!dropletsRepository.find(db, projectId, id))
      throw badRequest(`droplet ${id} is not in this project`, `dropletIds.${i}`);
  });

export const createLoadBalancerService = (deps: ServiceDeps): LoadBalancerService => {
  const base = resourceService(deps, 'loadBalancer', loadBalancers, presentLoadBalancers);
  return {
    list: base.list,
    get: base.get,

    create: (scope, input) =>
      base.commit(scope, (db) => {
        assertDropletsExist(db, scope.projectId, input.dropletIds);
        return loadBalancers.insert(db, {
          id: newId('loadBalancer'),
          projectId: scope.projectId,
          name: input.name,
          forwardingRules: input.forwardingRules,
          healthCheck: input.healthCheck,
          dropletIds: input.dropletIds,
          tag: input.tag,
          stickySessions: input.stickySessions,
        });
      }),

    update(scope, { projectId: _, id, ...patch }) {
      assertDropletsExist(deps.store.db, scope.projectId, patch.dropletIds);
      // Naming droplets replaces a tag and the other way round: targets are one or the other.
      const targets = patch.dropletIds?.length
        ? { tag: null }
        : patch.tag
          ? { dropletIds: [] as DropletId[] }
          : {};
      return base.update(scope, id, { ...patch, ...targets });
    },

    delete: (scope, ref) => base.delete(scope, ref),
  };
};
