// The Priority admission plugin: a pod's `priority` comes from its PriorityClass. The simulated
// cluster serves no PriorityClass objects, so only the two built-in classes exist; a pod without a
// class gets priority 0 (no global default class) and the PreemptLowerPriority policy.
import { forbidden } from '../errors.ts';
import { isPod, type Admission } from './chain.ts';

const BUILTIN_CLASSES: Record<string, number> = {
  'system-node-critical': 2000001000,
  'system-cluster-critical': 2000000000,
};

export const priorityAdmission: Admission = ({ op, type, object }) => {
  if (op !== 'create' || !isPod(type)) return;
  const spec = object.spec as Record<string, unknown> | undefined;
  if (!spec) return;
  const className = spec.priorityClassName as string | undefined;
  let priority = 0;
  if (className) {
    const value = BUILTIN_CLASSES[className];
    if (value === undefined)
      throw forbidden(type, object.metadata.name ?? '', `no PriorityClass with name ${className} was found`);
    priority = value;
  }
  if (spec.priority !== undefined && spec.priority !== priority)
    throw forbidden(
      type,
      object.metadata.name ?? '',
      `the integer value of priority (${String(spec.priority)}) must not be provided in pod spec; ` +
        `priority admission controller computed ${priority} from the given PriorityClass name`,
    );
  spec.priority = priority;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
};
