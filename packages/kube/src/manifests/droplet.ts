import type { Droplet } from '@uncloud/sdk';
import { dropletImages, findDropletSize } from '@uncloud/sdk';
import { cloudInitUserData } from './cloud-init.ts';
import { type KubeObject, metadata, namespaceName, objectName, ownerLabels } from './meta.ts';

/** Where a droplet's root disk is imported from: the image's source, or a snapshot of a disk. */
export type RootDiskSource =
  | { registry: { url: string } }
  | { http: { url: string; checksum?: string } }
  /** A VolumeSnapshot in the project's namespace (a droplet snapshot's root disk). */
  | { snapshot: { name: string } };

export interface RootDisk {
  /** The DataVolume's name; a rebuild or restore gives the droplet a new one (a new disk). */
  name: string;
  source: RootDiskSource;
}

/** A volume attached to a droplet: its disk, and where the guest mounts it. */
export interface AttachedVolume {
  id: string;
  name: string;
  filesystem: 'ext4' | 'xfs';
}

export interface DropletIntent extends Pick<
  Droplet,
  'id' | 'projectId' | 'name' | 'size' | 'image' | 'userData'
> {
  /** Public key lines of the droplet's SSH keys, resolved from their ids. */
  sshPublicKeys: string[];
  /** The volumes attached to it. */
  volumes: AttachedVolume[];
  /** Powered off droplets keep their VM object but no running instance. */
  poweredOn: boolean;
  /** Its root disk; by default `<vm>-root`, imported from the stock image of `image`. */
  rootDisk?: Partial<RootDisk>;
}

/** Where an HTTP image's checksum is kept on its DataVolume. */
export const IMAGE_CHECKSUM = 'uncloud.dev/image-checksum';

/** The first root disk of a droplet (until a rebuild or restore replaces it). */
export const defaultRootDiskName = (dropletId: string) => `${objectName(dropletId)}-root`;

/** The source of a stock image (registry or HTTP), as a DataVolume takes it. */
export const imageSource = (image: {
  sourceType: 'registry' | 'http';
  url: string;
  checksum: string | null;
}): RootDiskSource =>
  image.sourceType === 'registry'
    ? { registry: { url: image.url } }
    : { http: { url: image.url, ...(image.checksum ? { checksum: image.checksum } : {}) } };

const rootDiskOf = (droplet: DropletIntent): RootDisk => {
  const stock = dropletImages.find((i) => i.slug === droplet.image);
  const source = droplet.rootDisk?.source ?? (stock ? imageSource(stock) : undefined);
  if (!source) throw new Error(`no source for image ${droplet.image}`);
  return { name: droplet.rootDisk?.name ?? defaultRootDiskName(droplet.id), source };
};

/** The name a volume's disk has inside the VM, and its serial (virtio serials hold 20 characters). */
const diskOf = (volumeId: string) => ({
  name: objectName(volumeId),
  serial: volumeId.slice(volumeId.indexOf('_') + 1),
});

const ownerOf = (droplet: DropletIntent) => ({
  kind: 'droplet' as const,
  id: droplet.id,
  projectId: droplet.projectId,
  name: droplet.name,
});

/** The Secret that holds a droplet's cloud-init user data: the VM's name and `-cloud-init`. */
export const cloudInitSecretName = (dropletId: string) => `${objectName(dropletId)}-cloud-init`;

/**
 * The key KubeVirt reads the user data from in the Secret a `cloudInitNoCloud.secretRef` names (it
 * takes `userdata`, else `userData`).
 */
export const CLOUD_INIT_USER_DATA_KEY = 'userdata';

/**
 * A droplet's cloud-init user data (hostname, SSH keys, the user's own) as a Secret. KubeVirt's
 * admission refuses inline `userData` over 2048 bytes ("Should use UserDataSecretRef for larger
 * data"), and three RSA-4096 keys already cross it, so the user data always lives here: one path,
 * whatever its size. Written as `data` (base64), as the API server returns it, so it never looks
 * drifted.
 */
