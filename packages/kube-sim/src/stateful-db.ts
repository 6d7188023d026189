// What a simulated MySQL or Valkey holds, as a client connected to it sees it. Uncloud runs them as
// a StatefulSet whose pod `<name>-0` keeps its data on the claim of its first volume claim template
// (`data-<name>-0`): as with CloudNativePG (pg-archive.ts), the rows (MySQL) or keys (Valkey) are
// the files of the PersistentVolume that claim is bound to (disks.ts), so they outlive the pod and
// go with the volume.
import { boundVolume, type DiskContents, type DiskFiles } from './disks.ts';
import type { ObjectApi } from './object-api.ts';
import { isReady } from './controllers/util.ts';

export type StatefulEngine = 'mysql' | 'valkey';

/** The container of a StatefulSet's pod that names its engine (Uncloud names it after the engine). */
const engineOf = (containers: { name?: string; image?: string }[]): StatefulEngine | undefined => {
  for (const c of containers) {
    if (c.name === 'mysql' || /(^|\/)mysql:/.test(c.image ?? '')) return 'mysql';
    if (c.name === 'valkey' || /(^|\/)valkey:/.test(c.image ?? '')) return 'valkey';
  }
  return undefined;
};

/**
 * The data of the server a StatefulSet runs (its pod 0, which must be running and ready), or why
 * there is none, in the words its client would print.
 */
export function statefulServerFiles(
  api: ObjectApi,
  disks: DiskContents,
  namespace: string,
  name: string,
  engine?: StatefulEngine,
): DiskFiles | { error: string } {
  const sts = api.store.get('apps/statefulsets', namespace, name);
  if (!sts) return { error: `unknown server ${name}.${namespace}` };
  const actual = engineOf(sts.spec?.template?.spec?.containers ?? []);
  if (engine && actual !== engine) return { error: `${name}.${namespace} is not a ${engine} server` };
  const pod = api.store.get('/pods', namespace, `${name}-0`);
  if (!pod || pod.metadata.deletionTimestamp || pod.status?.phase !== 'Running' || !isReady(pod))
    return { error: `cannot connect to ${name}.${namespace}: the server is not running` };
  const template = (sts.spec?.volumeClaimTemplates ?? [])[0] as { metadata?: { name?: string } } | undefined;
  const pv = template?.metadata?.name
    ? boundVolume(api, namespace, `${template.metadata.name}-${name}-0`)
    : undefined;
  if (!pv?.metadata.uid) return { error: `${name}.${namespace} has no bound volume` };
  return disks.volume(pv.metadata.uid);
}

/** A client of the simulated MySQL or Valkey servers: write a row (a key), read them all. */
export class SimStatefulDatabase {
  constructor(
    private readonly api: ObjectApi,
    private readonly disks: DiskContents,
    private readonly engine: StatefulEngine,
  ) {}

  private files(namespace: string, name: string): DiskFiles {
    const files = statefulServerFiles(this.api, this.disks, namespace, name, this.engine);
    if ('error' in files) throw new Error(files.error);
    return files;
  }

  write(namespace: string, name: string, key: string, value: string): void {
    this.files(namespace, name).set(key, value);
  }

  read(namespace: string, name: string): Record<string, string> {
    return Object.fromEntries(this.files(namespace, name));
  }
}
