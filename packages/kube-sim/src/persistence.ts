// Optional persistence of the store to a JSON file, written atomically (temp file + rename).
import { readFile, rename, writeFile } from 'node:fs/promises';
import { provisionedSpec } from './crds.ts';
import type { StoreSnapshot } from './store.ts';

const CRDS = 'apiextensions.k8s.io/customresourcedefinitions';

export async function loadSnapshot(path: string): Promise<StoreSnapshot | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as StoreSnapshot;
    if (typeof parsed.resourceVersion !== 'number' || !Array.isArray(parsed.objects)) return undefined;
    for (const { typeKey, object } of parsed.objects) {
      const ref = (object.spec as { $provisioned?: string } | undefined)?.$provisioned;
      if (typeKey === CRDS && ref) object.spec = provisionedSpec(ref);
    }
    return parsed;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * Each stored object's JSON, kept while the object is the stored one at that resourceVersion: the
 * store replaces objects on change, so a save re-encodes only what changed since the last one (the
 * CRDs alone are megabytes).
 */
const encoded = new WeakMap<object, { rv: string | undefined; json: string }>();

function encode(entry: StoreSnapshot['objects'][number]): string {
  const rv = entry.object.metadata.resourceVersion;
  const hit = encoded.get(entry.object);
  if (hit && hit.rv === rv) return hit.json;
  // A provisioned CRD's spec (megabytes of schema, shared and never changed) is written by name.
  const name = entry.object.metadata.name ?? '';
  const provisioned = entry.typeKey === CRDS && entry.object.spec === provisionedSpec(name);
  const json = JSON.stringify(
    provisioned ? { ...entry, object: { ...entry.object, spec: { $provisioned: name } } } : entry,
  );
  encoded.set(entry.object, { rv, json });
  return json;
}

export async function saveSnapshot(path: string, snapshot: StoreSnapshot): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  const text = `{"resourceVersion":${snapshot.resourceVersion},"objects":[${snapshot.objects.map(encode).join(',')}]}`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, path);
}
