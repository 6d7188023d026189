// Simulated CDI (Containerized Data Importer): a DataVolume gets a PersistentVolumeClaim of its own
// name, owned by it and labelled as it is; once the claim is bound the import (registry, HTTP, blank)
// or clone (a VolumeSnapshot, another claim) runs — ImportScheduled → ImportInProgress with progress
// → Succeeded, or CloneScheduled → CloneInProgress → Succeeded — and the DataVolume reports
// Bound, Running and Ready conditions as CDI's controller does. A clone fills the new volume with
// the source's contents (see disks.ts).
import type { DiskContents } from '../disks.ts';
import { boundVolume } from '../disks.ts';
import { ownerRef } from '../meta.ts';
import type { ObjectApi } from '../object-api.ts';
import type { StoredObject } from '../types.ts';
import { objKey, splitKey, type Controller } from './manager.ts';
import {
  createIgnoringExists,
  emitEvent,
  mustType,
  withCondition,
  writeStatus,
  type Condition,
} from './util.ts';

export const DATA_VOLUME = 'cdi.kubevirt.io/datavolumes';
const PVC = '/persistentvolumeclaims';
const VOLUME_SNAPSHOT = 'snapshot.storage.k8s.io/volumesnapshots';

/** The storage class a claim without one gets: the one annotated as the default. */
function defaultStorageClass(api: ObjectApi): string | undefined {
  return api.store
    .list('storage.k8s.io/storageclasses')
    .find((c) => c.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true')?.metadata
    .name;
}

type Source = Record<string, { name?: string; namespace?: string } | undefined>;

const isClone = (source: Source) => !!source.snapshot || !!source.pvc;

/**
 * Where the clone's contents come from, once it can start: the bound volume of a source claim, or
 * the content of a ready VolumeSnapshot. Undefined while the source is not there yet.
 */
function cloneSource(
  api: ObjectApi,
  namespace: string,
  source: Source,
): { pvUid: string } | { contentUid: string } | undefined {
  if (source.pvc?.name) {
    const pv = boundVolume(api, source.pvc.namespace ?? namespace, source.pvc.name);
    return pv?.metadata.uid ? { pvUid: pv.metadata.uid } : undefined;
  }
  if (source.snapshot?.name) {
    const vs = api.store.get(VOLUME_SNAPSHOT, source.snapshot.namespace ?? namespace, source.snapshot.name);
    if (vs?.status?.readyToUse !== true) return undefined;
    const content = api.store.get(
      'snapshot.storage.k8s.io/volumesnapshotcontents',
      '',
      String(vs.status.boundVolumeSnapshotContentName ?? ''),
    );
    return content?.metadata.uid ? { contentUid: content.metadata.uid } : undefined;
  }
  return undefined;
}

function claimFor(api: ObjectApi, dv: StoredObject): StoredObject {
  const storage = dv.spec?.storage ?? dv.spec?.pvc ?? {};
  const className: string | undefined = storage.storageClassName ?? defaultStorageClass(api);
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: dv.metadata.name,
      labels: { ...dv.metadata.labels, app: 'containerized-data-importer' },
      annotations: { 'cdi.kubevirt.io/storage.contentType': dv.spec?.contentType ?? 'kubevirt' },
      ownerReferences: [ownerRef(dv)],
    },
    spec: {
      accessModes: storage.accessModes ?? ['ReadWriteOnce'],
      volumeMode: storage.volumeMode ?? 'Filesystem',
      resources: { requests: { storage: storage.resources?.requests?.storage ?? '1Gi' } },
      ...(className ? { storageClassName: className } : {}),
    },
  };
}

/** The steps a DataVolume's transfer goes through, each one controller delay apart. */
const PROGRESS = ['0.00%', '47.30%', '100.0%'];

