import { useParams } from 'react-router';
import { Facts, syncFacts } from '../../components/facts.tsx';
import { ResourceDetailPage } from '../../components/resource-detail-page.tsx';
import { useResourceDetail } from '../../lib/use-resource.ts';
import { useSnapshotActions } from './snapshot-actions.tsx';
import { SnapshotSource, snapshotContents } from './snapshots-page.tsx';

export function SnapshotDetailPage() {
  const { snapshotId = '' } = useParams();
  const detail = useResourceDetail('snapshots', snapshotId);
  const actions = useSnapshotActions();
  return (
    <ResourceDetailPage
      detail={detail}
      subtitle={(s) => `${s.sizeGiB} GiB · ${snapshotContents(s)}`}
      actions={actions}
      deleteWarning={(s) =>
        `The snapshot ${s.name} will be deleted. Droplets and volumes made from it keep their data.`
      }
    >
      {(s) => (
        <div className="grid gap-6 lg:grid-cols-2">
          <Facts
            title="Snapshot"
            facts={[
              ['Of', <SnapshotSource key="of" snapshot={s} />],
              ['Size', `${s.sizeGiB} GiB`],
              ...(s.dropletSize ? ([['Droplet size', s.dropletSize]] as [string, string][]) : []),
              ['Holds', snapshotContents(s)],
              ...syncFacts(s),
            ]}
          />
        </div>
      )}
    </ResourceDetailPage>
  );
}
