import { z } from 'zod';
import { sortField } from './list-sort.ts';
import {
  BucketId,
  IsoDateTime,
  ProjectId,
  ResourceName,
  ResourceState,
  listFields,
  reconciledFields,
} from './common.ts';

/**
 * An S3 access key id as the object store issues them: 20 upper-case letters and digits. Uncloud's
 * start with `UC`, so a leaked one is recognisable.
 */
export const AccessKeyId = z
  .string()
  .regex(/^[A-Z0-9]{20}$/, { message: 'must be an access key id: 20 upper-case letters and digits' });
export type AccessKeyId = z.infer<typeof AccessKeyId>;

/**
 * An S3-compatible bucket of the project's object storage (an ObjectBucketClaim of the cluster's
 * object store). Its S3 name and endpoint are known once the object store has bound the claim.
 */
export const Bucket = z.object({
  id: BucketId,
  projectId: ProjectId,
  name: ResourceName,
  /** The bucket's name in the object store (what S3 clients address); null until bound. */
  bucketName: z.string().nullable(),
  /** The S3 endpoint, `http(s)://host:port`; null until bound. Path-style addressing. */
  endpoint: z.string().nullable(),
  /** The region S3 clients sign requests for. */
  region: z.string(),
  /** Objects and bytes held, when the object store reports them; null when it does not. */
  usage: z.object({ objects: z.number().int(), bytes: z.number().int() }).nullable(),
  /** Access keys not yet revoked. */
  keyCount: z.number().int(),
  state: ResourceState,
  ...reconciledFields,
  deletedAt: IsoDateTime.nullable(),
});
export type Bucket = z.infer<typeof Bucket>;

export const BucketRef = z.object({ projectId: ProjectId, id: BucketId });
export type BucketRef = z.input<typeof BucketRef>;

export const ListBucketsInput = z.object({
  projectId: ProjectId,
  ...listFields,
  sort: sortField('bucket'),
  state: ResourceState.optional(),
});
export type ListBucketsInput = z.input<typeof ListBucketsInput>;

export const CreateBucketInput = z.object({ projectId: ProjectId, name: ResourceName });
export type CreateBucketInput = z.input<typeof CreateBucketInput>;

/** An access key of a bucket. Its secret is shown once, when it is created, and never stored by Uncloud. */
export const BucketAccessKey = z.object({
  accessKeyId: AccessKeyId,
  bucketId: BucketId,
  name: z.string(),
  /** The object store holds the key (its user is ready): S3 requests signed with it are accepted. */
  ready: z.boolean(),
  createdAt: IsoDateTime,
});
export type BucketAccessKey = z.infer<typeof BucketAccessKey>;

/** A key just made, with its secret: the only time the secret is shown. */
export const CreatedBucketAccessKey = BucketAccessKey.extend({ secretAccessKey: z.string() });
export type CreatedBucketAccessKey = z.infer<typeof CreatedBucketAccessKey>;

export const CreateBucketKeyInput = z.object({
  projectId: ProjectId,
  id: BucketId,
  /** What the key is for ("backups", "ci"). */
  name: z
    .string()
    .trim()
    .min(1, { message: 'must not be empty: say what the key is for' })
    .max(63, { message: 'must be at most 63 characters' }),
});
export type CreateBucketKeyInput = z.input<typeof CreateBucketKeyInput>;

export const BucketKeyRef = z.object({ projectId: ProjectId, id: BucketId, accessKeyId: AccessKeyId });
export type BucketKeyRef = z.input<typeof BucketKeyRef>;
