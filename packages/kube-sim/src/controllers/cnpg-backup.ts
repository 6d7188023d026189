// Simulated CloudNativePG backups. A Backup runs on the Cluster's primary with the Cluster's
// barmanObjectStore: `running` (with the backup id, WAL and destination the operator reports), then
// `completed` once the primary's data is copied into the archive (pg-archive.ts). A Cluster without
// a backup section fails it with the operator's words. A ScheduledBackup makes Backups on its cron
// schedule (six fields, seconds first), named `<schedule>-<YYYYMMDDHHMMSS>` and labelled as the
// operator labels them. Given a real S3 server, a completed Backup leaves Barman's `backup.info` there.
import { nextRun } from '../cron.ts';
import { boundVolume, type DiskContents } from '../disks.ts';
import { nowIso, ownerRef } from '../meta.ts';
import { archiveRefOf, type PgArchive } from '../pg-archive.ts';
import { objKey, splitKey, type Controller } from './manager.ts';
import { BackendCalls } from './object-bucket.ts';
import type { ObjectStoreBackend } from './object-store-backend.ts';
import { createIgnoringExists, emitEvent, isReady, mustType, typeOf, writeStatus } from './util.ts';

const BACKUPS = 'postgresql.cnpg.io/backups';
const SCHEDULED = 'postgresql.cnpg.io/scheduledbackups';
const CLUSTERS = 'postgresql.cnpg.io/clusters';

/** A barman backup id: the start time, `YYYYMMDDTHHMMSS`. */
const backupIdAt = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').slice(0, 15);
const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A WAL file name of timeline 1 for a sequence number, as PostgreSQL names them. */
const walName = (n: number) => `00000001${String(Math.floor(n / 256)).padStart(8, '0')}${(n % 256).toString(16).toUpperCase().padStart(8, '0')}`;

/**
 * The `backup.info` Barman Cloud writes beside a base backup (`key=value` lines), with the fields
 * Uncloud reads; `size` is the bytes of the copied data.
 */
const backupInfoText = (fields: { backupId: string; beginWal: string; endWal: string; size: number }) =>
  [
    `backup_id=${fields.backupId}`,
    'backup_name=None',
    `begin_wal=${fields.beginWal}`,
    'deduplicated_size=None',
    `end_wal=${fields.endWal}`,
    `size=${fields.size}`,
    'status=DONE',
    'version=170000',
    '',
  ].join('\n');

/** The bucket and key of a base backup's `backup.info`, from `s3://<bucket>/<prefix>`. */
const backupInfoKey = (destinationPath: string, serverName: string, backupId: string) => {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(destinationPath);
  if (!match) return undefined;
  const prefix = match[2]!.replace(/\/+$/, '');
  return { bucket: match[1]!, key: `${prefix ? `${prefix}/` : ''}${serverName}/base/${backupId}/backup.info` };
};

/**
 * With an object store backend (the cluster's own S3 server, or a real one), a completed backup
 * leaves its `backup.info` in the bucket there, as Barman Cloud does; without one, nothing is written.
 */
