// The CustomResourceDefinitions a provisioned Uncloud cluster has: KubeVirt, CloudNativePG and
// Cilium's own, with their real structural schemas (the ones kube-real installs, copied into
// schemas/crds.json by scripts/capture-schemas.ts), read once per process.
import { readFileSync } from 'node:fs';
import type { StoredObject } from './types.ts';

let crds: StoredObject[] | undefined;

/** The CRDs as they are created (a fresh copy each call: the store keeps what it is given). */
export function provisionedCrds(): StoredObject[] {
  crds ??= (
    JSON.parse(readFileSync(new URL('./schemas/crds.json', import.meta.url), 'utf8')) as {
      crds: StoredObject[];
    }
  ).crds;
  return structuredClone(crds);
}
