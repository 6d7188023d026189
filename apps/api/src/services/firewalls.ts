import {
  type Db,
  type FirewallRow,
  appsRepository,
  dropletsRepository,
  firewallsRepository as firewalls,
  newId,
} from '@uncloud/db';
import { AppId, DropletId, type Firewall, type ProjectId, badRequest, classifyEndpoint } from '@uncloud/sdk';
import { type FirewallService } from '@uncloud/sdk/contract';
import type { ServiceDeps } from './deps.ts';
import { reconciledOutput } from './present.ts';
import { resourceService } from './resource-service.ts';

const presentFirewalls = (_db: Db, rows: FirewallRow[]): Firewall[] =>
  rows.map((row): Firewall => ({
    id: row.id,
    projectId: row.projectId,
    name: row.name,
    inbound: row.inbound,
    outbound: row.outbound,
    targets: row.targets,
    state: row.state,
    ...reconciledOutput(row),
  }));

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

  return {
    list: base.list,
    get: base.get,

    create: (scope, input) =>
      base.commit(scope, (db) => {
        assertReferencesExist(db, scope.projectId, input);
        return firewalls.insert(db, {
          id: newId('firewall'),
          projectId: scope.projectId,
          name: input.name,
          inbound: input.inbound,
          outbound: input.outbound,
          targets: input.targets,
        });
      }),

    update(scope, { projectId: _, id, ...patch }) {
      assertReferencesExist(deps.store.db, scope.projectId, patch);
      return base.update(scope, id, patch);
    },

    delete: (scope, ref) => base.delete(scope, ref),
  };
};
