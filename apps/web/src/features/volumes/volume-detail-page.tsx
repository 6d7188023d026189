import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { Copyable } from '../../components/copy-button.tsx';
import { Facts, syncFacts } from '../../components/facts.tsx';
import { ResourceDetailPage } from '../../components/resource-detail-page.tsx';
import { detailPath } from '../../lib/resource-kinds.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { useResourceDetail } from '../../lib/use-resource.ts';
import { EditVolumeDialog } from './edit-volume-dialog.tsx';
import { useVolumeActions } from './volume-actions.tsx';
import { volumeSize } from './volumes-page.tsx';

export function VolumeDetailPage() {
  const { volumeId = '' } = useParams();
  const detail = useResourceDetail('volumes', volumeId);
  const actions = useVolumeActions();
  const trpc = useTRPC();
  const dropletId = detail.resource.data?.dropletId ?? null;
  const droplet = useQuery(
    trpc.droplets.get.queryOptions(
      { projectId: detail.projectId, id: dropletId ?? '' },
      { enabled: dropletId !== null },
    ),
  );
  return (
    <ResourceDetailPage
      detail={detail}
      subtitle={(v) => `${volumeSize(v)} · ${v.filesystem}${v.description ? ` · ${v.description}` : ''}`}
      actions={actions}
      extraActions={(v, refusal) => <EditVolumeDialog volume={v} refusal={refusal} />}
      deleteWarning={(v) =>
        `The volume ${v.name} and all data on it will be destroyed. This cannot be undone.`
      }
    >
      {(v) => (
        <div className="grid gap-6 lg:grid-cols-2">
          <Facts
            title="Runtime"
            facts={[
              [
                'Attached to',
                v.dropletId ? (
                  <Link
                    className="text-primary hover:underline"
                    to={detailPath(v.projectId, 'droplets', v.dropletId)}
                  >
                    {droplet.data?.name ?? v.dropletId}
                  </Link>
                ) : (
                  'Not attached: attach it to a droplet to use it'
                ),
              ],
              [
                'Mounted at',
                v.mountPath ? (
                  <Copyable value={v.mountPath} label="Copy mount path" />
                ) : (
                  'Not mounted: attached volumes are formatted and mounted at /mnt/<name>'
                ),
              ],
              ['Claim phase', v.phase ?? 'Not bound yet'],
              ['Capacity provided', v.capacityGiB === null ? 'Not known yet' : `${v.capacityGiB} GiB`],
              ...syncFacts(v),
            ]}
          />
          <Facts
            title="Settings"
            facts={[
              ['ID', <Copyable value={v.id} label="Copy ID" />],
              ['Size', `${v.sizeGiB} GiB`],
              ['Filesystem', v.filesystem],
              ['Description', v.description || 'None'],
              ['Tags', v.tags.length > 0 ? v.tags.join(', ') : 'None'],
            ]}
          />
        </div>
      )}
    </ResourceDetailPage>
  );
}
