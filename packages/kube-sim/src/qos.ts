// A pod's quality-of-service class, as the API server computes it on create (ComputePodQOS in
// k8s.io/kubernetes pkg/apis/core/helper/qos): only cpu and memory count, and only non-zero values.
import { parseQuantity } from './quantity.ts';

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

type ResourceList = Record<string, unknown> | undefined;
interface Resources {
  requests?: ResourceList;
  limits?: ResourceList;
}

const QOS_RESOURCES = ['cpu', 'memory'] as const;

/** The non-zero cpu and memory values of a resource list. */
function counted(list: ResourceList): Map<string, number> {
  const out = new Map<string, number>();
  for (const name of QOS_RESOURCES) {
    const v = parseQuantity(list?.[name] as string | number | undefined);
    if (v !== undefined && v > 0) out.set(name, v);
  }
  return out;
}

function addInto(total: Map<string, number>, part: Map<string, number>): void {
  for (const [k, v] of part) total.set(k, (total.get(k) ?? 0) + v);
}

/**
 * Guaranteed when every container (or the pod-level resources, when set) limits both cpu and memory
 * and the summed requests equal the summed limits; BestEffort with no cpu or memory requests or
 * limits at all; Burstable otherwise. A limit without a request counts as its request, as the API
 * server's defaulting copies it there before the class is computed.
 */
export function podQosClass(spec: Record<string, unknown> | undefined): QosClass {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  const podLevel = spec?.resources as Resources | undefined;
  const units: Resources[] =
    podLevel && (podLevel.requests || podLevel.limits)
      ? [podLevel]
      : [
          ...((spec?.containers ?? []) as { resources?: Resources }[]),
          ...((spec?.initContainers ?? []) as { resources?: Resources }[]),
        ].map((c) => c.resources ?? {});
  for (const r of units) {
    const lim = counted(r.limits);
    addInto(requests, counted({ ...r.limits, ...r.requests }));
    addInto(limits, lim);
    if (!lim.has('cpu') || !lim.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) for (const [k, v] of requests) if (limits.get(k) !== v) guaranteed = false;
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
