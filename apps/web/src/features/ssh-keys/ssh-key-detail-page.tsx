import type { Refusal } from '../../app/access.ts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { UpdateSshKeyInput, type SshKey } from '@uncloud/sdk';
import { Link, useParams } from 'react-router';
import { CopyButton, Copyable } from '../../components/copy-button.tsx';
import { EditDialog } from '../../components/edit-dialog.tsx';
import { Facts, Time } from '../../components/facts.tsx';
import { FormField } from '../../components/form-field.tsx';
import { ResourceDetailPage } from '../../components/resource-detail-page.tsx';
import { Input } from '../../components/ui/input.tsx';
import { detailPath } from '../../lib/resource-kinds.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { useResourceDetail } from '../../lib/use-resource.ts';
import { keyType } from './ssh-keys-page.tsx';

export function SshKeyDetailPage() {
  const { sshKeyId = '' } = useParams();
  const detail = useResourceDetail('sshKeys', sshKeyId);
  return (
    <ResourceDetailPage
      detail={detail}
      subtitle={(k) => `${keyType(k)} · ${k.fingerprint}`}
      extraActions={(k, refusal) => <EditSshKeyDialog sshKey={k} refusal={refusal} />}
      deleteWarning={(k) =>
        `New droplets can no longer be given ${k.name}. Droplets that already trust it keep it.`
      }
    >
      {(k) => <SshKeySections sshKey={k} />}
    </ResourceDetailPage>
  );
}

function SshKeySections({ sshKey: k }: { sshKey: SshKey }) {
  const trpc = useTRPC();
  const droplets = useQuery(trpc.droplets.list.queryOptions({ projectId: k.projectId, limit: 200 }));
  const users = (droplets.data?.items ?? []).filter((d) => d.sshKeyIds.includes(k.id));
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Facts
        title="Key"
        facts={[
          ['ID', <Copyable value={k.id} label="Copy ID" />],
          ['Type', keyType(k)],
          ['Fingerprint', <span className="font-mono text-xs">{k.fingerprint}</span>],
          ['Added', <Time iso={k.createdAt} />],
          ['Updated', <Time iso={k.updatedAt} />],
        ]}
      >
        <div className="grid gap-1.5">
          <div className="flex items-center justify-between">
            <span className="text-sm text-muted-foreground">Public key</span>
            <CopyButton value={k.publicKey} label="Copy public key" />
          </div>
          <pre className="max-h-40 overflow-auto rounded-md bg-muted p-2 font-mono text-xs break-all whitespace-pre-wrap">
            {k.publicKey}
          </pre>
        </div>
      </Facts>
      <Facts
        title="Droplets that trust it"
        facts={[
          [
            'Droplets',
            droplets.isPending ? (
              'Loading…'
            ) : users.length === 0 ? (
              'None yet: choose this key when you create a droplet'
            ) : (
              <ul>
                {users.map((d) => (
                  <li key={d.id}>
                    <Link
                      className="text-primary hover:underline"
                      to={detailPath(k.projectId, 'droplets', d.id)}
                    >
                      {d.name}
                    </Link>
                  </li>
                ))}
              </ul>
            ),
          ],
        ]}
      />
    </div>
  );
}

type SshKeyEditForm = { name: string };

function EditSshKeyDialog({ sshKey, refusal }: { sshKey: SshKey; refusal: Refusal | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const update = useMutation(
    trpc.sshKeys.update.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.sshKeys.pathKey() }),
    }),
  );
  return (
    <EditDialog
      title={`Rename ${sshKey.name}`}
      description="The key itself cannot change; add a new key and delete this one instead."
      refusal={refusal}
      schema={UpdateSshKeyInput}
      defaultValues={{ name: sshKey.name } satisfies SshKeyEditForm}
      toInput={(f: SshKeyEditForm) => ({ projectId: sshKey.projectId, id: sshKey.id, name: f.name })}
      onSubmit={(input) => update.mutateAsync(input)}
    >
      {(form) => (
        <FormField form={form} name="name" label="Name" hint="Lowercase letters, digits and '-'.">
          {(p) => <Input autoComplete="off" {...p} />}
        </FormField>
      )}
    </EditDialog>
  );
}
