import { stringify } from 'yaml';

export interface CloudInitInput {
  hostname: string;
  sshAuthorizedKeys: string[];
  /** The user's own user data: a `#cloud-config` document or a script. */
  userData: string | null;
}

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
export const cloudInitUserData = ({ hostname, sshAuthorizedKeys, userData }: CloudInitInput): string => {
  const ours = `#cloud-config\n${stringify({ hostname, ssh_authorized_keys: sshAuthorizedKeys, ssh_pwauth: false }, { lineWidth: 0 })}`;
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
