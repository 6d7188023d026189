import {
  type Db,
  type ReservedIpRow,
  dropletsRepository,
  newId,
  reservedIpsRepository as reservedIps,
  tables,
} from '@uncloud/db';
import {
  type DropletId,
  type ProjectId,
  type ReservedIp,
  type ReservedIpId,
  badRequest,
  conflict,
  unavailable,
} from '@uncloud/sdk';
import { type ReservedIpService } from '@uncloud/sdk/contract';
import { and, eq, inArray, ne } from 'drizzle-orm';
import { reservedIpQuotaCost } from '@uncloud/kube';
import { nothingToChange } from './actions.ts';
import type { ServiceDeps } from './deps.ts';
import { reconciledOutput } from './present.ts';
import { assertWithinQuota } from './quota-usage.ts';
import { DEFAULT_REGION, type ReservedIpPool, parseReservedIpPool } from './reserved-ip-pool.ts';
import { resourceService } from './resource-service.ts';

/** Where reserved IPs come from: the administrator's pool, in the installation's one region. */
export interface ReservedIpSettings {
  pool: ReservedIpPool;
  region: string;
}

const table = tables.reservedIps;

const presentReservedIps = (db: Db, rows: ReservedIpRow[]): ReservedIp[] => {
  const dropletIds = [...new Set(rows.flatMap((r) => (r.dropletId ? [r.dropletId] : [])))];
  const names = new Map(
    dropletIds.length === 0
      ? []
      : db
          .select({ id: tables.droplets.id, name: tables.droplets.name })
          .from(tables.droplets)
          .where(inArray(tables.droplets.id, dropletIds))
          .all()
          .map((d) => [d.id, d.name]),
  );
  return rows.map((row) => ({
    id: row.id,
    projectId: row.projectId,
    name: row.name,
    ip: row.ip,
    region: row.region,
    dropletId: row.dropletId,
    dropletName: row.dropletId ? (names.get(row.dropletId) ?? null) : null,
    announced: row.announced,
    state: row.state,
    ...reconciledOutput(row),
  }));
};

/** The reserved IP each of some droplets has (one at most), for the droplets' pages. */
export const reservedIpsOf = (db: Db, dropletIds: readonly DropletId[]): Map<DropletId, string> =>
  new Map(
    dropletIds.length === 0
      ? []
      : db
          .select({ dropletId: table.dropletId, ip: table.ip })
          .from(table)
          .where(and(inArray(table.dropletId, [...dropletIds]), ne(table.state, 'deleting')))
          .all()
          .flatMap((r) => (r.dropletId ? [[r.dropletId, r.ip] as const] : [])),
  );

/**
 * Takes a droplet's reserved IPs off it (the droplet is being deleted): the project keeps them,
 * unassigned, as DigitalOcean does. Returns them, for the sync engine to be told.
 */
export const releaseReservedIps = (db: Db, projectId: ProjectId, dropletId: DropletId): ReservedIpId[] =>
  db
    .select({ id: table.id })
    .from(table)
    .where(and(eq(table.projectId, projectId), eq(table.dropletId, dropletId), ne(table.state, 'deleting')))
    .all()
    .map(({ id }) => reservedIps.update(db, projectId, id, { dropletId: null }).id);

/** A droplet of the project that can take a reserved IP: it exists, is not going, has none yet. */
const assignableDroplet = (db: Db, projectId: ProjectId, dropletId: DropletId, self?: ReservedIpId) => {
  const droplet = dropletsRepository.find(db, projectId, dropletId);
  if (!droplet) throw badRequest(`droplet ${dropletId} is not in this project`, 'dropletId');
  if (droplet.state === 'deleting')
    throw conflict(`droplet ${droplet.name} is being deleted; choose another`, 'dropletId');
  const held = db
    .select({ ip: table.ip, id: table.id })
    .from(table)
    .where(and(eq(table.dropletId, dropletId), ne(table.state, 'deleting')))
    .all()
    .find((r) => r.id !== self);
  if (held)
    throw conflict(
      `droplet ${droplet.name} already has reserved IP ${held.ip}; unassign that one first (a droplet has one at most)`,
      'dropletId',
    );
  return droplet;
};

