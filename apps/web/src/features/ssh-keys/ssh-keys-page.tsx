import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SshKey } from '@uncloud/sdk';
import { KeyRoundIcon, PlusIcon } from 'lucide-react';
import { useState } from 'react';
import { useProjectId } from '../../app/use-project.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ResourceTable, type Column } from '../../components/resource-table.tsx';
import { Button } from '../../components/ui/button.tsx';
import { formatAge } from '../../lib/format.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { useListControls } from '../../lib/use-list-controls.ts';
import { CreateSshKeyDialog } from './create-ssh-key-dialog.tsx';

const columns: Array<Column<SshKey>> = [
  { header: 'Name', cell: (k) => <span className="font-medium">{k.name}</span> },
  { header: 'Fingerprint', cell: (k) => <span className="font-mono text-xs">{k.fingerprint}</span> },
  { header: 'Type', cell: (k) => k.publicKey.split(' ')[0] },
  { header: 'Added', cell: (k) => <time dateTime={k.createdAt}>{formatAge(k.createdAt)}</time> },
];

export function SshKeysPage() {
  const projectId = useProjectId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const { filter, pager, listInput } = useListControls();
  const list = useQuery(trpc.sshKeys.list.queryOptions({ projectId, ...listInput }, { placeholderData: keepPreviousData }));
  const remove = useMutation(
    trpc.sshKeys.delete.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.sshKeys.list.pathKey() }),
    }),
  );
  return (
    <>
      <PageHeader
        title="SSH keys"
        description="Public keys that new droplets trust for logins."
        actions={
          <CreateSshKeyDialog
            projectId={projectId}
            open={creating}
            onOpenChange={setCreating}
            trigger={
              <Button>
                <PlusIcon aria-hidden /> Add SSH key
              </Button>
            }
          />
        }
      />
      <ResourceTable
        kind="SSH key"
        label="SSH keys"
        query={list}
        columns={columns}
        filter={filter}
        pager={pager}
        onDelete={(k) => remove.mutateAsync({ projectId, id: k.id })}
        deleteWarning={(k) => `New droplets can no longer be given ${k.name}. Droplets that already trust it keep it.`}
        empty={{
          icon: <KeyRoundIcon />,
          title: 'No SSH keys yet',
          body: (
            <>
              Add your public key so you can log in to droplets. Make one with{' '}
              <code className="font-mono">ssh-keygen -t ed25519</code> and paste the <code className="font-mono">.pub</code> file.
            </>
          ),
          action: (
            <Button onClick={() => setCreating(true)}>
              <PlusIcon aria-hidden /> Add your first SSH key
            </Button>
          ),
        }}
      />
    </>
  );
}
