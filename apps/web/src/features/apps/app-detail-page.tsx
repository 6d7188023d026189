import type { App } from '@uncloud/sdk';
import { useState } from 'react';
import { useParams } from 'react-router';
import { Copyable } from '../../components/copy-button.tsx';
import { Facts, syncFacts } from '../../components/facts.tsx';
import { ResourceDetailPage } from '../../components/resource-detail-page.tsx';
import { Button } from '../../components/ui/button.tsx';
import { Progress } from '../../components/ui/progress.tsx';
import { useResourceDetail } from '../../lib/use-resource.ts';
import { useAppActions } from './app-actions.tsx';
import { AppDatabases } from './app-databases.tsx';
import { AppLogs } from './app-logs.tsx';
import { DeploymentHistory } from './deployment-history.tsx';
import { appHealth, rolloutOf } from './app-health.ts';
import { AppAddress, Replicas } from './apps-page.tsx';
import { EditAppDialog } from './edit-app-dialog.tsx';

export function AppDetailPage() {
  const { appId = '' } = useParams();
  const detail = useResourceDetail('apps', appId);
  const actions = useAppActions();
  return (
    <ResourceDetailPage
      detail={detail}
      subtitle={(a) => `${a.image} · port ${a.port}`}
      actions={actions}
      extraActions={(a, refusal) => <EditAppDialog app={a} refusal={refusal} />}
      stateOf={appHealth}
      deleteWarning={(a) =>
        `All replicas of ${a.name} stop and its address goes away. This cannot be undone.`
      }
    >
      {(a) => (
        <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
          <Facts
            title="Runtime"
            facts={[
              ['Replicas', <Replicas app={a} />],
              ['Available', a.availableReplicas ?? 0],
              ['Address', <AppAddress app={a} />],
              ...syncFacts(a),
            ]}
          >
            <Rollout app={a} />
          </Facts>
          <Facts
            title="Settings"
            facts={[
              ['ID', <Copyable value={a.id} label="Copy ID" />],
              ['Image', <span className="font-mono text-xs">{a.image}</span>],
              [
                'Previous image',
                a.previousImage ? <span className="font-mono text-xs">{a.previousImage}</span> : 'None',
              ],
              ['Port', a.port],
              ['Desired replicas', a.replicas],
              ['Domains', a.domains.length > 0 ? a.domains.join(', ') : 'None'],
              ['Health check', a.healthCheckPath ?? 'None'],
              ['Tags', a.tags.length > 0 ? a.tags.join(', ') : 'None'],
              ['Environment', <EnvList app={a} />],
            ]}
          />
          <Facts title="Databases" facts={[]}>
            <AppDatabases app={a} />
          </Facts>
          <div className="lg:col-span-2">
            <Facts title="Deployment history" facts={[]}>
              <DeploymentHistory app={a} />
            </Facts>
          </div>
          <div className="lg:col-span-2">
            <Facts title="Logs" facts={[]}>
              <AppLogs app={a} />
            </Facts>
          </div>
        </div>
      )}
    </ResourceDetailPage>
  );
}

/** How far the latest template has rolled out, while replicas still run the one before. */
function Rollout({ app }: { app: App }) {
  const r = rolloutOf(app);
  if (!r.inProgress || r.desired === 0) return null;
  return (
    <div className="grid gap-1.5">
      <p className="text-sm">
        Rolling out: {r.updated} of {r.desired} replicas run the new version; {r.ready} ready and{' '}
        {r.available} available, old and new together. The app keeps answering meanwhile.
      </p>
      <Progress value={Math.min(r.updated, r.desired)} max={r.desired} label="Replicas updated" />
    </div>
  );
}

/**
 * Variables with their values hidden until asked: they often hold secrets. A viewer gets the names
 * only (the server withholds the values), and is told so rather than shown blanks.
 */
function EnvList({ app }: { app: App }) {
  const [shown, setShown] = useState(false);
  const entries = Object.entries(app.env);
  if (entries.length === 0) return <>None</>;
  if (app.envRedacted)
    return (
      <div className="grid gap-1">
        <ul className="font-mono text-xs">
          {entries.map(([key]) => (
            <li key={key}>
              {key}=<span className="text-muted-foreground">(hidden)</span>
            </li>
          ))}
        </ul>
        <p className="text-xs text-muted-foreground">
          Values hidden: viewers see the names only, as values often hold passwords. A project owner can make
          you a member to read them.
        </p>
      </div>
    );
  return (
    <div className="grid gap-1">
      <ul className="font-mono text-xs">
        {entries.map(([key, value]) => (
          <li key={key}>
            {key}={shown ? value : '••••••'}
          </li>
        ))}
      </ul>
      <Button
        variant="link"
        size="sm"
        className="h-auto justify-start p-0"
        onClick={() => setShown((s) => !s)}
      >
        {shown ? 'Hide values' : 'Show values'}
      </Button>
    </div>
  );
}
