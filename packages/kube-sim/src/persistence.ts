// Optional persistence of the store to a JSON file, written atomically (temp file + rename).
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { StoreSnapshot } from './store.ts';

export async function loadSnapshot(path: string): Promise<StoreSnapshot | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as StoreSnapshot;
    if (typeof parsed.resourceVersion !== 'number' || !Array.isArray(parsed.objects)) return undefined;
    return parsed;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

export async function saveSnapshot(path: string, snapshot: StoreSnapshot): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, JSON.stringify(snapshot), { mode: 0o600 });
  await rename(tmp, path);
}
