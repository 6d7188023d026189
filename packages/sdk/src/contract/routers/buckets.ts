import {
  BucketKeyRef,
  BucketRef,
  CreateBucketInput,
  CreateBucketKeyInput,
  ListBucketsInput,
} from '../../schemas/index.ts';
import { projectProcedure, projectWriteProcedure, router } from '../trpc.ts';

export const bucketsRouter = router({
  list: projectProcedure
    .input(ListBucketsInput)
    .query(({ ctx, input }) => ctx.services.buckets.list(ctx.scope, input)),
  get: projectProcedure
    .input(BucketRef)
    .query(({ ctx, input }) => ctx.services.buckets.get(ctx.scope, input)),
  create: projectWriteProcedure
    .input(CreateBucketInput)
    .mutation(({ ctx, input }) => ctx.services.buckets.create(ctx.scope, input)),
  /** Deletes the bucket with its objects and keys (the claim's reclaim policy is Delete). */
  delete: projectWriteProcedure
    .input(BucketRef)
    .mutation(({ ctx, input }) => ctx.services.buckets.delete(ctx.scope, input)),
  listKeys: projectProcedure
    .input(BucketRef)
    .query(({ ctx, input }) => ctx.services.buckets.listKeys(ctx.scope, input)),
  /** The only answer that holds the key's secret. */
  createKey: projectWriteProcedure
    .input(CreateBucketKeyInput)
    .mutation(({ ctx, input }) => ctx.services.buckets.createKey(ctx.scope, input)),
  revokeKey: projectWriteProcedure
    .input(BucketKeyRef)
    .mutation(({ ctx, input }) => ctx.services.buckets.revokeKey(ctx.scope, input)),
});
