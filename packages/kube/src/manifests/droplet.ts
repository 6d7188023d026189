import type { Droplet } from '@uncloud/sdk';
import { dropletImages, findDropletSize } from '@uncloud/sdk';
import { cloudInitUserData } from './cloud-init.ts';
import { type KubeObject, metadata, objectName, ownerLabels } from './meta.ts';

export interface DropletIntent extends Pick<
  Droplet,
  'id' | 'projectId' | 'name' | 'size' | 'image' | 'userData'
> {
  /** Public key lines of the droplet's SSH keys, resolved from their ids. */
  sshPublicKeys: string[];
  /** Ids of the volumes attached to it. */
  volumeIds: string[];
  /** Powered off droplets keep their VM object but no running instance. */
  poweredOn: boolean;
}

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
      }),
      'utf8',
    ).toString('base64'),
  },
});

/** A droplet as a KubeVirt VirtualMachine: size → CPU and memory, image → container disk, keys → cloud-init. */
export const virtualMachineManifest = (droplet: DropletIntent): KubeObject => {
  const owner = ownerOf(droplet);
  const size = findDropletSize(droplet.size);
  const image = dropletImages.find((i) => i.slug === droplet.image)!;
  const memory = `${size.memoryMiB}Mi`;
  const volumes = [...droplet.volumeIds].sort().map(diskOf);
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: metadata(owner, objectName(droplet.id), {
      annotations: { 'uncloud.dev/size': droplet.size, 'uncloud.dev/image': droplet.image },
    }),
    spec: {
      runStrategy: droplet.poweredOn ? 'Always' : 'Halted',
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
            { name: 'rootdisk', containerDisk: { image: image.containerDisk } },
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
export const dropletManifests = (droplet: DropletIntent): KubeObject[] => [
  cloudInitSecretManifest(droplet),
  virtualMachineManifest(droplet),
];
