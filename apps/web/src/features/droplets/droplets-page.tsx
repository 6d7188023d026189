import type { Droplet } from '@uncloud/sdk';
import { ServerIcon } from 'lucide-react';
import { Link } from 'react-router';
import { Copyable } from '../../components/copy-button.tsx';
import { ResourceListPage } from '../../components/resource-list-page.tsx';
import type { Column } from '../../components/resource-table.tsx';
import { Time } from '../../components/facts.tsx';
import { formatMemory, imageName } from '../../lib/format.ts';
import { listPath } from '../../lib/resource-kinds.ts';
import { useResourceList } from '../../lib/use-resource.ts';
import { CreateDropletDialog } from './create-droplet-dialog.tsx';
import { useDropletActions } from './droplet-actions.tsx';

const columns: Array<Column<Droplet>> = [
  {
    header: 'Public IP',
    // The reserved IP when it has one: that is the address people keep.
    cell: (d) => {
      const address = d.reservedIp ?? d.publicIp;
      return address ? <Copyable value={address} label={`Copy ${d.name}'s public address`} /> : '—';
    },
  },
  {
    header: 'Private IP',
    cell: (d) => (d.ip ? <Copyable value={d.ip} label={`Copy ${d.name}'s address`} /> : '—'),
  },
  {
    header: 'Size',
    sort: 'size',
    cell: (d) => `${d.vcpus} vCPU · ${formatMemory(d.memoryMiB)} · ${d.diskGiB} GiB`,
  },
  { header: 'Image', sort: 'image', cell: (d) => imageName(d.image) },
  {
    header: 'Phase',
    cell: (d) => (
      <span className="text-xs text-muted-foreground">
        {d.phase ?? 'Not running yet'}
        {d.node ? ` on ${d.node}` : ''}
      </span>
    ),
  },
  { header: 'Volumes', cell: (d) => d.volumeIds.length || '—' },
  { header: 'Created', cell: (d) => <Time iso={d.createdAt} /> },
];

export function DropletsPage() {
  const page = useResourceList('droplets');
  const actions = useDropletActions();
  return (
    <ResourceListPage
      page={page}
      description="Virtual machines you can log in to, each with its own address, size and image."
      createLabel="Create droplet"
      createDialog={(slot) => <CreateDropletDialog projectId={page.projectId} {...slot} />}
      columns={columns}
      subtitle={(d) => (d.tags.length > 0 ? d.tags.join(', ') : null)}
      actions={actions}
      deleteWarning={(d) =>
        `The droplet ${d.name} will be shut down and its disk destroyed. Attached volumes are detached and kept.`
      }
      empty={{
        icon: <ServerIcon />,
        title: 'No droplets yet',
        body: (
          <>
            A droplet is a virtual machine.{' '}
            <Link
              className="text-primary underline-offset-4 hover:underline"
              to={listPath(page.projectId, 'sshKeys')}
            >
              Add an SSH key
            </Link>{' '}
            first so you can log in, then create a droplet and pick its size and image.
          </>
        ),
        action: 'Create your first droplet',
      }}
    />
  );
}
