import {
  type Db,
  type LoadBalancerRow,
  dropletsRepository,
  loadBalancersRepository as loadBalancers,
  newId,
  tables,
} from '@uncloud/db';
import {
  type DropletId,
  type LoadBalancer,
  type ProjectId,
  type TargetHealth,
  badRequest,
} from '@uncloud/sdk';
import { type LoadBalancerService } from '@uncloud/sdk/contract';
import { loadBalancerQuotaCost } from '@uncloud/kube';
import { and, inArray, isNull, ne } from 'drizzle-orm';
import type { ServiceDeps } from './deps.ts';
import { reconciledOutput } from './present.ts';
import { assertWithinQuota } from './quota-usage.ts';
import { resourceService } from './resource-service.ts';

interface Candidate {
  id: DropletId;
  name: string;
  tags: string[];
  state: string;
}

/** The droplets (not being deleted) of some projects, for expanding load balancer targets. */
const dropletsOf = (db: Db, projectIds: ProjectId[]): Map<string, Candidate[]> => {
  const byProject = new Map<string, Candidate[]>();
  if (projectIds.length === 0) return byProject;
  const table = tables.droplets;
  const rows = db
    .select({
      id: table.id,
      projectId: table.projectId,
      name: table.name,
      tags: table.tags,
      state: table.state,
    })
    .from(table)
    .where(and(inArray(table.projectId, projectIds), isNull(table.deletedAt), ne(table.state, 'deleting')))
    .all();
  for (const row of rows) byProject.set(row.projectId, [...(byProject.get(row.projectId) ?? []), row]);
  return byProject;
};

/** Why a target is (not) taking traffic, in a sentence. */
const targetReason = (dropletState: string, check: TargetHealth | undefined) => {
  if (dropletState === 'stopped' || dropletState === 'stopping') return 'the droplet is powered off';
  if (dropletState !== 'active') return `the droplet is ${dropletState}`;
  return check ? check.reason : 'waiting for its first health check';
};

const presentLoadBalancers = (db: Db, rows: LoadBalancerRow[]): LoadBalancer[] => {
  const droplets = dropletsOf(db, [...new Set(rows.map((r) => r.projectId))]);
  return rows.map((row): LoadBalancer => {
    const healthy = new Set(row.healthy);
    const targets = (droplets.get(row.projectId) ?? [])
      .filter((d) => (row.tag ? d.tags.includes(row.tag) : row.dropletIds.includes(d.id)))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
      .map((d) => {
        const check = row.targetHealth[d.id];
        return {
          dropletId: d.id,
          name: d.name,
          // What the cluster lists ready, with why (the health check's last word, or the droplet's state).
          healthy: healthy.has(d.id),
          reason: targetReason(d.state, check),
          since: d.state === 'active' ? (check?.since ?? null) : null,
        };
      });
    return {
      id: row.id,
      projectId: row.projectId,
      name: row.name,
      // Rules stored before hostnames existed have none.
      forwardingRules: row.forwardingRules.map((r) => ({ ...r, hostname: r.hostname ?? null })),
      healthCheck: row.healthCheck,
      dropletIds: row.dropletIds,
      tag: row.tag,
      stickySessions: row.stickySessions,
      // The certificate's source only: the key never leaves the server.
      tlsCertificate: row.tlsCertificate ? { source: row.tlsCertificate.source } : null,
      redirectHttpToHttps: row.redirectHttpToHttps,
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
        // In the transaction that writes it: two creates cannot both squeeze under the limit.
        assertWithinQuota(db, scope.projectId, loadBalancerQuotaCost(), 'name');
        return loadBalancers.insert(db, {
          id: newId('loadBalancer'),
          projectId: scope.projectId,
          name: input.name,
          forwardingRules: input.forwardingRules,
          healthCheck: input.healthCheck,
          dropletIds: input.dropletIds,
          tag: input.tag,
          stickySessions: input.stickySessions,
          tlsCertificate: input.tlsCertificate,
          redirectHttpToHttps: input.redirectHttpToHttps,
        });
      }),

    update(scope, { projectId: _, id, ...patch }) {
      assertDropletsExist(deps.store.db, scope.projectId, patch.dropletIds);
      // The rules and the certificate as they will be: an HTTPS hostname needs a certificate.
      const current = loadBalancers.get(deps.store.db, scope.projectId, id);
      const rules = patch.forwardingRules ?? current.forwardingRules;
      const tls = patch.tlsCertificate !== undefined ? patch.tlsCertificate : current.tlsCertificate;
      const https = rules.find((r) => r.entryProtocol === 'https' && r.hostname);
      if (https && tls === null)
        throw badRequest(
          `HTTPS for ${https.hostname} needs a certificate: upload one, or choose cert-manager`,
          'tlsCertificate',
        );
      // Naming droplets replaces a tag and the other way round: targets are one or the other.
      const targets = patch.dropletIds?.length
        ? { tag: null }
        : patch.tag
          ? { dropletIds: [] as DropletId[] }
          : {};
      return base.update(scope, id, { ...patch, ...targets });
    },

    delete: (scope, ref) => base.delete(scope, ref),

    addDroplets: (scope, { id, dropletIds }) =>
      base.act(scope, id, 'addDroplets', (db, row) => {
        if (row.tag)
          throw badRequest(
            `this load balancer sends to the droplets tagged "${row.tag}": tag the droplets instead`,
            'dropletIds',
          );
        assertDropletsExist(db, scope.projectId, dropletIds);
        // Droplets already behind it stay once (as DigitalOcean's action does).
        const added = [...new Set(dropletIds)].filter((d) => !row.dropletIds.includes(d));
        return {
          patch: { dropletIds: [...row.dropletIds, ...added] },
          params: { dropletIds: added },
        };
      }),

    removeDroplets: (scope, { id, dropletIds }) =>
      base.act(scope, id, 'removeDroplets', (_db, row) => {
        if (row.tag)
          throw badRequest(
            `this load balancer sends to the droplets tagged "${row.tag}": untag the droplets instead`,
            'dropletIds',
          );
        return {
          patch: { dropletIds: row.dropletIds.filter((d) => !dropletIds.includes(d)) },
          params: { dropletIds },
        };
      }),
  };
};
