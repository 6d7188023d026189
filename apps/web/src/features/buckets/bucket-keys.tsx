import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type Bucket,
  type BucketAccessKey,
  type CreatedBucketAccessKey,
  CreateBucketKeyInput,
} from '@uncloud/sdk';
import { KeyRoundIcon, PlusIcon } from 'lucide-react';
import { useState } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { CreateDialog } from '../../components/create-dialog.tsx';
import { Time } from '../../components/facts.tsx';
import { FormField } from '../../components/form-field.tsx';
import { IssuedTokenNotice } from '../../components/issued-token-notice.tsx';
import { EmptyState, ErrorState, LoadingRows } from '../../components/query-states.tsx';
import { Button } from '../../components/ui/button.tsx';
import { Card } from '../../components/ui/card.tsx';
import { Input } from '../../components/ui/input.tsx';
import { useTRPC } from '../../lib/trpc.ts';

type KeyForm = { name: string };

/**
 * A bucket's access keys: made here (the secret is shown once, in a notice that stays until it is
 * dismissed), listed without their secrets, and revoked.
 */
export function BucketKeys({ bucket }: { bucket: Bucket }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ref = { projectId: bucket.projectId, id: bucket.id };
  const keys = useQuery(trpc.buckets.listKeys.queryOptions(ref));
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<CreatedBucketAccessKey | null>(null);
  const [revoking, setRevoking] = useState<BucketAccessKey | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.buckets.pathKey() });
  const create = useMutation(trpc.buckets.createKey.mutationOptions({ onSettled: refresh }));
  const revoke = useMutation(trpc.buckets.revokeKey.mutationOptions({ onSettled: refresh }));
  const bound = bucket.state === 'active';

  return (
    <Card className="grid gap-4 p-5">
      <div className="flex items-center justify-between gap-2">
        <h2 className="text-base font-semibold">Access keys</h2>
        <CreateDialog
          title={`Create an access key for ${bucket.name}`}
          description="The secret is shown once, right after the key is created. Store it somewhere safe."
          open={creating}
          onOpenChange={setCreating}
          trigger={
            <Button disabled={!bound} title={bound ? undefined : 'The bucket is not active yet'}>
              <PlusIcon aria-hidden /> Create key
            </Button>
          }
          schema={CreateBucketKeyInput}
          defaultValues={{ name: '' } satisfies KeyForm}
          toInput={(f: KeyForm) => ({ ...ref, name: f.name })}
          onSubmit={async (input) => setIssued(await create.mutateAsync(input))}
          submitLabel="Create key"
        >
          {(form) => (
            <FormField
              form={form}
              name="name"
              label="Name"
              hint="What the key is for, e.g. “backups” or “ci”."
            >
              {(p) => <Input autoComplete="off" {...p} />}
            </FormField>
          )}
        </CreateDialog>
      </div>
      {issued ? (
        <IssuedTokenNotice
          token={issued.secretAccessKey}
          label="Secret access key"
          onDismiss={() => setIssued(null)}
        >
          Key “{issued.name}”: access key id <span className="font-mono">{issued.accessKeyId}</span>. Copy the
          secret now: it will not be shown again.
        </IssuedTokenNotice>
      ) : null}
      {keys.isPending ? (
        <LoadingRows rows={2} />
      ) : keys.isError ? (
        <ErrorState error={keys.error} onRetry={() => void keys.refetch()} />
      ) : keys.data.length === 0 ? (
        <EmptyState icon={<KeyRoundIcon />} title="No access keys">
          S3 clients sign their requests with an access key id and its secret. Create one per app or machine,
          so that one can be revoked without the others.
        </EmptyState>
      ) : (
        <table className="w-full text-sm" aria-label="Access keys">
          <thead className="text-left text-muted-foreground">
            <tr>
              <th className="py-1 font-medium">Name</th>
              <th className="py-1 font-medium">Access key id</th>
              <th className="py-1 font-medium">Status</th>
              <th className="py-1 font-medium">Created</th>
              <th className="py-1" />
            </tr>
          </thead>
          <tbody>
            {keys.data.map((k) => (
              <tr key={k.accessKeyId} className="border-t">
                <td className="py-2">{k.name}</td>
                <td className="py-2 font-mono text-xs">{k.accessKeyId}</td>
                <td className="py-2">{k.ready ? 'Ready' : 'Being set up'}</td>
                <td className="py-2">
                  <Time iso={k.createdAt} />
                </td>
                <td className="py-2 text-right">
                  <Button variant="ghost" onClick={() => setRevoking(k)}>
                    Revoke
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => (open ? undefined : setRevoking(null))}
        title={`Revoke ${revoking?.name ?? ''}?`}
        description={`Anything still using ${revoking?.accessKeyId ?? ''} is refused by the object store from now on.`}
        confirmLabel="Revoke"
        onConfirm={() => revoke.mutateAsync({ ...ref, accessKeyId: revoking!.accessKeyId })}
      />
    </Card>
  );
}
