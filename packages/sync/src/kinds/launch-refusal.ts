import type { DropletRow } from '@uncloud/db';
import { refusalSentence } from './refusal.ts';
import { firstOf, type KindReconciler } from './types.ts';

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/**
 * Why KubeVirt could not create a droplet's launcher pod, as virt-controller reports it on the
 * instance (`Synchronized=False`, reason `FailedCreate`: "failed to create virtual machine pod: pods
 * … is forbidden: exceeded quota: …"); undefined while nothing was refused.
 */
const launchRefusal = (objects: Parameters<KindReconciler['observe']>[1]) => {
  const vmi = firstOf(objects, 'VirtualMachineInstance');
  const conditions = ((vmi?.status as { conditions?: Condition[] } | undefined)?.conditions ??
    []) as Condition[];
  return conditions.find(
    (c) => c.type === 'Synchronized' && c.status === 'False' && c.reason === 'FailedCreate',
  )?.message;
};

/**
 * The droplet reconciler, with a droplet whose VM pod Kubernetes refused in `error` with the
 * reason, rather than provisioning for ever. It comes back by itself when there is room.
 */
export const withLaunchRefusal = (reconciler: KindReconciler<DropletRow>): KindReconciler<DropletRow> => ({
  ...reconciler,
  observe(row, objects) {
    const observed = reconciler.observe(row, objects);
    const refused = observed.state === 'active' ? undefined : launchRefusal(objects);
    return refused ? { ...observed, state: 'error', error: refusalSentence('droplet', refused) } : observed;
  },
});
