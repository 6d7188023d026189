// The DefaultTolerationSeconds admission plugin: a new pod tolerates the node conditions
// not-ready and unreachable for 300 s, unless it already tolerates them.
import { isPod, type Admission } from './chain.ts';

type Toleration = { key?: string; effect?: string };
const TAINTS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

export const defaultTolerationSeconds: Admission = ({ op, type, object }) => {
  if (op !== 'create' || !isPod(type)) return;
  const spec = object.spec as Record<string, unknown> | undefined;
  if (!spec) return;
  const tolerations = (spec.tolerations as Toleration[] | undefined) ?? [];
  const added = TAINTS.filter(
    (key) => !tolerations.some((t) => (!t.key || t.key === key) && (!t.effect || t.effect === 'NoExecute')),
  ).map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }));
  if (added.length > 0) spec.tolerations = [...tolerations, ...added];
};
