import {
  type Db,
  type FirewallRow,
  appsRepository,
  dropletsRepository,
  firewallsRepository as firewalls,
  newId,
  tables,
} from '@uncloud/db';
import {
  AppId,
  DropletId,
  type Firewall,
  type FirewallTargetStatus,
  type ProjectId,
  badRequest,
  classifyEndpoint,
} from '@uncloud/sdk';
import { and, inArray, isNull, ne } from 'drizzle-orm';
import { type FirewallService } from '@uncloud/sdk/contract';
import type { ServiceDeps } from './deps.ts';
import { reconciledOutput } from './present.ts';
import { resourceService } from './resource-service.ts';

interface Candidate {
  id: string;
  kind: 'droplet' | 'app';
  name: string;
  tags: string[];
}

/** The droplets and apps (not being deleted) of some projects, for expanding firewall targets. */
const candidatesOf = (db: Db, projectIds: ProjectId[]): Map<string, Candidate[]> => {
  const byProject = new Map<string, Candidate[]>();
  if (projectIds.length === 0) return byProject;
  for (const [kind, table] of [
    ['droplet', tables.droplets],
    ['app', tables.apps],
  ] as const) {
    const rows = db
      .select({ id: table.id, projectId: table.projectId, name: table.name, tags: table.tags })
      .from(table)
      .where(and(inArray(table.projectId, projectIds), isNull(table.deletedAt), ne(table.state, 'deleting')))
      .all();
    for (const row of rows)
      byProject.set(row.projectId, [...(byProject.get(row.projectId) ?? []), { ...row, kind }]);
  }
  return byProject;
};

const ICMP_UNENFORCED =
  'ICMP rules are not enforced: without Cilium the cluster cannot allow ICMP, so ICMP to it is dropped';

/**
 * Which droplets and apps a firewall means now (ids and tag members), and for each whether the
 * policy in the cluster selects it: what the user needs to trust that the firewall is in force.
 */
const appliesTo = (row: FirewallRow, candidates: Candidate[]): FirewallTargetStatus[] => {
  const tags = new Set(row.targets.filter((t) => t.startsWith('tag:')).map((t) => t.slice(4)));
  const ids = new Set(row.targets);
  const applied = new Set(row.appliedTo);
  const icmp =
    row.policyKind === 'NetworkPolicy' &&
    [...row.inbound, ...row.outbound].some((r) => r.protocol === 'icmp');
  return candidates
    .filter((c) => ids.has(c.id) || c.tags.some((t) => tags.has(t)))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
    .map((c) => {
      const enforced = applied.has(c.id);
      return {
        id: c.id,
        kind: c.kind,
        name: c.name,
        enforced,
        note: !enforced
          ? 'not enforced yet: the cluster has not applied the policy to it'
          : icmp
            ? ICMP_UNENFORCED
            : null,
      };
    });
};

const presentFirewalls = (db: Db, rows: FirewallRow[]): Firewall[] => {
  const candidates = candidatesOf(db, [...new Set(rows.map((r) => r.projectId))]);
  return rows.map((row): Firewall => ({
    id: row.id,
    projectId: row.projectId,
    name: row.name,
    inbound: row.inbound,
    outbound: row.outbound,
    targets: row.targets,
    allowDns: row.allowDns,
    appliesTo: appliesTo(row, candidates.get(row.projectId) ?? []),
    state: row.state,
    ...reconciledOutput(row),
  }));
};

interface Rules {
  inbound?: { sources: string[] }[] | undefined;
  outbound?: { destinations: string[] }[] | undefined;
  targets?: string[] | undefined;
}

/** Droplet and app ids in rules and targets must name resources of the same project. */
const assertReferencesExist = (db: Db, projectId: ProjectId, rules: Rules) => {
  const references: [string, string][] = [
    ...(rules.inbound ?? []).flatMap((r, i) =>
      r.sources.map((v, j): [string, string] => [`inbound.${i}.sources.${j}`, v]),
    ),
    ...(rules.outbound ?? []).flatMap((r, i) =>
      r.destinations.map((v, j): [string, string] => [`outbound.${i}.destinations.${j}`, v]),
    ),
    ...(rules.targets ?? []).map((v, i): [string, string] => [`targets.${i}`, v]),
  ];
  for (const [field, value] of references) {
    const kind = classifyEndpoint(value);
    const droplet = kind === 'droplet' && DropletId.safeParse(value);
    const app = kind === 'app' && AppId.safeParse(value);
    const exists = droplet
      ? droplet.success && dropletsRepository.find(db, projectId, droplet.data)
      : app
        ? app.success && appsRepository.find(db, projectId, app.data)
        : true;
    if (!exists) throw badRequest(`${kind} ${value} is not in this project`, field);
  }
};

export const createFirewallService = (deps: ServiceDeps): FirewallService => {
  const base = resourceService(deps, 'firewall', firewalls, presentFirewalls);
  // A firewall shapes objects of others: the project's isolation policy leaves firewalled droplets
  // and apps out, and a droplet's public address forwards the ports its firewalls allow (and admits
  // the internet only without one). They follow every change at once, not at the next resync.
  const nudgeProject = <T>(scope: { projectId: ProjectId }, result: T): T => {
    const { projectId } = scope;
    deps.events.emit({ kind: 'project', id: projectId, projectId });
    for (const c of candidatesOf(deps.store.db, [projectId]).get(projectId) ?? [])
      if (c.kind === 'droplet') deps.events.emit({ kind: 'droplet', id: c.id, projectId });
    return result;
  };

  return {
    list: base.list,
    get: base.get,

    create: (scope, input) =>
      nudgeProject(
        scope,
        base.commit(scope, (db) => {
          assertReferencesExist(db, scope.projectId, input);
          return firewalls.insert(db, {
            id: newId('firewall'),
            projectId: scope.projectId,
            name: input.name,
            inbound: input.inbound,
            outbound: input.outbound,
            targets: input.targets,
            allowDns: input.allowDns,
          });
        }),
      ),

    update(scope, { projectId: _, id, ...patch }) {
      assertReferencesExist(deps.store.db, scope.projectId, patch);
      return nudgeProject(scope, base.update(scope, id, patch));
    },

    delete: (scope, ref) => nudgeProject(scope, base.delete(scope, ref)),
  };
};
