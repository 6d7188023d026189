// Simulated CloudNativePG: a Cluster gets its app Secret, -rw/-ro/-r Services, one PVC and one pod
// per instance (<name>-1 is the primary), and the status the operator writes.
import { randomBytes } from 'node:crypto';
import { boundVolume, type DiskContents, type DiskFiles } from '../disks.ts';
import { ownerRef } from '../meta.ts';
import { type ArchiveRef, archiveRefOf, type PgArchive } from '../pg-archive.ts';
import type { StoredObject } from '../types.ts';
import { objKey, splitKey, type Controller } from './manager.ts';
import {
  createIgnoringExists,
  emitEvent,
  deleteIgnoringMissing,
  isReady,
  mustType,
  withCondition,
  writeStatus,
} from './util.ts';

const CLUSTER = 'postgresql.cnpg.io/clusters';
const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Where a Cluster bootstrapped by `recovery` takes its data from, and up to what. */
const recoverySource = (
  api: Parameters<Controller['reconcile']>[1]['api'],
  namespace: string,
  c: StoredObject,
): { ref: ArchiveRef; target: { backupId: string } | { time: number } } | string => {
  const recovery = c.spec?.bootstrap?.recovery;
  const targetTime = recovery?.recoveryTarget?.targetTime as string | undefined;
  if (recovery?.backup?.name) {
    const backup = api.store.get('postgresql.cnpg.io/backups', namespace, recovery.backup.name);
    const ref = archiveRefOf(backup?.status, backup?.spec?.cluster?.name ?? '');
    if (!backup || !ref || backup.status?.phase !== 'completed' || !backup.status.backupId)
      return `cannot find a completed backup ${recovery.backup.name}`;
    return { ref, target: targetTime ? { time: Date.parse(targetTime) } : { backupId: backup.status.backupId } };
  }
  const source = (c.spec?.externalClusters ?? []).find((x: { name?: string }) => x.name === recovery?.source);
  const ref = archiveRefOf(source?.barmanObjectStore, recovery?.source ?? '');
  if (!ref) return `external cluster ${recovery?.source} has no barmanObjectStore`;
  return { ref, target: { time: targetTime ? Date.parse(targetTime) : Date.now() } };
};