/** `ip-203-0-113-7`: a name from the address, as the address is what people know it by. */
const nameFor = (ip: string) => `ip-${ip.replaceAll('.', '-')}`;

/** No pool configured: reserved IPs are refused with a word on how to offer them. */
export const noReservedIps: ReservedIpSettings = { pool: parseReservedIpPool(''), region: DEFAULT_REGION };

export const createReservedIpService = (deps: ServiceDeps): ReservedIpService => {
  const base = resourceService(deps, 'reservedIp', reservedIps, presentReservedIps);
  const { pool, region } = deps.reservedIps ?? noReservedIps;

  /** Every address held in the installation, by any project (deleting ones until they are gone). */
  const taken = (db: Db) =>
    new Set(
      db
        .select({ ip: table.ip })
        .from(table)
        .all()
        .map((r) => r.ip),
    );

  return {
    list: base.list,
    get: base.get,

    create: (scope, input) => {
      if (pool.size === 0)
        throw unavailable(
          'reserved IPs are not offered here: the administrator has set no pool of addresses for them (UNCLOUD_RESERVED_IP_POOL)',
        );
      if (input.region !== undefined && input.region !== region)
        throw badRequest(`must be "${region}": the only region this installation serves`, 'region');
      return base.commit(scope, (db) => {
        assertWithinQuota(db, scope.projectId, reservedIpQuotaCost());
        if (input.dropletId) assignableDroplet(db, scope.projectId, input.dropletId);
        const held = taken(db);
        let ip: string;
        if (input.ip !== undefined) {
          if (!pool.contains(input.ip))
            throw badRequest(`${input.ip} is not in the pool of reserved IPs (${pool.description})`, 'ip');
          if (held.has(input.ip)) throw conflict(`${input.ip} is already reserved`, 'ip');
          ip = input.ip;
        } else {
          const free = pool.firstFree(held);
          if (!free)
            throw unavailable(
              `every address of the pool of reserved IPs (${pool.description}) is reserved; ask the administrator to widen it`,
            );
          ip = free;
        }
        return reservedIps.insert(db, {
          id: newId('reservedIp'),
          projectId: scope.projectId,
          name: input.name ?? nameFor(ip),
          ip,
          region,
          dropletId: input.dropletId ?? null,
        });
      });
    },

    update: (scope, { projectId: _, id, ...patch }) => base.update(scope, id, patch),

    assign: (scope, { id, dropletId }) =>
      base.act(scope, id, 'assign', (db, row) => {
        if (row.dropletId === dropletId)
          throw nothingToChange(`reserved IP ${row.ip} is already assigned to that droplet`, 'dropletId');
        const droplet = assignableDroplet(db, scope.projectId, dropletId, row.id);
        return {
          patch: { dropletId },
          params: { dropletId, dropletName: droplet.name, fromDropletId: row.dropletId },
        };
      }),

    unassign: (scope, ref) =>
      base.act(scope, ref.id, 'unassign', (_db, row) => {
        if (!row.dropletId) throw nothingToChange(`reserved IP ${row.ip} is not assigned to a droplet`);
        return { patch: { dropletId: null }, params: { fromDropletId: row.dropletId } };
      }),

    delete: (scope, ref) =>
      base.delete(scope, ref, (db, row) => {
        if (!row.dropletId) return;
        const droplet = dropletsRepository.find(db, scope.projectId, row.dropletId);
        throw conflict(
          `reserved IP ${row.ip} is assigned to droplet ${droplet?.name ?? row.dropletId}; unassign it first, then delete it`,
        );
      }),
  };
};
