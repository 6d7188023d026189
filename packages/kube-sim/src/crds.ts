// The CustomResourceDefinitions a provisioned Uncloud cluster has: KubeVirt, CloudNativePG and
// Cilium's own, with their real structural schemas (the ones kube-real installs, copied into
// schemas/crds.json by scripts/capture-schemas.ts), read once per process.
import { readFileSync } from 'node:fs';
import type { StoredObject } from './types.ts';

let crds: StoredObject[] | undefined;

function loaded(): StoredObject[] {
  crds ??= (
    JSON.parse(readFileSync(new URL('./schemas/crds.json', import.meta.url), 'utf8')) as {
      crds: StoredObject[];
    }
  ).crds;
  return crds;
}

/** The shared spec of a provisioned CRD, by name (persistence writes a reference to it). */
export function provisionedSpec(name: string): unknown {
  return loaded().find((c) => c.metadata.name === name)?.spec;
}

/**
 * The CRDs as they are created. Each call gets objects and metadata of its own (the store stamps
 * them); the specs, megabytes of schema that nothing changes in place, are shared.
 */
export function provisionedCrds(): StoredObject[] {
  return loaded().map((c) => ({ ...c, metadata: structuredClone(c.metadata) }));
}
