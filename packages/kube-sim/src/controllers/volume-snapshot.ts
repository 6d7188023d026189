// Simulated CSI snapshots (external-snapshotter's controller and a CSI driver): a VolumeSnapshot of a
// bound claim gets a VolumeSnapshotContent (cluster-scoped, `snapcontent-<uid>`), and both become
// ready to use with the claim's size as restoreSize; the volume's contents are copied at that
// moment. A claim whose dataSource is a VolumeSnapshot starts with that copy. Deleting a snapshot
// deletes its content (deletionPolicy Delete). A deleted PersistentVolume's contents are dropped.
import type { DiskContents } from '../disks.ts';
import { boundVolume } from '../disks.ts';
import { nowIso } from '../meta.ts';
import { parseQuantity } from '../quantity.ts';
import { objKey, splitKey, type Controller } from './manager.ts';
import { createIgnoringExists, deleteIgnoringMissing, mustType, writeStatus } from './util.ts';

export const VOLUME_SNAPSHOT = 'snapshot.storage.k8s.io/volumesnapshots';
const CONTENT = 'snapshot.storage.k8s.io/volumesnapshotcontents';
const PVC = '/persistentvolumeclaims';
const DRIVER = 'rancher.io/local-path';

const contentName = (uid: string) => `snapcontent-${uid}`;

export function createVolumeSnapshotController(disks: DiskContents): Controller {
  return {
    name: 'volumesnapshot',
    keysFor(e) {
      if (e.typeKey === VOLUME_SNAPSHOT)
        return [objKey(VOLUME_SNAPSHOT, e.object.metadata.namespace, e.object.metadata.name)];
      if (e.typeKey === '/persistentvolumes' && e.type === 'DELETED' && e.object.metadata.uid)
        disks.forgetVolume(e.object.metadata.uid);
      if (e.typeKey === CONTENT && e.type === 'DELETED' && e.object.metadata.uid)
        disks.forgetSnapshot(e.object.metadata.uid);
      return [];
    },
    reconcile(key, { api }) {
      const type = api.registry.get(VOLUME_SNAPSHOT);
      const contentType = api.registry.get(CONTENT);
      if (!type || !contentType) return;
      const { namespace, name } = splitKey(key);
      const vs = api.find(type, namespace, name);
      if (!vs) {
        // Gone: so is its content (deletionPolicy Delete).
        for (const c of api.store.list(CONTENT))
          if (c.spec?.volumeSnapshotRef?.namespace === namespace && c.spec?.volumeSnapshotRef?.name === name)
            deleteIgnoringMissing(api, contentType, c);
        return;
      }
      if (vs.metadata.deletionTimestamp || vs.status?.readyToUse === true) return;
      const claim = String(vs.spec?.source?.persistentVolumeClaimName ?? '');
      const pvc = api.store.get(PVC, namespace, claim);
      const pv = boundVolume(api, namespace, claim);
      if (!pvc || !pv?.metadata.uid) {
        writeStatus(api, type, vs, {
          readyToUse: false,
          error: {
            time: nowIso(),
            message: `Failed to get snapshot source: PersistentVolumeClaim "${claim}" not bound`,
          },
        });
        return pvc ? { requeueSteps: 1 } : undefined;
      }
      const uid = vs.metadata.uid ?? '';
      const size = String(pvc.status?.capacity?.storage ?? pvc.spec?.resources?.requests?.storage ?? '0');
      let content = api.find(contentType, '', contentName(uid));
      if (!content) {
        content = createIgnoringExists(api, contentType, '', {
          apiVersion: 'snapshot.storage.k8s.io/v1',
          kind: 'VolumeSnapshotContent',
          metadata: { name: contentName(uid) },
          spec: {
            deletionPolicy: 'Delete',
            driver: DRIVER,
            source: { volumeHandle: pv.metadata.name },
            sourceVolumeMode: pvc.spec?.volumeMode ?? 'Filesystem',
            ...(vs.spec?.volumeSnapshotClassName
              ? { volumeSnapshotClassName: vs.spec.volumeSnapshotClassName }
              : {}),
            volumeSnapshotRef: {
              apiVersion: 'snapshot.storage.k8s.io/v1',
              kind: 'VolumeSnapshot',
              namespace,
              name,
              uid,
            },
          },
        });
        if (!content?.metadata.uid) return { requeueSteps: 1 };
        disks.takeSnapshot(pv.metadata.uid, content.metadata.uid);
        const now = Date.now();
        writeStatus(api, contentType, content, {
          creationTime: now * 1_000_000,
          readyToUse: true,
          restoreSize: parseQuantity(size) ?? 0,
          snapshotHandle: `${pv.metadata.name}-${uid}`,
        });
      }
      writeStatus(api, type, vs, {
        boundVolumeSnapshotContentName: contentName(uid),
        creationTime: nowIso(),
        readyToUse: true,
        restoreSize: size,
      });
    },
  };
}

/**
 * A claim restored from a VolumeSnapshot starts with the snapshot's contents: filled once, when it is
 * first bound (the binder waits for the snapshot to be ready before binding it).
 */
export function createSnapshotRestoreController(disks: DiskContents): Controller {
  const filled = new Set<string>();
  return {
    name: 'volumesnapshot-restore',
    keysFor(e) {
      if (e.typeKey !== PVC || e.type === 'DELETED') return [];
      const source = e.object.spec?.dataSource;
      return source?.kind === 'VolumeSnapshot'
        ? [objKey(PVC, e.object.metadata.namespace, e.object.metadata.name)]
        : [];
    },
    reconcile(key, { api }) {
      const { namespace, name } = splitKey(key);
      const pvc = api.find(mustType(api, PVC), namespace, name);
      const pv = boundVolume(api, namespace, name);
      if (!pvc || !pv?.metadata.uid || filled.has(pv.metadata.uid)) return;
      const vs = api.store.get(VOLUME_SNAPSHOT, namespace, String(pvc.spec?.dataSource?.name ?? ''));
      const content = api.store.get(CONTENT, '', String(vs?.status?.boundVolumeSnapshotContentName ?? ''));
      if (!content?.metadata.uid) return;
      disks.restore(content.metadata.uid, pv.metadata.uid);
      filled.add(pv.metadata.uid);
    },
  };
}
