import { z } from 'zod';
import { type ResourceKindInfo, resourceKinds } from './kinds.ts';

/**
 * Everything with an id: the resource kinds of the registry, and the records around them. The
 * prefix starts the id (`dpl_…`, DESIGN §3); the label names it in messages.
 */
export const idKinds = {
  project: { prefix: 'proj', article: 'a', label: 'project' },
  action: { prefix: 'act', article: 'an', label: 'action' },
  user: { prefix: 'usr', article: 'a', label: 'user' },
  token: { prefix: 'tok', article: 'a', label: 'token' },
  auditEvent: { prefix: 'aud', article: 'an', label: 'audit event' },
  registryCredential: { prefix: 'rcred', article: 'a', label: 'registry credential' },
  ...resourceKinds,
} as const satisfies Record<string, Pick<ResourceKindInfo, 'prefix' | 'article' | 'label'>>;
export type IdKind = keyof typeof idKinds;

/** Each kind's id prefix, by kind. */
export const idPrefixes = Object.fromEntries(
  Object.entries(idKinds).map(([kind, info]) => [kind, info.prefix]),
) as { [K in IdKind]: (typeof idKinds)[K]['prefix'] };

/** Length of the random part of an id: 20 base-36 characters, about 103 bits. */
export const ID_RANDOM_LENGTH = 20;

export const idPattern = (kind: IdKind) => new RegExp(`^${idPrefixes[kind]}_[0-9a-z]{${ID_RANDOM_LENGTH}}$`);

export const idSchema = <K extends IdKind>(kind: K) =>
  z
    .string()
    // Nothing chosen in a picker: say so, rather than describe an id the person never typed.
    .min(1, { message: `is required: choose ${idKinds[kind].article} ${idKinds[kind].label}`, abort: true })
    .regex(idPattern(kind), {
      message: `must be ${idKinds[kind].article} ${idKinds[kind].label} id (${idPrefixes[kind]}_…)`,
    });

export const ProjectId = idSchema('project').brand<'ProjectId'>();
export type ProjectId = z.infer<typeof ProjectId>;
export const DropletId = idSchema('droplet').brand<'DropletId'>();
export type DropletId = z.infer<typeof DropletId>;
export const VolumeId = idSchema('volume').brand<'VolumeId'>();
export type VolumeId = z.infer<typeof VolumeId>;
export const AppId = idSchema('app').brand<'AppId'>();
export type AppId = z.infer<typeof AppId>;
export const DatabaseId = idSchema('database').brand<'DatabaseId'>();
export type DatabaseId = z.infer<typeof DatabaseId>;
export const SshKeyId = idSchema('sshKey').brand<'SshKeyId'>();
export type SshKeyId = z.infer<typeof SshKeyId>;
export const FirewallId = idSchema('firewall').brand<'FirewallId'>();
export type FirewallId = z.infer<typeof FirewallId>;
export const SnapshotId = idSchema('snapshot').brand<'SnapshotId'>();
export type SnapshotId = z.infer<typeof SnapshotId>;
export const BucketId = idSchema('bucket').brand<'BucketId'>();
export type BucketId = z.infer<typeof BucketId>;
export const DatabaseBackupId = idSchema('databaseBackup').brand<'DatabaseBackupId'>();
export type DatabaseBackupId = z.infer<typeof DatabaseBackupId>;
export const LoadBalancerId = idSchema('loadBalancer').brand<'LoadBalancerId'>();
export type LoadBalancerId = z.infer<typeof LoadBalancerId>;
export const ReservedIpId = idSchema('reservedIp').brand<'ReservedIpId'>();
export type ReservedIpId = z.infer<typeof ReservedIpId>;
export const UserId = idSchema('user').brand<'UserId'>();
export type UserId = z.infer<typeof UserId>;
export const TokenId = idSchema('token').brand<'TokenId'>();
export type TokenId = z.infer<typeof TokenId>;
export const AuditEventId = idSchema('auditEvent').brand<'AuditEventId'>();
export type AuditEventId = z.infer<typeof AuditEventId>;
export const RegistryCredentialId = idSchema('registryCredential').brand<'RegistryCredentialId'>();
export type RegistryCredentialId = z.infer<typeof RegistryCredentialId>;