export const cloudInitSecretManifest = (droplet: DropletIntent): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: metadata(ownerOf(droplet), cloudInitSecretName(droplet.id)),
  type: 'Opaque',
  data: {
    [CLOUD_INIT_USER_DATA_KEY]: Buffer.from(
      cloudInitUserData({
        hostname: droplet.name,
        sshAuthorizedKeys: droplet.sshPublicKeys,
        userData: droplet.userData,
        volumes: droplet.volumes.map((v) => ({
          name: v.name,
          serial: diskOf(v.id).serial,
          filesystem: v.filesystem,
        })),
      }),
      'utf8',
    ).toString('base64'),
  },
});

/**
 * A droplet as a KubeVirt VirtualMachine: size → CPU, memory and root disk size, image → the root
 * disk's DataVolume (CDI imports it into a claim of the project's storage class, which persists
 * across reboots and power cycles and can be snapshotted), keys and volumes → cloud-init. The disk
 * is a `dataVolumeTemplates` entry, so KubeVirt creates it owned by the VM and deleting the VM
 * deletes it.
 */
export const virtualMachineManifest = (
  droplet: DropletIntent,
  { storageClass }: { storageClass?: string } = {},
): KubeObject => {
  const owner = ownerOf(droplet);
  const size = findDropletSize(droplet.size);
  const memory = `${size.memoryMiB}Mi`;
  const volumes = [...droplet.volumes].sort((a, b) => a.id.localeCompare(b.id)).map((v) => diskOf(v.id));
  const rootDisk = rootDiskOf(droplet);
  // KubeVirt v1.7's VirtualMachine schema embeds an older CDI DataVolumeSpec, without
  // `http.checksum`: an HTTP image's checksum is recorded on the DataVolume instead (not verified by
  // the importer; see docs/kubernetes.md).
  const checksum = 'http' in rootDisk.source ? rootDisk.source.http.checksum : undefined;
  const source =
    'snapshot' in rootDisk.source
      ? { snapshot: { namespace: namespaceName(droplet.projectId), name: rootDisk.source.snapshot.name } }
      : 'http' in rootDisk.source
        ? { http: { url: rootDisk.source.http.url } }
        : rootDisk.source;
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: metadata(owner, objectName(droplet.id), {
      annotations: { 'uncloud.dev/size': droplet.size, 'uncloud.dev/image': droplet.image },
    }),
    spec: {
      runStrategy: droplet.poweredOn ? 'Always' : 'Halted',
      dataVolumeTemplates: [
        {
          metadata: {
            name: rootDisk.name,
            labels: ownerLabels(owner),
            ...(checksum ? { annotations: { [IMAGE_CHECKSUM]: checksum } } : {}),
          },
          spec: {
            source,
            storage: {
              resources: { requests: { storage: `${size.diskGiB}Gi` } },
              ...(storageClass ? { storageClassName: storageClass } : {}),
            },
          },
        },
      ],
      template: {
        metadata: { labels: ownerLabels(owner) },
        spec: {
          domain: {
            cpu: { cores: size.vcpus },
            memory: { guest: memory },
            resources: { requests: { cpu: String(size.vcpus), memory } },
            devices: {
              disks: [
                { name: 'rootdisk', disk: { bus: 'virtio' } },
                { name: 'cloudinitdisk', disk: { bus: 'virtio' } },
                ...volumes.map((v) => ({ name: v.name, serial: v.serial, disk: { bus: 'virtio' } })),
              ],
              interfaces: [{ name: 'default', masquerade: {} }],
            },
          },
          networks: [{ name: 'default', pod: {} }],
          volumes: [
            { name: 'rootdisk', dataVolume: { name: rootDisk.name } },
            {
              name: 'cloudinitdisk',
              // KubeVirt's Go field is UserDataSecretRef; its JSON name is `secretRef`.
              cloudInitNoCloud: { secretRef: { name: cloudInitSecretName(droplet.id) } },
            },
            ...volumes.map((v) => ({ name: v.name, persistentVolumeClaim: { claimName: v.name } })),
          ],
        },
      },
    },
  };
};

/** Every object of a droplet: its cloud-init Secret first (the VM's instance reads it), then the VM. */
export const dropletManifests = (
  droplet: DropletIntent,
  settings: { storageClass?: string } = {},
): KubeObject[] => [cloudInitSecretManifest(droplet), virtualMachineManifest(droplet, settings)];
