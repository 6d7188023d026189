import { useQuery } from '@tanstack/react-query';
import type { Droplet } from '@uncloud/sdk';
import { Link, useParams } from 'react-router';
import { Copyable } from '../../components/copy-button.tsx';
import { Facts, syncFacts, type Fact } from '../../components/facts.tsx';
import { ResourceDetailPage } from '../../components/resource-detail-page.tsx';
import { formatMemory, imageName } from '../../lib/format.ts';
import { detailPath, listPath } from '../../lib/resource-kinds.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { useResourceDetail } from '../../lib/use-resource.ts';
import { useDropletActions } from './droplet-actions.tsx';
import { DropletBootLog } from './droplet-boot-log.tsx';
import { DropletConsole } from './droplet-console.tsx';
import { DropletScreen } from './droplet-screen.tsx';
import { EditDropletDialog } from './edit-droplet-dialog.tsx';

export function DropletDetailPage() {
  const { dropletId = '' } = useParams();
  const detail = useResourceDetail('droplets', dropletId);
  const actions = useDropletActions();
  return (
    <ResourceDetailPage
      detail={detail}
      subtitle={(d) =>
        `${d.vcpus} vCPU · ${formatMemory(d.memoryMiB)} · ${d.diskGiB} GiB · ${imageName(d.image)}`
      }
      actions={actions}
      extraActions={(d, refusal) => <EditDropletDialog droplet={d} refusal={refusal} />}
      deleteWarning={(d) =>
        `The droplet ${d.name} will be shut down and its disk destroyed. Attached volumes are detached and kept.`
      }
    >
      {(d) => <DropletSections droplet={d} />}
    </ResourceDetailPage>
  );
}

/** Where `ssh` reaches the droplet: its reserved IP, else its own public address, else the private one. */
export const sshAddress = (d: Droplet) => d.reservedIp ?? d.publicIp ?? d.ip;

/** A stopped droplet keeps its address for when it powers on again: show it, marked as such. */
function DropletAddress({ droplet: d }: { droplet: Droplet }) {
  if (!d.ip) return <>Not assigned yet</>;
  const kept = d.state === 'stopped' || d.state === 'stopping';
  return (
    <span>
      <Copyable value={d.ip} label="Copy IP address" small={false} />
      {kept ? <span className="text-muted-foreground"> (stopped — kept for power-on)</span> : null}
    </span>
  );
}

function DropletSections({ droplet: d }: { droplet: Droplet }) {
  const trpc = useTRPC();
  const keys = useQuery(trpc.sshKeys.list.queryOptions({ projectId: d.projectId, limit: 200 }));
  const volumes = useQuery(trpc.volumes.list.queryOptions({ projectId: d.projectId, limit: 200 }));
  const keyName = new Map((keys.data?.items ?? []).map((k) => [k.id as string, k.name]));
  const volumeName = new Map(
    (volumes.data?.items ?? []).map((v) => [v.id as string, `${v.name} (${v.sizeGiB} GiB)`]),
  );

  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Facts
        title="Runtime"
        facts={[
          [
            'Public IP',
            d.publicIp ? (
              <Copyable value={d.publicIp} label="Copy public IP address" small={false} />
            ) : (
              'Not assigned yet: waiting for the load balancer'
            ),
          ],
          [
            'Reserved IP',
            d.reservedIp ? (
              <Copyable value={d.reservedIp} label="Copy reserved IP address" small={false} />
            ) : (
              <span>
                None:{' '}
                <Link className="text-primary hover:underline" to={listPath(d.projectId, 'reservedIps')}>
                  assign one
                </Link>{' '}
                to keep an address when the droplet is replaced
              </span>
            ),
          ],
          ['Private IP', <DropletAddress droplet={d} />],
          // SSH from anywhere goes through the public address (the reserved one first, as it is the
          // address people keep); the private one is the cluster's.
          ...(sshAddress(d)
            ? [
                [
                  'SSH',
                  <Copyable value={`ssh root@${sshAddress(d)}`} label="Copy SSH command" />,
                ] satisfies Fact,
              ]
            : []),
          ['Phase', d.phase ?? 'Not running yet'],
          ['Node', d.node ?? '—'],
          ...syncFacts(d),
        ]}
      />
      <Facts
        title="Settings"
        facts={[
          ['ID', <Copyable value={d.id} label="Copy ID" />],
          ['Size', `${d.size} (${d.vcpus} vCPU, ${formatMemory(d.memoryMiB)}, ${d.diskGiB} GiB disk)`],
          ['Image', imageName(d.image)],
          ['Tags', d.tags.length > 0 ? d.tags.join(', ') : 'None'],
          [
            'SSH keys',
            d.sshKeyIds.length === 0 ? (
              'None: log in with the console only'
            ) : (
              <ul>
                {d.sshKeyIds.map((id) => (
                  <li key={id}>
                    <Link
                      className="text-primary hover:underline"
                      to={detailPath(d.projectId, 'sshKeys', id)}
                    >
                      {keyName.get(id) ?? id}
                    </Link>
                  </li>
                ))}
              </ul>
            ),
          ],
          [
            'Volumes',
            d.volumeIds.length === 0 ? (
              'None attached'
            ) : (
              <ul>
                {d.volumeIds.map((id) => (
                  <li key={id}>
                    <Link
                      className="text-primary hover:underline"
                      to={detailPath(d.projectId, 'volumes', id)}
                    >
                      {volumeName.get(id) ?? id}
                    </Link>
                  </li>
                ))}
              </ul>
            ),
          ],
          [
            'User data',
            d.userData ? (
              <details>
                <summary className="cursor-pointer">
                  Cloud-init script ({d.userData.length} characters)
                </summary>
                <pre className="mt-2 max-h-60 overflow-auto rounded-md bg-muted p-2 text-xs">
                  {d.userData}
                </pre>
              </details>
            ) : d.userDataRedacted ? (
              <span className="text-muted-foreground">
                Hidden: viewers cannot read user data, as it may hold secrets. A project owner can make you a
                member to read it.
              </span>
            ) : (
              'None'
            ),
          ],
        ]}
      />
      <DropletBootLog droplet={d} />
      <DropletConsole droplet={d} />
      <DropletScreen droplet={d} />
    </div>
  );
}
