import { useParams } from 'react-router';
import { Copyable } from '../../components/copy-button.tsx';
import { Facts, syncFacts } from '../../components/facts.tsx';
import { ResourceDetailPage } from '../../components/resource-detail-page.tsx';
import { useResourceDetail } from '../../lib/use-resource.ts';
import { BucketKeys } from './bucket-keys.tsx';
import { bucketDeleteWarning } from './buckets-page.tsx';

const bytes = (n: number) =>
  n < 1024
    ? `${n} B`
    : n < 1024 ** 3
      ? `${(n / 1024 ** 2).toFixed(1)} MiB`
      : `${(n / 1024 ** 3).toFixed(2)} GiB`;

export function BucketDetailPage() {
  const { bucketId = '' } = useParams();
  const detail = useResourceDetail('buckets', bucketId);
  return (
    <ResourceDetailPage
      detail={detail}
      subtitle={(b) => (b.bucketName ? `S3 bucket ${b.bucketName}` : 'Waiting for the object store')}
      deleteWarning={bucketDeleteWarning}
    >
      {(b) => (
        <div className="grid gap-6 lg:grid-cols-2">
          <Facts
            title="Bucket"
            facts={[
              [
                'S3 name',
                b.bucketName ? (
                  <Copyable key="name" value={b.bucketName} label="Copy bucket name" />
                ) : (
                  'Not yet bound'
                ),
              ],
              [
                'Endpoint',
                b.endpoint ? (
                  <Copyable key="endpoint" value={b.endpoint} label="Copy endpoint" />
                ) : (
                  'Not yet bound'
                ),
              ],
              ['Region', b.region],
              ['Addressing', 'Path-style (endpoint/bucket/key)'],
              [
                'Usage',
                b.usage
                  ? `${b.usage.objects} objects, ${bytes(b.usage.bytes)}`
                  : 'Not measured yet: Uncloud lists the bucket every few minutes',
              ],
              ...syncFacts(b),
            ]}
          />
          <BucketKeys bucket={b} />
        </div>
      )}
    </ResourceDetailPage>
  );
}