export const createCnpgClusterController = (disks: DiskContents, archive: PgArchive): Controller => ({
  name: 'cnpg-cluster',
  keysFor(e, { api }) {
    // A backup that completed moves the Cluster's recoverability window.
    if (e.typeKey === 'postgresql.cnpg.io/backups' && e.object.spec?.cluster?.name)
      return [objKey(CLUSTER, e.object.metadata.namespace, e.object.spec.cluster.name)];
    if (e.typeKey === CLUSTER)
      return e.type === 'DELETED'
        ? []
        : [objKey(CLUSTER, e.object.metadata.namespace, e.object.metadata.name)];
    const cluster = e.object.metadata.labels?.['cnpg.io/cluster'];
    if (e.typeKey === '/pods' && cluster) return [objKey(CLUSTER, e.object.metadata.namespace, cluster)];
    // The operator watches Secrets labelled for reload: a role's password Secret that changed.
    if (e.typeKey === '/secrets' && e.object.metadata.labels?.['cnpg.io/reload'] === 'true')
      return api.store
        .list(CLUSTER, e.object.metadata.namespace)
        .map((c) => objKey(CLUSTER, c.metadata.namespace, c.metadata.name));
    return [];
  },
  reconcile(key, { api }) {
    const type = api.registry.get(CLUSTER);
    if (!type) return;
    const { namespace, name } = splitKey(key);
    const c = api.find(type, namespace, name);
    if (!c || c.metadata.deletionTimestamp) return;
    const owner = [ownerRef(c)];
    const labels = { 'cnpg.io/cluster': name };
    const instances: number = c.spec?.instances ?? 1;
    const initdb = c.spec?.bootstrap?.initdb ?? {};
    const user: string = initdb.owner ?? 'app';
    const db: string = initdb.database ?? 'app';
    const secretType = mustType(api, '/secrets');
    // CloudNativePG generates `<cluster>-app` only when the Cluster brings no secret of its own.
    if (!initdb.secret?.name && !api.find(secretType, namespace, `${name}-app`)) {
      const password = randomBytes(24).toString('base64url');
      const host = `${name}-rw`;
      createIgnoringExists(api, secretType, namespace, {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/basic-auth',
        metadata: {
          name: `${name}-app`,
          labels: { ...labels, 'cnpg.io/reload': 'true' },
          ownerReferences: owner,
        },
        stringData: {
          username: user,
          user,
          password,
          host,
          port: '5432',
          dbname: db,
          uri: `postgresql://${user}:${password}@${host}.${namespace}:5432/${db}`,
          'jdbc-uri': `jdbc:postgresql://${host}.${namespace}:5432/${db}?password=${password}&user=${user}`,
          pgpass: `${host}:5432:${db}:${user}:${password}\n`,
        },
      });
    }
    const svcType = mustType(api, '/services');
    const services: [string, Record<string, string>][] = [
      ['rw', { ...labels, 'cnpg.io/instanceRole': 'primary' }],
      ['ro', { ...labels, 'cnpg.io/instanceRole': 'replica' }],
      ['r', { ...labels, 'cnpg.io/podRole': 'instance' }],
    ];
    for (const [suffix, selector] of services) {
      if (api.find(svcType, namespace, `${name}-${suffix}`)) continue;
      createIgnoringExists(api, svcType, namespace, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: `${name}-${suffix}`, labels, ownerReferences: owner },
        spec: {
          type: 'ClusterIP',
          selector,
          ports: [{ name: 'postgres', port: 5432, protocol: 'TCP', targetPort: 5432 }],
        },
      });
    }
    const podType = mustType(api, '/pods');
    const pvcType = mustType(api, '/persistentvolumeclaims');
    const pods = api.store
      .list('/pods', namespace)
      .filter((p) => p.metadata.labels?.['cnpg.io/cluster'] === name && !p.metadata.deletionTimestamp);
    const byName = new Map(pods.map((p) => [p.metadata.name, p]));
    // A refused PVC or pod (a quota, a storage size the API server rejects) leaves the cluster
    // short of instances: reported as not ready, and retried.
    let refused = false;
    for (let i = 1; i <= instances; i++) {
      const podName = `${name}-${i}`;
      const existing = byName.get(podName);
      if (existing) {
        if (!isReady(existing)) break;
        continue;
      }
      try {
        createIgnoringExists(api, pvcType, namespace, {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: {
            name: podName,
            labels: { ...labels, 'cnpg.io/instanceName': podName, 'cnpg.io/pvcRole': 'PG_DATA' },
            ownerReferences: owner,
          },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: c.spec?.storage?.size ?? '1Gi' } },
            ...(c.spec?.storage?.storageClass ? { storageClassName: c.spec.storage.storageClass } : {}),
          },
        });
        const role = i === 1 ? 'primary' : 'replica';
        api.create(podType, namespace, {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: podName,
            labels: {
              ...labels,
              'cnpg.io/instanceName': podName,
              'cnpg.io/instanceRole': role,
              role,
              'cnpg.io/podRole': 'instance',
            },
            ownerReferences: owner,
          },
          spec: {
            containers: [
              {
                name: 'postgres',
                image: c.spec?.imageName ?? 'ghcr.io/cloudnative-pg/postgresql:16.4',
                ports: [{ name: 'postgresql', containerPort: 5432, protocol: 'TCP' }],
                resources: c.spec?.resources ?? {},
              },
            ],
            volumes: [{ name: 'pgdata', persistentVolumeClaim: { claimName: podName } }],
          },
        });
      } catch (e) {
        refused = true;
        // The first instance comes from the `<name>-1-initdb` Job, whose controller reports a
        // refused pod as a FailedCreate warning on the Job (later instances are the operator's own).
        if (i === 1)
          emitEvent(
            api,
            { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: `${name}-1-initdb`, namespace } },
            'FailedCreate',
            `Error creating: ${(e as Error).message}`,
            'job-controller',
            'Warning',
          );
      }
      break;
    }
    for (const p of pods) {
      const ordinal = Number((p.metadata.name ?? '').slice(name.length + 1));
      if (ordinal > instances) {
        deleteIgnoringMissing(api, podType, p);
        const pvc = api.find(pvcType, namespace, p.metadata.name ?? '');
        if (pvc) deleteIgnoringMissing(api, pvcType, pvc);
      }
    }
    const live = api.store
      .list('/pods', namespace)
      .filter((p) => p.metadata.labels?.['cnpg.io/cluster'] === name && !p.metadata.deletionTimestamp);
    // A Cluster bootstrapped by recovery starts from the archive's data, once its volume is bound.
    let recoveryProblem: string | undefined;
    let recovering = false;
    if (c.spec?.bootstrap?.recovery) {
      const pv = boundVolume(api, namespace, `${name}-1`);
      if (!pv?.metadata.uid) recovering = true;
      else if (!archive.isRecovered(pv.metadata.uid)) {
        const source = recoverySource(api, namespace, c);
        const files: DiskFiles | undefined =
          typeof source === 'string' ? undefined : archive.stateAt(source.ref, source.target);
        if (typeof source === 'string' || !files) {
          recoveryProblem = typeof source === 'string' ? source : 'no target backup found';
        } else archive.recoverInto(disks, pv.metadata.uid, files);
      }
    }
    const ready = live.filter(isReady).length;
    // Healthy only with every wanted instance ready (never with none wanted).
    const healthy =
      instances >= 1 && ready === instances && live.length === instances && !recovering && !recoveryProblem;
    const phase = recoveryProblem
      ? `Unable to create required cluster objects: ${recoveryProblem}`
      : healthy
      ? 'Cluster in healthy state'
      : live.length === 0
        ? 'Setting up primary'
        : 'Creating a new replica';
    const status: Record<string, unknown> = {
      phase,
      instances: live.length,
      readyInstances: ready,
      instanceNames: live.map((p: StoredObject) => p.metadata.name),
      currentPrimary: live.some((p) => p.metadata.name === `${name}-1`) ? `${name}-1` : undefined,
      targetPrimary: `${name}-1`,
      writeService: `${name}-rw`,
      readService: `${name}-r`,
      latestGeneratedNode: live.length,
      conditions: withCondition(
        c.status?.conditions,
        healthy
          ? { type: 'Ready', status: 'True', reason: 'ClusterIsReady', message: 'Cluster is Ready' }
          : { type: 'Ready', status: 'False', reason: 'ClusterIsNotReady', message: 'Cluster Is Not Ready' },
      ),
    };
    if (status.currentPrimary === undefined) delete status.currentPrimary;
    // With WAL archived to an object store: the recoverability window, after the retention policy.
    const own = archiveRefOf(c.spec?.backup?.barmanObjectStore, name);
    if (own) {
      const days = /^(\d+)d$/.exec(String(c.spec?.backup?.retentionPolicy ?? ''))?.[1];
      if (days) archive.applyRetention(own, Number(days) * 86_400_000, Date.now());
      const window = archive.window(own);
      if (window) {
        status.firstRecoverabilityPoint = rfc3339(window.first);
        status.lastSuccessfulBackup = rfc3339(window.last);
      }
    }
    // Managed roles are reconciled on a healthy primary: each role's password is set from its
    // Secret, and the Secret's resourceVersion recorded (status.managedRolesStatus.passwordStatus).
    const roles = (c.spec?.managed?.roles ?? []) as { name: string; passwordSecret?: { name?: string } }[];
    if (healthy && roles.length > 0) {
      const previous = (c.status?.managedRolesStatus?.passwordStatus ?? {}) as Record<
        string,
        { resourceVersion?: string; transactionID?: number }
      >;
      const passwordStatus: typeof previous = {};
      const reconciled: string[] = [];
      const cannot: Record<string, string[]> = {};
      for (const role of roles) {
        reconciled.push(role.name);
        if (!role.passwordSecret?.name) continue;
        const secret = api.find(secretType, namespace, role.passwordSecret.name);
        if (!secret) {
          cannot[role.name] = [`password secret ${role.passwordSecret.name} not found`];
          continue;
        }
        const before = previous[role.name];
        passwordStatus[role.name] =
          before && before.resourceVersion === secret.metadata.resourceVersion
            ? before
            : {
                resourceVersion: secret.metadata.resourceVersion,
                transactionID: (before?.transactionID ?? 700) + 1,
              };
      }
      status.managedRolesStatus = {
        byStatus: { reconciled: reconciled.filter((r) => !cannot[r]) },
        passwordStatus,
        ...(Object.keys(cannot).length > 0 ? { cannotReconcile: cannot } : {}),
      };
    } else if (c.status?.managedRolesStatus) status.managedRolesStatus = c.status.managedRolesStatus;
    writeStatus(api, type, c, status);
    if (refused || recovering || recoveryProblem) return { requeueSteps: 5 };
  },
});