export function createDataVolumeController(disks: DiskContents): Controller {
  return {
    name: 'datavolume',
    keysFor(e, { api }) {
      if (e.typeKey === DATA_VOLUME)
        return [objKey(DATA_VOLUME, e.object.metadata.namespace, e.object.metadata.name)];
      if (e.typeKey === PVC) {
        const owner = (e.object.metadata.ownerReferences ?? []).find((r) => r.kind === 'DataVolume');
        return owner ? [objKey(DATA_VOLUME, e.object.metadata.namespace, owner.name)] : [];
      }
      if (e.typeKey === VOLUME_SNAPSHOT) {
        // Clones waiting for this snapshot to be ready.
        const ns = e.object.metadata.namespace;
        return api.store
          .list(DATA_VOLUME)
          .filter(
            (dv) =>
              dv.spec?.source?.snapshot?.name === e.object.metadata.name &&
              (dv.spec?.source?.snapshot?.namespace ?? dv.metadata.namespace) === ns,
          )
          .map((dv) => objKey(DATA_VOLUME, dv.metadata.namespace, dv.metadata.name));
      }
      return [];
    },
    reconcile(key, { api }) {
      const type = api.registry.get(DATA_VOLUME);
      if (!type) return;
      const { namespace, name } = splitKey(key);
      const dv = api.find(type, namespace, name);
      if (!dv || dv.metadata.deletionTimestamp) return;
      const phase = dv.status?.phase as string | undefined;
      if (phase === 'Succeeded' || phase === 'Failed') return;
      const source = (dv.spec?.source ?? {}) as Source;
      const clone = isClone(source);
      const pvcType = mustType(api, PVC);
      let pvc = api.find(pvcType, namespace, name);
      if (!pvc) {
        pvc = createIgnoringExists(api, pvcType, namespace, claimFor(api, dv));
        emitEvent(api, dv, 'Pending', 'PVC Pending', 'datavolume-controller');
        writeStatus(api, type, dv, {
          phase: 'Pending',
          progress: 'N/A',
          claimName: name,
          conditions: conditions(dv, 'Pending'),
        });
        return { requeueSteps: 1 };
      }
      const pv = boundVolume(api, namespace, name);
      if (!pv?.metadata.uid) return { requeueSteps: 1 };
      const from = clone ? cloneSource(api, namespace, source) : undefined;
      if (clone && !from) {
        if (phase !== 'CloneScheduled')
          writeStatus(api, type, dv, {
            ...dv.status,
            phase: 'CloneScheduled',
            conditions: conditions(dv, 'Bound'),
          });
        return;
      }
      const scheduled = clone ? 'CloneScheduled' : 'ImportScheduled';
      const running = clone ? 'CloneInProgress' : 'ImportInProgress';
      if (phase !== scheduled && phase !== running) {
        writeStatus(api, type, dv, {
          ...dv.status,
          phase: scheduled,
          progress: 'N/A',
          claimName: name,
          conditions: conditions(dv, 'Bound'),
        });
        return { requeueSteps: 1 };
      }
      const step = phase === running ? PROGRESS.indexOf(String(dv.status?.progress)) + 1 : 0;
      if (step < PROGRESS.length - 1) {
        writeStatus(api, type, dv, {
          ...dv.status,
          phase: running,
          progress: PROGRESS[step],
          conditions: conditions(dv, 'Running'),
        });
        return { requeueSteps: 1 };
      }
      // The transfer is done: what the volume holds is the image (empty to the guest) or the copy.
      if (from && 'pvUid' in from) disks.clone(from.pvUid, pv.metadata.uid);
      else if (from) disks.restore(from.contentUid, pv.metadata.uid);
      else disks.forgetVolume(pv.metadata.uid);
      writeStatus(api, type, dv, {
        ...dv.status,
        phase: 'Succeeded',
        progress: '100.0%',
        conditions: conditions(dv, 'Succeeded'),
      });
      emitEvent(
        api,
        dv,
        clone ? 'CloneSucceeded' : 'ImportSucceeded',
        clone ? 'Successfully cloned' : 'Import Successful',
        'datavolume-controller',
      );
    },
  };
}

/** Bound, Running and Ready as CDI's controller sets them for each stage. */
function conditions(dv: StoredObject, stage: 'Pending' | 'Bound' | 'Running' | 'Succeeded'): Condition[] {
  const claim = dv.metadata.name;
  const bound: Condition =
    stage === 'Pending'
      ? { type: 'Bound', status: 'False', reason: 'Pending', message: `PVC ${claim} Pending` }
      : { type: 'Bound', status: 'True', reason: 'Bound', message: `PVC ${claim} Bound` };
  const running: Condition =
    stage === 'Running'
      ? { type: 'Running', status: 'True', reason: 'Pod is running' }
      : {
          type: 'Running',
          status: 'False',
          reason: stage === 'Succeeded' ? 'Completed' : '',
        };
  const ready: Condition =
    stage === 'Succeeded'
      ? { type: 'Ready', status: 'True' }
      : { type: 'Ready', status: 'False', reason: stage === 'Pending' ? 'Pending' : 'TransferRunning' };
  let out = (dv.status?.conditions ?? []) as Condition[];
  for (const c of [bound, ready, running]) out = withCondition(out, c);
  return out;
}
