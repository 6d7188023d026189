import { quotasRepository, type QuotaRow } from '@uncloud/db';
import { badRequest, type Quota, type QuotaLimits } from '@uncloud/sdk';
import type { QuotaService } from '@uncloud/sdk/contract';
import type { ServiceDeps } from './deps.ts';
import { reconciledOutput, withStaleness } from './present.ts';
import { quotaLimitLabels, quotaUsage } from './quota-usage.ts';

const presentQuota = (row: QuotaRow, usage: QuotaLimits): Quota => {
  const { deletedAt: _, ...reconciled } = reconciledOutput(row);
  return {
    projectId: row.projectId,
    droplets: row.droplets,
    vcpus: row.vcpus,
    memoryMiB: row.memoryMiB,
    volumeGiB: row.volumeGiB,
    apps: row.apps,
    databases: row.databases,
    usage,
    state: row.state,
    ...reconciled,
  };
};

export const createQuotaService = ({ store, events, runtime }: ServiceDeps): QuotaService => {
  const stale = withStaleness(runtime);
  return {
    get: (scope) =>
      stale(
        presentQuota(
          quotasRepository.find(store.db, scope.projectId)!,
          quotaUsage(store.db, scope.projectId),
        ),
      ),

    // A limit below what the project already uses is refused: the page would otherwise show "1 of 0"
    // and nothing would bring the project back under it.
    update(scope, input) {
      const { projectId: _, ...limits } = input;
      const row = store.transaction((tx) => {
        const usage = quotaUsage(tx, scope.projectId);
        for (const [key, limit] of Object.entries(limits) as [keyof QuotaLimits, number | undefined][]) {
          if (limit !== undefined && limit < usage[key]) {
            throw badRequest(
              `${key} cannot be below what the project already uses: ${usage[key]} ${quotaLimitLabels[key]} in use, ${limit} asked`,
              key,
            );
          }
        }
        return quotasRepository.update(tx, scope.projectId, limits);
      });
      events.emit({ kind: 'quota', id: row.projectId, projectId: row.projectId });
      return stale(presentQuota(row, quotaUsage(store.db, scope.projectId)));
    },
  };
};