export const createCnpgBackupController = (
  disks: DiskContents,
  archive: PgArchive,
  backend?: ObjectStoreBackend,
): Controller => {
  let walSequence = 2;
  const uploads = new BackendCalls();
  return {
    name: 'cnpg-backup',
    keysFor(e, { api }) {
      if (e.typeKey === BACKUPS)
        return e.type === 'DELETED' ? [] : [objKey(BACKUPS, e.object.metadata.namespace, e.object.metadata.name)];
      // A Cluster that becomes healthy lets its pending backups run.
      if (e.typeKey === CLUSTERS && e.type !== 'DELETED')
        return api.store
          .list(BACKUPS, e.object.metadata.namespace)
          .filter((b) => b.spec?.cluster?.name === e.object.metadata.name && !b.status?.phase?.match(/completed|failed/))
          .map((b) => objKey(BACKUPS, b.metadata.namespace, b.metadata.name));
      return [];
    },
    reconcile(key, { api }) {
      const type = typeOf(api, BACKUPS);
      if (!type) return;
      const { namespace, name } = splitKey(key);
      const backup = api.find(type, namespace, name);
      if (!backup || backup.metadata.deletionTimestamp) return;
      const phase = backup.status?.phase as string | undefined;
      if (phase === 'completed' || phase === 'failed') return;
      const clusterName = backup.spec?.cluster?.name as string;
      const cluster = api.store.get(CLUSTERS, namespace, clusterName);
      const fail = (error: string) => {
        writeStatus(api, type, backup, { ...backup.status, phase: 'failed', error, method: 'barmanObjectStore' });
        emitEvent(api, backup, 'FailedBackup', error, 'cloudnative-pg', 'Warning');
      };
      if (!cluster) return fail(`unknown cluster ${clusterName}`);
      const store = cluster.spec?.backup?.barmanObjectStore;
      const ref = archiveRefOf(store, clusterName);
      if (!ref) return fail('no barmanObjectStore section defined on the target cluster');
      const primary = cluster.status?.currentPrimary as string | undefined;
      const pod = primary ? api.store.get('/pods', namespace, primary) : undefined;
      // Waits for a primary that runs, as the operator does.
      if (!primary || !pod || !isReady(pod)) {
        if (phase !== 'pending') writeStatus(api, type, backup, { phase: 'pending' });
        return { requeueSteps: 2 };
      }
      const now = Date.now();
      if (phase !== 'running') {
        const begin = walSequence++;
        writeStatus(api, type, backup, {
          phase: 'running',
          method: 'barmanObjectStore',
          online: true,
          startedAt: rfc3339(now),
          backupId: backupIdAt(now),
          backupName: `backup-${backupIdAt(now)}`,
          destinationPath: store.destinationPath,
          serverName: ref.serverName,
          ...(store.endpointURL ? { endpointURL: store.endpointURL } : {}),
          ...(store.s3Credentials ? { s3Credentials: store.s3Credentials } : {}),
          beginWal: walName(begin),
          beginLSN: `0/${(begin * 0x1000000).toString(16).toUpperCase()}`,
          instanceID: { podName: primary, ContainerID: `containerd://${primary}` },
        });
        return { requeueSteps: 1 };
      }
      const pv = boundVolume(api, namespace, primary);
      if (!pv?.metadata.uid) return fail(`the primary ${primary} has no volume`);
      const backupId = backup.status!.backupId as string;
      const end = walSequence;
      const where = backend && backupInfoKey(store.destinationPath, ref.serverName, backupId);
      if (backend && where) {
        const contents = disks.volume(pv.metadata.uid);
        const text = backupInfoText({
          backupId,
          beginWal: backup.status!.beginWal as string,
          endWal: walName(end),
          // The bytes of the volume's files: what was copied.
          size: [...contents].reduce((sum, [path, data]) => sum + Buffer.byteLength(path) + Buffer.byteLength(data), 0),
        });
        const step = uploads.step(key, backupId, () => backend.putObject(where.bucket, where.key, text));
        if (step !== 'done') return step;
      }
      archive.takeBackup(ref, backupId, disks.volume(pv.metadata.uid), now);
      walSequence++;
      writeStatus(api, type, backup, {
        ...backup.status,
        phase: 'completed',
        stoppedAt: rfc3339(now),
        endWal: walName(end),
        endLSN: `0/${(end * 0x1000000).toString(16).toUpperCase()}`,
      });
      emitEvent(api, backup, 'Completed', 'Backup completed', 'cloudnative-pg');
    },
  };
};

export const cnpgScheduledBackupController: Controller = {
  name: 'cnpg-scheduled-backup',
  keysFor(e) {
    if (e.typeKey !== SCHEDULED || e.type === 'DELETED') return [];
    return [objKey(SCHEDULED, e.object.metadata.namespace, e.object.metadata.name)];
  },
  reconcile(key, { api }) {
    const type = typeOf(api, SCHEDULED);
    if (!type) return;
    const { namespace, name } = splitKey(key);
    const scheduled = api.find(type, namespace, name);
    if (!scheduled || scheduled.metadata.deletionTimestamp || scheduled.spec?.suspend === true) return;
    const now = Date.now();
    const last = scheduled.status?.lastScheduleTime as string | undefined;
    const from = new Date(last ?? scheduled.metadata.creationTimestamp ?? nowIso());
    let next: Date;
    try {
      next = new Date(nextRun(scheduled.spec?.schedule as string, from.getTime()));
    } catch (e) {
      emitEvent(api, scheduled, 'InvalidSchedule', `invalid schedule: ${(e as Error).message}`, 'cloudnative-pg', 'Warning');
      return;
    }
    const due = (scheduled.spec?.immediate === true && !last) || next.getTime() <= now;
    if (!due) return { requeueAfterMs: next.getTime() - now };
    const at = next.getTime() <= now ? next.getTime() : now;
    const backupName = `${name}-${new Date(at).toISOString().replace(/[-:T]/g, '').slice(0, 14)}`;
    const owner = scheduled.spec?.backupOwnerReference as string | undefined;
    const cluster = api.store.get(CLUSTERS, namespace, scheduled.spec?.cluster?.name as string);
    const ownerReferences =
      owner === 'self' ? [ownerRef(scheduled)] : owner === 'cluster' && cluster ? [ownerRef(cluster)] : undefined;
    createIgnoringExists(api, mustType(api, BACKUPS), namespace, {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Backup',
      metadata: {
        name: backupName,
        labels: {
          'cnpg.io/cluster': scheduled.spec?.cluster?.name as string,
          'cnpg.io/scheduled-backup': name,
          'cnpg.io/immediateBackup': String(scheduled.spec?.immediate === true && !last),
        },
        ...(ownerReferences ? { ownerReferences } : {}),
      },
      spec: { cluster: scheduled.spec?.cluster, method: scheduled.spec?.method ?? 'barmanObjectStore' },
    });
    const following = new Date(nextRun(scheduled.spec?.schedule as string, Math.max(at, now)));
    writeStatus(api, type, scheduled, {
      lastCheckTime: rfc3339(now),
      lastScheduleTime: new Date(at).toISOString(),
      nextScheduleTime: rfc3339(following.getTime()),
    });
    return { requeueAfterMs: Math.max(1, following.getTime() - now) };
  },
};
