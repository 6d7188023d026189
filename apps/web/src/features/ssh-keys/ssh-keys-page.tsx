import type { SshKey } from '@uncloud/sdk';
import { KeyRoundIcon } from 'lucide-react';
import { Time } from '../../components/facts.tsx';
import { ResourceListPage } from '../../components/resource-list-page.tsx';
import type { Column } from '../../components/resource-table.tsx';
import { useResourceList } from '../../lib/use-resource.ts';
import { CreateSshKeyDialog } from './create-ssh-key-dialog.tsx';

export const keyType = (k: SshKey) => k.publicKey.split(' ')[0];

const columns: Array<Column<SshKey>> = [
  { header: 'Fingerprint', cell: (k) => <span className="font-mono text-xs">{k.fingerprint}</span> },
  { header: 'Type', cell: keyType },
  { header: 'Added', sort: 'createdAt', cell: (k) => <Time iso={k.createdAt} /> },
];

export function SshKeysPage() {
  const page = useResourceList('sshKeys');
  return (
    <ResourceListPage
      page={page}
      description="Public keys that new droplets trust for logins."
      createLabel="Add SSH key"
      createDialog={(slot) => <CreateSshKeyDialog projectId={page.projectId} {...slot} />}
      columns={columns}
      deleteWarning={(k) =>
        `New droplets can no longer be given ${k.name}. Droplets that already trust it keep it.`
      }
      empty={{
        icon: <KeyRoundIcon />,
        title: 'No SSH keys yet',
        body: (
          <>
            Add your public key so you can log in to droplets. Make one with{' '}
            <code className="font-mono">ssh-keygen -t ed25519</code> and paste the{' '}
            <code className="font-mono">.pub</code> file.
          </>
        ),
        action: 'Add your first SSH key',
      }}
    />
  );
}
