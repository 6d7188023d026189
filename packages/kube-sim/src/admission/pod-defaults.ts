// What decoding defaults on a Pod (SetDefaults_Pod in k8s.io/kubernetes pkg/apis/core/v1), which
// only a Pod gets and not a pod template: requests copied from limits, enableServiceLinks, and the
// deprecated `serviceAccount` read as `serviceAccountName`. Runs first in the mutating chain, as
// defaulting precedes admission in the real server.
import { isPod, type Admission } from './chain.ts';

type Resources = { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
type Container = { resources?: Resources };

export const podDefaults: Admission = ({ op, type, object }) => {
  if (op !== 'create' || !isPod(type)) return;
  const spec = object.spec as Record<string, unknown> | undefined;
  if (!spec) return;
  for (const c of [
    ...((spec.containers as Container[] | undefined) ?? []),
    ...((spec.initContainers as Container[] | undefined) ?? []),
  ]) {
    const limits = c?.resources?.limits;
    if (!limits) continue;
    const requests = (c.resources!.requests ??= {});
    for (const [k, v] of Object.entries(limits)) requests[k] ??= v;
  }
  spec.enableServiceLinks ??= true;
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
};
