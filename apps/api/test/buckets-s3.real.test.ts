// Buckets against a real S3 server: the Versity S3 Gateway built from Go modules (tooling/s3-real),
// behind the simulated cluster's Rook object store. The body is shared with the simulated
// cluster's own S3 server (buckets-on-s3.ts).
import { startStack } from '@uncloud/api/testing';
import { startS3Real } from '@uncloud/s3-real';
import { describeBucketsOnS3 } from './buckets-on-s3.ts';

describeBucketsOnS3('a real S3 server', async () => {
  const s3 = await startS3Real();
  try {
    return { stack: await startStack({ objectStore: s3 }), store: s3, stop: () => s3.stop() };
  } catch (error) {
    await s3.stop();
    throw error;
  }
});
