import { stringify } from 'yaml';

/** A volume attached to a droplet, as the guest finds it and where it is mounted. */
export interface VolumeMount {
  /** The volume's name: its mount point is `/mnt/<name>` (`volumeMountPath`). */
  name: string;
  /** The disk's serial: the guest finds it at `/dev/disk/by-id/virtio-<serial>`. */
  serial: string;
  filesystem: 'ext4' | 'xfs';
}

export interface CloudInitInput {
  hostname: string;
  sshAuthorizedKeys: string[];
  /** The user's own user data: a `#cloud-config` document or a script. */
  userData: string | null;
  /** The volumes attached now, formatted if blank and mounted at every boot. */
  volumes?: VolumeMount[];
}

/** Where a volume is mounted in its droplet, as DigitalOcean's automount does (`/mnt/<name>`). */
export const volumeMountPath = (volumeName: string) => `/mnt/${volumeName}`;

/** The marker on the /etc/fstab lines Uncloud writes, so a boot can drop those of detached volumes. */
export const FSTAB_MARKER = '# uncloud-volume';

const mkfs = { ext4: 'mkfs.ext4 -q', xfs: 'mkfs.xfs -q' } as const;

/**
 * The boot command that makes attached volumes ready to use (DigitalOcean's automount, at every boot
 * since attaching and detaching restart the droplet): drop the fstab lines of volumes attached
 * before, then for each volume attached now wait for its disk by serial, format it with its
 * filesystem only when it holds none (never over data), and mount it with a `nofail` fstab line so
 * that a missing disk never stops a boot. A detached volume's line is gone, so it is not mounted.
 */
export const volumeBootScript = (volumes: VolumeMount[]): string =>
  [
    'set -u',
    `sed -i '/${FSTAB_MARKER}$/d' /etc/fstab`,
    ...volumes.flatMap((v) => {
      const dev = `/dev/disk/by-id/virtio-${v.serial}`;
      const dir = volumeMountPath(v.name);
      return [
        `dev=${dev}`,
        'i=0; while [ ! -e "$dev" ] && [ $i -lt 30 ]; do sleep 1; i=$((i+1)); done',
        `if [ -e "$dev" ]; then`,
        `  blkid "$dev" >/dev/null 2>&1 || ${mkfs[v.filesystem]} "$dev"`,
        `  mkdir -p ${dir}`,
        `  echo "$dev ${dir} ${v.filesystem} defaults,nofail,discard,noatime 0 2 ${FSTAB_MARKER}" >> /etc/fstab`,
        `  mountpoint -q ${dir} || mount ${dir}`,
        'fi',
      ];
    }),
  ].join('\n');

const BOUNDARY = '==UNCLOUD-CLOUD-INIT==';

const contentTypeOf = (userData: string) => {
  if (userData.startsWith('#cloud-config')) return 'text/cloud-config';
  if (userData.startsWith('#!')) return 'text/x-shellscript';
  if (userData.startsWith('#include')) return 'text/x-include-url';
  return 'text/plain';
};

/**
 * The cloud-init user data of a droplet: our `#cloud-config` (hostname, SSH keys) and, when the user
 * gave their own, both as parts of one MIME multipart document, which cloud-init merges. Keeping
 * them apart means a user script never loses the SSH keys and vice versa.
 */
export const cloudInitUserData = ({
  hostname,
  sshAuthorizedKeys,
  userData,
  volumes = [],
}: CloudInitInput): string => {
  const config = {
    hostname,
    ssh_authorized_keys: sshAuthorizedKeys,
    ssh_pwauth: false,
    // bootcmd runs at every boot, so detaching a volume (which restarts the droplet) unmounts it.
    bootcmd: [['sh', '-c', volumeBootScript(volumes)]],
  };
  const ours = `#cloud-config\n${stringify(config, { lineWidth: 0 })}`;
  if (!userData) return ours;
  return [
    `Content-Type: multipart/mixed; boundary="${BOUNDARY}"`,
    'MIME-Version: 1.0',
    '',
    `--${BOUNDARY}`,
    'Content-Type: text/cloud-config; charset="utf-8"',
    '',
    ours,
    `--${BOUNDARY}`,
    `Content-Type: ${contentTypeOf(userData)}; charset="utf-8"`,
    '',
    userData,
    `--${BOUNDARY}--`,
    '',
  ].join('\n');
};
