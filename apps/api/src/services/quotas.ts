import { type Db, quotasRepository, type QuotaRow } from '@uncloud/db';
import { type ProjectId, type Quota, type QuotaLimits, badRequest } from '@uncloud/sdk';
import type { QuotaService } from '@uncloud/sdk/contract';
import type { ServiceDeps } from './deps.ts';
import { reconciledOutput, withStaleness } from './present.ts';
import { clusterUsage, limitsExceeded, quotaLimitLabels, quotaUsage, quotaUsageCost } from './quota-usage.ts';

const presentQuota = (db: Db, row: QuotaRow, projectId: ProjectId): Quota => {
  const { deletedAt: _, ...reconciled } = reconciledOutput(row);
  return {
    projectId: row.projectId,
    droplets: row.droplets,
    vcpus: row.vcpus,
    memoryMiB: row.memoryMiB,
    volumeGiB: row.volumeGiB,
    apps: row.apps,
    databases: row.databases,
    loadBalancers: row.loadBalancers,
    reservedIps: row.reservedIps,
    usage: quotaUsage(db, projectId),
    clusterUsage: clusterUsage(db, projectId),
    state: row.state,
    ...reconciled,
  };
};

const definedOnly = (limits: Partial<QuotaLimits>): Partial<QuotaLimits> =>
  Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined));

export const createQuotaService = ({ store, events, runtime }: ServiceDeps): QuotaService => {
  const stale = withStaleness(runtime);
  return {
    get: (scope) =>
      stale(presentQuota(store.db, quotasRepository.find(store.db, scope.projectId)!, scope.projectId)),

    // A limit below what the project already uses is refused: the page would otherwise show "1 of 0"
    // and nothing would bring the project back under it.
    update(scope, input) {
      const { projectId: _, ...limits } = input;
      const row = store.transaction((tx) => {
        const current = quotasRepository.find(tx, scope.projectId)!;
        const wanted = { ...current, ...definedOnly(limits) };
        // Checked as the admission check counts: CPU and memory of every pod, storage of every claim.
        const below = limitsExceeded(quotaUsageCost(tx, scope.projectId), wanted).find(
          (o) => limits[o.limit] !== undefined,
        );
        if (below) {
          throw badRequest(
            `${below.limit} cannot be below what the project already uses: ${below.used} ${quotaLimitLabels[below.limit]} in use, ${below.allowed} asked`,
            below.limit,
          );
        }
        return quotasRepository.update(tx, scope.projectId, limits);
      });
      events.emit({ kind: 'quota', id: row.projectId, projectId: row.projectId });
      return stale(presentQuota(store.db, row, scope.projectId));
    },
  };
};
