import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Bucket, BucketAccessKey } from '@uncloud/sdk';
import { Route } from 'react-router';
import { describe, expect, it } from 'vitest';
import { emptyPage, projectId } from '../../test/fake-api.ts';
import { callsTo, renderProjectRoutes } from '../../test/render.tsx';
import { BucketDetailPage } from './bucket-detail-page.tsx';

const bucketId = 'bkt_0123456789abcdefghij';
const bucket = (over: Partial<Bucket> = {}) =>
  ({
    id: bucketId,
    projectId,
    name: 'assets',
    bucketName: 'bkt-0123456789abcdefghij',
    endpoint: 'http://rook-ceph-rgw-uncloud-objects.rook-ceph.svc:80',
    region: 'us-east-1',
    usage: null,
    keyCount: 0,
    state: 'active',
    generation: 1,
    observedGeneration: 1,
    observedAt: null,
    syncState: 'synced',
    syncError: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    deletedAt: null,
    ...over,
  }) as Bucket;
const key: BucketAccessKey = {
  accessKeyId: 'UCAAAAAAAAAAAAAAAAAA',
  bucketId: bucketId as never,
  name: 'ci',
  ready: true,
  createdAt: '2026-01-02T00:00:00.000Z',
};
const secret = 'S3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr';

const renderDetail = (b: Bucket, keys: BucketAccessKey[]) =>
  renderProjectRoutes(
    {
      'buckets.get': { data: b },
      'buckets.listKeys': { data: keys },
      'buckets.createKey': { data: { ...key, secretAccessKey: secret } },
      'buckets.revokeKey': { data: { ...key, ready: false } },
      'actions.list': emptyPage,
    },
    `/p/${projectId}/buckets/${bucketId}`,
    <Route path="buckets/:bucketId" element={<BucketDetailPage />} />,
  );

describe('BucketDetailPage', () => {
  it('shows where the bucket is, and a new key’s secret once, until dismissed', async () => {
    const { fetch } = renderDetail(bucket(), []);
    const user = userEvent.setup();
    expect(await screen.findByText('http://rook-ceph-rgw-uncloud-objects.rook-ceph.svc:80')).toBeTruthy();
    expect(await screen.findByText('No access keys')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: /Create key/ }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText('Name'), 'ci');
    await user.click(within(dialog).getByRole('button', { name: 'Create key' }));

    const field = await screen.findByLabelText('Secret access key');
    expect((field as HTMLInputElement).value).toBe(secret);
    expect(screen.getByRole('button', { name: 'Copy secret access key' })).toBeTruthy();
    expect(callsTo(fetch, 'buckets.createKey')).toEqual([{ projectId, id: bucketId, name: 'ci' }]);

    await user.click(screen.getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.queryByLabelText('Secret access key')).toBeNull());
    expect(screen.queryByDisplayValue(secret)).toBeNull();
  });

  it('says what the bucket holds once it was listed, and that it is not measured before', async () => {
    renderDetail(bucket({ usage: { objects: 3, bytes: 3 * 1024 * 1024 } }), []);
    expect(await screen.findByText(/^3 objects, 3(\.0)? MiB$/)).toBeTruthy();
  });

  it('says a bucket not listed yet is not measured yet', async () => {
    renderDetail(bucket(), []);
    expect(await screen.findByText(/Not measured yet/)).toBeTruthy();
  });

  it('lists keys without secrets and revokes one after confirming', async () => {
    const { fetch } = renderDetail(bucket({ keyCount: 1 }), [key]);
    const user = userEvent.setup();
    const table = await screen.findByRole('table', { name: 'Access keys' });
    expect(within(table).getByText('UCAAAAAAAAAAAAAAAAAA')).toBeTruthy();
    expect(within(table).getByText('Ready')).toBeTruthy();

    await user.click(within(table).getByRole('button', { name: 'Revoke' }));
    const confirm = await screen.findByRole('alertdialog');
    await user.click(within(confirm).getByRole('button', { name: 'Revoke' }));
    await waitFor(() =>
      expect(callsTo(fetch, 'buckets.revokeKey')).toEqual([
        { projectId, id: bucketId, accessKeyId: 'UCAAAAAAAAAAAAAAAAAA' },
      ]),
    );
  });

  it('offers no key before the object store has made the bucket', async () => {
    renderDetail(bucket({ state: 'provisioning', bucketName: null, endpoint: null }), []);
    expect(await screen.findByRole('button', { name: /Create key/ })).toHaveProperty('disabled', true);
  });
});
