import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CreateRegistryCredentialInput, type RegistryCredential } from '@uncloud/sdk';
import { KeyRoundIcon, PlusIcon } from 'lucide-react';
import { useState } from 'react';
import { useAccess } from '../../app/access.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { CreateDialog } from '../../components/create-dialog.tsx';
import { Time } from '../../components/facts.tsx';
import { FormField } from '../../components/form-field.tsx';
import { EmptyState, ErrorState, LoadingRows } from '../../components/query-states.tsx';
import { RefusalNote, refusedProps } from '../../components/refusal-note.tsx';
import { Button } from '../../components/ui/button.tsx';
import { Card } from '../../components/ui/card.tsx';
import { Input } from '../../components/ui/input.tsx';
import { useTRPC } from '../../lib/trpc.ts';

type CredentialForm = { name: string; server: string; username: string; password: string };

/**
 * Credentials the project gave for other registries: apps whose image is on that server pull with
 * them. The password is sent once and never shown again.
 */
export function RegistryCredentials({ projectId, ownHost }: { projectId: string; ownHost: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const access = useAccess(projectId);
  const refusal = access.refusal('member', { verb: 'add or delete', object: 'registry credentials' });
  const list = useQuery(trpc.registry.listCredentials.queryOptions({ projectId }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.registry.listCredentials.pathKey() });
  const create = useMutation(trpc.registry.createCredential.mutationOptions({ onSettled: refresh }));
  const remove = useMutation(trpc.registry.deleteCredential.mutationOptions({ onSettled: refresh }));
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<RegistryCredential | null>(null);

  return (
    <Card className="grid gap-4 p-5">
      <div className="flex items-center justify-between gap-2">
        <h2 className="text-base font-semibold">Credentials for other registries</h2>
        <CreateDialog
          title="Add registry credentials"
          description="Apps of this project whose image is on this registry pull it with these. The password is not shown again."
          open={creating}
          onOpenChange={setCreating}
          trigger={
            <Button {...refusedProps(refusal)}>
              <PlusIcon aria-hidden /> Add credentials
            </Button>
          }
          schema={CreateRegistryCredentialInput}
          defaultValues={{ name: '', server: '', username: '', password: '' } satisfies CredentialForm}
          toInput={(f: CredentialForm) => ({ projectId, ...f })}
          onSubmit={(input) => create.mutateAsync(input)}
          submitLabel="Add credentials"
        >
          {(form) => (
            <>
              <FormField form={form} name="name" label="Name" hint="What they are for, e.g. github.">
                {(p) => <Input autoComplete="off" {...p} />}
              </FormField>
              <FormField
                form={form}
                name="server"
                label="Registry"
                hint={`The host in the image name, e.g. ghcr.io${ownHost ? ` (not ${ownHost}: Uncloud's own needs none)` : ''}.`}
              >
                {(p) => <Input autoComplete="off" {...p} />}
              </FormField>
              <FormField form={form} name="username" label="User name">
                {(p) => <Input autoComplete="off" {...p} />}
              </FormField>
              <FormField form={form} name="password" label="Password or access token">
                {(p) => <Input type="password" autoComplete="new-password" {...p} />}
              </FormField>
            </>
          )}
        </CreateDialog>
      </div>
      <RefusalNote refusals={[refusal]} />
      {list.isPending ? (
        <LoadingRows rows={2} />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.length === 0 ? (
        <EmptyState icon={<KeyRoundIcon />} title="No credentials">
          Images on public registries need none. For a private image elsewhere (ghcr.io, Docker Hub, your own
          registry), add its registry's credentials here.
        </EmptyState>
      ) : (
        <table className="w-full text-sm" aria-label="Registry credentials">
          <thead className="text-left text-muted-foreground">
            <tr>
              <th className="py-1 font-medium">Name</th>
              <th className="py-1 font-medium">Registry</th>
              <th className="py-1 font-medium">User name</th>
              <th className="py-1 font-medium">Added</th>
              <th className="py-1" />
            </tr>
          </thead>
          <tbody>
            {list.data.map((c) => (
              <tr key={c.id} className="border-t">
                <td className="py-2">{c.name}</td>
                <td className="py-2 font-mono text-xs">{c.server}</td>
                <td className="py-2">{c.username}</td>
                <td className="py-2">
                  <Time iso={c.createdAt} />
                </td>
                <td className="py-2 text-right">
                  <Button variant="ghost" {...refusedProps(refusal)} onClick={() => setDeleting(c)}>
                    Delete
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => (open ? undefined : setDeleting(null))}
        title={`Delete ${deleting?.name ?? ''}?`}
        description={`Apps with an image on ${deleting?.server ?? ''} pull without credentials from now on.`}
        confirmLabel="Delete"
        onConfirm={() => remove.mutateAsync({ projectId, id: deleting!.id })}
      />
    </Card>
  );
}
