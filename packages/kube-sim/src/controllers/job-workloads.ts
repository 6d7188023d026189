// What the containers of some Jobs do, simulated: the job controller (job.ts) asks the first
// workload that matches a running pod of a Job how the pod ends. Without one, a pod exits 0.
//
// Uncloud's MySQL and Valkey backups and restores (packages/kube, manifests/database-backup.ts) are
// recognised by their labels and read as a kubelet would run them: their containers' commands and
// environment say which server, bucket and key. A dump (`uncloud.dev/backup-of`) copies the source
// server's rows (stateful-db.ts) into the bucket as one object, the key its upload command names
// under the Job's name; a restore (`uncloud.dev/restore-of`) waits for the new server to run, reads
// that object and loads its rows into the new server's volume. With a real S3 server
// (object-store-backend.ts) the object is written to and read from it; otherwise from the simulated
// store (sim-objects.ts). A missing dump fails the restore's `download` container with exit code 3,
// as its script does; a source server that does not run fails the dump.
import type { DiskContents } from '../disks.ts';
import type { ObjectApi } from '../object-api.ts';
import type { SimObjects } from '../sim-objects.ts';
import { statefulServerFiles, type StatefulEngine } from '../stateful-db.ts';
import type { StoredObject } from '../types.ts';
import { BackendCalls } from './object-bucket.ts';
import type { ObjectStoreBackend } from './object-store-backend.ts';

export type WorkloadOutcome =
  | { exit: 'ok' }
  | { exit: 'failed'; container: string; exitCode: number; message: string }
  /** Still running: look again after this long. */
  | { waitMs: number };

export interface JobWorkload {
  matches(job: StoredObject, pod: StoredObject): boolean;
  run(job: StoredObject, pod: StoredObject, api: ObjectApi): WorkloadOutcome;
}

export const BACKUP_OF = 'uncloud.dev/backup-of';
export const RESTORE_OF = 'uncloud.dev/restore-of';
/** What a dump object holds in the simulation: the source server's rows, as it keeps them. */
export const SIM_DUMP_FORMAT = 'uncloud-kube-sim-dump/1';

const POLL_MS = 50;
/** How often a restore looks for its new server again (its script does every 2 s). */
const SERVER_POLL_MS = 250;

interface Container {
  name: string;
  image?: string;
  command?: string[];
  env?: { name: string; value?: string }[];
}

const containerOf = (pod: StoredObject, name: string): Container | undefined =>
  [
    ...((pod.spec?.initContainers ?? []) as Container[]),
    ...((pod.spec?.containers ?? []) as Container[]),
  ].find((c) => c.name === name);
const scriptOf = (c: Container | undefined) => (c?.command ?? []).join(' ');
const envOf = (c: Container | undefined, name: string) => c?.env?.find((e) => e.name === name)?.value;

/** The server a client command connects to (`-h <service>.<namespace>.svc`). */
const serverOf = (script: string) => {
  const host = /-h (\S+)/.exec(script)?.[1];
  const [name, namespace] = (host ?? '').split('.');
  return host && name && namespace ? { host, name, namespace } : undefined;
};

const engineOf = (script: string): StatefulEngine | undefined =>
  /\bmysql(dump|admin)?\b/.test(script)
    ? 'mysql'
    : /\bvalkey-(cli|server)\b/.test(script)
      ? 'valkey'
      : undefined;

const failed = (container: string, exitCode: number, message: string): WorkloadOutcome => ({
  exit: 'failed',
  container,
  exitCode,
  message,
});

/** Where objects go: the real S3 server when there is one (its calls run in the background). */
class Bucket {
  private readonly writes = new BackendCalls();
  private readonly reads = new Map<string, { value?: string; missing?: boolean; error?: Error }>();

  constructor(
    private readonly objects: SimObjects,
    private readonly backend: ObjectStoreBackend | undefined,
  ) {}

  /** `done` once written; else how soon to look again. */
  put(callKey: string, bucket: string, key: string, body: () => string): 'done' | { waitMs: number } {
    if (!this.backend) {
      this.objects.put(bucket, key, body());
      return 'done';
    }
    const backend = this.backend;
    const step = this.writes.step(callKey, `${bucket}/${key}`, () => backend.putObject(bucket, key, body()));
    if (step === 'done') {
      this.writes.forget(callKey);
      return 'done';
    }
    return { waitMs: step.requeueAfterMs ?? POLL_MS };
  }

