import type { SyncStatusService } from '@uncloud/sdk/contract';
import type { ServiceDeps } from './deps.ts';

export const createSyncStatusService = ({ runtime }: ServiceDeps): SyncStatusService => ({
  status: () => runtime.syncStatus(),
});
