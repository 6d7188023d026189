// Buckets on the embedded default: the simulated cluster's own S3 server (no real one configured),
// used with `@aws-sdk/client-s3` and the keys Uncloud answers, as a real one is in
// buckets-s3.real.test.ts (the same body: buckets-on-s3.ts).
import { startStack } from '@uncloud/api/testing';
import { describeBucketsOnS3 } from './buckets-on-s3.ts';

describeBucketsOnS3("the simulated cluster's own S3 server", async () => {
  const stack = await startStack();
  const store = stack.sim?.objectStore?.info;
  if (!store) throw new Error('the embedded default has no object store of its own');
  return { stack, store };
});
