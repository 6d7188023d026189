import type { Bucket } from '@uncloud/sdk';
import { ArchiveIcon } from 'lucide-react';
import { Time } from '../../components/facts.tsx';
import { ResourceListPage } from '../../components/resource-list-page.tsx';
import type { Column } from '../../components/resource-table.tsx';
import { useResourceList } from '../../lib/use-resource.ts';
import { CreateBucketDialog } from './create-bucket-dialog.tsx';

export const bucketDeleteWarning = (b: Bucket) =>
  `The bucket ${b.name} will be deleted with every object in it, and its access keys stop working.`;

export function BucketsPage() {
  const page = useResourceList('buckets');
  const columns: Array<Column<Bucket>> = [
    { header: 'S3 name', cell: (b) => b.bucketName ?? 'Not yet bound' },
    { header: 'Access keys', cell: (b) => b.keyCount },
    { header: 'Created', cell: (b) => <Time iso={b.createdAt} /> },
  ];
  return (
    <ResourceListPage
      page={page}
      description="S3-compatible buckets for files, backups and static assets."
      createLabel="Create bucket"
      createDialog={(slot) => <CreateBucketDialog projectId={page.projectId} {...slot} />}
      columns={columns}
      deleteWarning={bucketDeleteWarning}
      empty={{
        icon: <ArchiveIcon />,
        title: 'No buckets yet',
        body: 'A bucket stores objects any S3 client can read and write with an access key: uploads, backups, build artifacts.',
        action: 'Create your first bucket',
      }}
    />
  );
}