  /** The object's text, `missing`, or how soon to look again. */
  get(callKey: string, bucket: string, key: string): { value: string } | 'missing' | { waitMs: number } {
    if (!this.backend) {
      const value = this.objects.get(bucket, key);
      return value === undefined ? 'missing' : { value };
    }
    const read = this.reads.get(callKey);
    if (!read || read.error) {
      const started: { value?: string; missing?: boolean; error?: Error } = {};
      this.reads.set(callKey, started);
      this.backend.getObject(bucket, key).then(
        (value) => (value === undefined ? (started.missing = true) : (started.value = value)),
        (error: unknown) => (started.error = error instanceof Error ? error : new Error(String(error))),
      );
      return { waitMs: read?.error ? 500 : POLL_MS };
    }
    if (read.missing) return 'missing';
    if (read.value !== undefined) return { value: read.value };
    return { waitMs: POLL_MS };
  }

  forgetRead(callKey: string): void {
    this.reads.delete(callKey);
  }
}

/** Uncloud's MySQL and Valkey dump and restore Jobs, simulated over the servers' volumes. */
export function createUncloudDumpWorkloads(
  disks: DiskContents,
  objects: SimObjects,
  backend?: ObjectStoreBackend,
): JobWorkload[] {
  const bucket = new Bucket(objects, backend);
  /** The rows a dump pod read, kept from its first look so an upload in flight sends one copy. */
  const taken = new Map<string, string>();

  const dump: JobWorkload = {
    matches: (_job, pod) => Boolean(pod.metadata.labels?.[BACKUP_OF]),
    run(_job, pod, api) {
      const podKey = pod.metadata.uid ?? '';
      const dumper = containerOf(pod, 'dump');
      const upload = containerOf(pod, 'upload');
      const engine = engineOf(scriptOf(dumper));
      const server = serverOf(scriptOf(dumper));
      const bucketName = envOf(upload, 'S3_BUCKET');
      // `s3://$S3_BUCKET/<folder>/$NAME/<file>`, `$NAME` being the pod's `job-name` label.
      const target = /s3:\/\/\$S3_BUCKET\/(\S*?)\$NAME\/([^"\s]+)"/.exec(scriptOf(upload));
      const jobName = pod.metadata.labels?.['job-name'];
      if (!engine || !server || !bucketName || !target || !jobName)
        return failed('dump', 1, 'not a dump this simulation knows how to run');
      if (!taken.has(podKey)) {
        const files = statefulServerFiles(api, disks, server.namespace, server.name, engine);
        if ('error' in files)
          return failed(
            'dump',
            2,
            engine === 'mysql'
              ? `mysqldump: Got error: 2003: Can't connect to MySQL server on '${server.host}' (${files.error})`
              : `Could not connect to Valkey at ${server.host}:6379: ${files.error}`,
          );
        taken.set(
          podKey,
          JSON.stringify({ format: SIM_DUMP_FORMAT, engine, rows: Object.fromEntries(files) }),
        );
      }
      const key = `${target[1]}${jobName}/${target[2]}`;
      const written = bucket.put(podKey, bucketName, key, () => taken.get(podKey)!);
      if (written !== 'done') return written;
      taken.delete(podKey);
      return { exit: 'ok' };
    },
  };

  const restore: JobWorkload = {
    matches: (_job, pod) => Boolean(pod.metadata.labels?.[RESTORE_OF]),
    run(_job, pod, api) {
      const podKey = pod.metadata.uid ?? '';
      const download = containerOf(pod, 'download');
      const load = containerOf(pod, 'load');
      const engine = engineOf(scriptOf(load));
      const server = serverOf(scriptOf(load));
      const bucketName = envOf(download, 'S3_BUCKET');
      const key = /s3 cp "s3:\/\/\$S3_BUCKET\/([^"]+)"/.exec(scriptOf(download))?.[1];
      if (!engine || !server || !bucketName || !key)
        return failed('load', 1, 'not a restore this simulation knows how to run');
      const read = bucket.get(podKey, bucketName, key);
      if (read === 'missing') {
        bucket.forgetRead(podKey);
        return failed('download', 3, `the dump s3://${bucketName}/${key} is not in the bucket`);
      }
      if ('waitMs' in read) return read;
      // The load waits for the new server to answer, as its script does.
      const files = statefulServerFiles(api, disks, server.namespace, server.name, engine);
      if ('error' in files) return { waitMs: SERVER_POLL_MS };
      bucket.forgetRead(podKey);
      let dumped: { format?: string; engine?: string; rows?: Record<string, string> };
      try {
        dumped = JSON.parse(read.value) as typeof dumped;
      } catch {
        return failed('load', 1, `s3://${bucketName}/${key} is not a dump this simulation wrote`);
      }
      if (dumped.format !== SIM_DUMP_FORMAT || dumped.engine !== engine)
        return failed('load', 1, `s3://${bucketName}/${key} is not a ${engine} dump`);
      for (const [k, v] of Object.entries(dumped.rows ?? {})) files.set(k, v);
      return { exit: 'ok' };
    },
  };

  return [dump, restore];
}
