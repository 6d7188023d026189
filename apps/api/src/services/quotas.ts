import { quotasRepository, type QuotaRow } from '@uncloud/db';
import type { Quota, QuotaLimits } from '@uncloud/sdk';
import type { QuotaService } from '@uncloud/sdk/contract';
import type { ServiceDeps } from './deps.ts';
import { reconciledOutput, withStaleness } from './present.ts';
import { quotaUsage } from './quota-usage.ts';

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

    // Lowering a limit below current usage is allowed, as on other clouds: it only stops new resources.
    update(scope, input) {
      const { projectId: _, ...limits } = input;
      const row = quotasRepository.update(store.db, scope.projectId, limits);
      events.emit({ kind: 'quota', id: row.projectId, projectId: row.projectId });
      return stale(presentQuota(row, quotaUsage(store.db, scope.projectId)));
    },
  };
};