/** Any id this server issues, of whatever kind (`dpl_…`, `usr_…`, …). */
export const anyIdPattern = new RegExp(
  `^(${Object.values(idPrefixes).join('|')})_[0-9a-z]{${ID_RANDOM_LENGTH}}$`,
);

/**
 * User-facing resource names: a DNS-1123 label, so that they can appear in hostnames and in the
 * Kubernetes objects derived from them.
 */
export const ResourceName = z
  .string()
  .min(1, { message: 'must not be empty' })
  .max(63, { message: 'must be at most 63 characters' })
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
    message: "must be lowercase letters, digits and '-', starting and ending with a letter or digit",
  });

export const Tag = z
  .string()
  .min(1, { message: 'must not be empty', abort: true })
  .max(63, { message: 'must be at most 63 characters' })
  .regex(/^[A-Za-z0-9]([-A-Za-z0-9_.:]*[A-Za-z0-9])?$/, {
    message: "must be letters, digits, '-', '_', '.' or ':', starting and ending with a letter or digit",
  });
export const Tags = z.array(Tag).max(32).default([]);

/** Lifecycle of every resource (DESIGN §3). Only `pending` and `deleting` are set by the API. */
export const ResourceState = z.enum(['pending', 'provisioning', 'active', 'error', 'deleting']);
export type ResourceState = z.infer<typeof ResourceState>;

/**
 * States a resource passes through on its way to a settled one (`active`, `stopped`, `error`, or
 * gone): the sync engine looks at such a resource again soon, the dashboard refreshes it. Includes
 * the droplet's own `starting` and `stopping`.
 */
export const transitionalStates = ['pending', 'provisioning', 'starting', 'stopping', 'deleting'] as const;
export type TransitionalState = (typeof transitionalStates)[number];

export const isTransitional = (state: string): state is TransitionalState =>
  (transitionalStates as readonly string[]).includes(state);

/**
 * How fresh the runtime view is: `synced` when Kubernetes reflects the latest intent, `pending`
 * while a change waits to be applied, `stale` when Kubernetes could not be reached recently,
 * `error` when the last attempt failed (see `syncError`).
 */
export const SyncState = z.enum(['synced', 'pending', 'stale', 'error']);
export type SyncState = z.infer<typeof SyncState>;

export const IsoDateTime = z.iso.datetime();

/** Storage in whole GiB (volumes, database disks), up to 16 TiB. */
export const SizeGiB = z
  .number()
  .int({ message: 'must be a whole number of GiB' })
  .min(1, { message: 'must be at least 1 GiB' })
  .max(16384, { message: 'must be at most 16384 GiB' });

/** Fields every resource that Uncloud reconciles into Kubernetes carries in its output. */
export const reconciledFields = {
  generation: z.number().int(),
  observedGeneration: z.number().int(),
  observedAt: IsoDateTime.nullable(),
  syncState: SyncState,
  syncError: z.string().nullable(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
};

export const PageLimit = z.number().int().min(1).max(200).default(50);

/** Inputs shared by every `list`: cursor pagination and the common filters. */
export const listFields = {
  limit: PageLimit,
  cursor: z.string().max(200).optional(),
  /** Case-insensitive substring of the name. */
  name: z.string().max(63).optional(),
  /** The column the list is ordered by: creation time (the default) or name; the id breaks ties.
   * Kinds with more columns to sort by replace it with `sortField(kind)`. */
  sort: z.enum(['createdAt', 'name'], { message: 'must be "createdAt" or "name"' }).optional(),
  /** Ascending (the default: oldest first, A to Z) or descending. */
  order: z.enum(['asc', 'desc'], { message: 'must be "asc" or "desc"' }).optional(),
};

export const page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    nextCursor: z.string().nullable(),
    /** How many match the filters in all, on every page ("1–50 of 57"). */
    total: z.number().int().optional(),
  });
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  /** How many match the filters in all, on every page ("1–50 of 57"). */
  total?: number;
}
