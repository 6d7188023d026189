// What the simulated storage holds. A real cluster keeps a disk's bytes on the volume a claim is bound
// to, not on the claim object and not in the pod that mounts it: the simulator does the same, in
// memory, keyed by the bound PersistentVolume's uid. A guest that stops and starts again finds what
// it wrote (same volume); a new claim, even of the same name, is a new volume and starts empty; a
// snapshot copies a volume's contents at the time it is taken, and a claim restored from it starts
// with that copy. Nothing of this shows in any object: the only way in is the guest (below).
import type { ObjectApi } from './object-api.ts';
import type { StoredObject } from './types.ts';

/** A disk's files, as a guest sees them: path → text. */
export type DiskFiles = Map<string, string>;

export class DiskContents {
  private readonly volumes = new Map<string, DiskFiles>();
  private readonly snapshots = new Map<string, DiskFiles>();

  /** The files on a volume (by PersistentVolume uid), created empty on first use. */
  volume(pvUid: string): DiskFiles {
    let files = this.volumes.get(pvUid);
    if (!files) this.volumes.set(pvUid, (files = new Map()));
    return files;
  }

  /** Copies a volume's files into a snapshot (by VolumeSnapshotContent uid). */
  takeSnapshot(pvUid: string, contentUid: string): void {
    this.snapshots.set(contentUid, new Map(this.volume(pvUid)));
  }

  /** Fills a new volume with a snapshot's files (a claim restored from it). */
  restore(contentUid: string, pvUid: string): void {
    this.volumes.set(pvUid, new Map(this.snapshots.get(contentUid) ?? []));
  }

  /** Fills a new volume with another volume's files (a clone). */
  clone(fromPvUid: string, toPvUid: string): void {
    this.volumes.set(toPvUid, new Map(this.volume(fromPvUid)));
  }

  forgetVolume(pvUid: string): void {
    this.volumes.delete(pvUid);
  }

  forgetSnapshot(contentUid: string): void {
    this.snapshots.delete(contentUid);
  }

  get volumeCount(): number {
    return this.volumes.size;
  }
}

/** The PersistentVolume a claim is bound to, if it is bound. */
export function boundVolume(api: ObjectApi, namespace: string, claim: string): StoredObject | undefined {
  const pvc = api.store.get('/persistentvolumeclaims', namespace, claim);
  const pvName = pvc?.spec?.volumeName as string | undefined;
  if (!pvc || !pvName || pvc.status?.phase !== 'Bound') return undefined;
  return api.store.get('/persistentvolumes', '', pvName);
}

interface VmiVolume {
  name: string;
  persistentVolumeClaim?: { claimName?: string };
  dataVolume?: { name?: string };
}

/**
 * A running guest's view of its boot disk: the claim behind the instance's first disk (a
 * DataVolume's claim has the DataVolume's name). A guest whose boot disk is not a claim (a
 * containerDisk) writes to an overlay that dies with the instance, as KubeVirt's does.
 */
export class SimGuest {
  private readonly ephemeral = new Map<string, DiskFiles>();

  constructor(
    private readonly api: ObjectApi,
    private readonly disks: DiskContents,
  ) {}

  private bootFiles(namespace: string, vmName: string): DiskFiles {
    const vmi = this.api.store.get('kubevirt.io/virtualmachineinstances', namespace, vmName);
    if (!vmi || vmi.status?.phase !== 'Running' || vmi.metadata.deletionTimestamp)
      throw new Error(`the guest of ${namespace}/${vmName} is not running`);
    const disks = (vmi.spec?.domain?.devices?.disks ?? []) as { name: string }[];
    const volumes = (vmi.spec?.volumes ?? []) as VmiVolume[];
    const boot = volumes.find((v) => v.name === disks[0]?.name) ?? volumes[0];
    const claim = boot?.persistentVolumeClaim?.claimName ?? boot?.dataVolume?.name;
    if (!claim) {
      const key = vmi.metadata.uid ?? '';
      let files = this.ephemeral.get(key);
      if (!files) this.ephemeral.set(key, (files = new Map()));
      return files;
    }
    const pv = boundVolume(this.api, namespace, claim);
    if (!pv?.metadata.uid) throw new Error(`the boot disk ${claim} of ${namespace}/${vmName} is not bound`);
    return this.disks.volume(pv.metadata.uid);
  }

  /** Writes a file on the running guest's boot disk. */
  write(namespace: string, vmName: string, path: string, text: string): void {
    this.bootFiles(namespace, vmName).set(path, text);
  }

  /** Reads a file from the running guest's boot disk; undefined when there is none. */
  read(namespace: string, vmName: string, path: string): string | undefined {
    return this.bootFiles(namespace, vmName).get(path);
  }
}
