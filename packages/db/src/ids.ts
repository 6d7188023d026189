import { randomBytes } from 'node:crypto';
import {
  type ActionId,
  type AppId,
  type AuditEventId,
  type BucketId,
  type DatabaseBackupId,
  type DatabaseId,
  type DropletId,
  type FirewallId,
  type LoadBalancerId,
  type ReservedIpId,
  ID_RANDOM_LENGTH,
  type IdKind,
  type ProjectId,
  type RegistryCredentialId,
  type SnapshotId,
  type SshKeyId,
  type TokenId,
  type UserId,
  type VolumeId,
  idPrefixes,
} from '@uncloud/sdk';

/** Requires an entry for every kind of id, so a new kind cannot be minted unbranded. */
type EveryKind<T extends Record<IdKind, string>> = T;

/** The branded id type of each kind of id. */
export type IdOf = EveryKind<{
  project: ProjectId;
  droplet: DropletId;
  volume: VolumeId;
  app: AppId;
  database: DatabaseId;
  sshKey: SshKeyId;
  firewall: FirewallId;
  loadBalancer: LoadBalancerId;
  reservedIp: ReservedIpId;
  snapshot: SnapshotId;
  bucket: BucketId;
  databaseBackup: DatabaseBackupId;
  action: ActionId;
  user: UserId;
  token: TokenId;
  auditEvent: AuditEventId;
  registryCredential: RegistryCredentialId;
}>;

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
// 252 is the largest multiple of 36 below 256: rejecting bytes above it keeps every character equally likely.
const unbiasedLimit = 252;

/** A new resource id: its kind's prefix and 20 random base-36 characters from the CSPRNG. */
export const newId = <K extends IdKind>(kind: K): IdOf[K] => {
  let out = '';
  while (out.length < ID_RANDOM_LENGTH) {
    for (const byte of randomBytes(32)) {
      if (byte < unbiasedLimit && out.length < ID_RANDOM_LENGTH) out += alphabet[byte % 36];
    }
  }
  // The one place ids are minted: the brand is what the prefix and pattern above guarantee.
  return `${idPrefixes[kind]}_${out}` as IdOf[K];
};
