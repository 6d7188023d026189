import type { App } from '@uncloud/sdk';
import { AppWindowIcon } from 'lucide-react';
import { CopyButton } from '../../components/copy-button.tsx';
import { Time } from '../../components/facts.tsx';
import { ResourceListPage } from '../../components/resource-list-page.tsx';
import type { Column } from '../../components/resource-table.tsx';
import { useResourceList } from '../../lib/use-resource.ts';
import { useAppActions } from './app-actions.tsx';
import { appHealth, rolloutOf } from './app-health.ts';
import { CreateAppDialog } from './create-app-dialog.tsx';

/** "2/3 ready"; during a rollout, how many of the desired replicas are updated, ready and available. */
export function Replicas({ app }: { app: App }) {
  const r = rolloutOf(app);
  if (r.inProgress)
    return (
      <span>
        <span className="block">Rolling out</span>
        <span
          className="block text-xs text-muted-foreground"
          aria-label={`Rolling out: of ${r.desired} desired, ${r.updated} updated, ${r.ready} ready, ${r.available} available`}
        >
          {r.updated} updated · {r.ready} ready · {r.available} available of {r.desired}
        </span>
      </span>
    );
  return (
    <span aria-label={`${r.ready} of ${r.desired} replicas ready`}>
      {r.ready}/{r.desired} ready
    </span>
  );
}

export function AppAddress({ app }: { app: App }) {
  if (app.url)
    return (
      <span className="inline-flex items-center gap-1.5">
        <a
          className="text-primary underline-offset-4 hover:underline"
          href={app.url}
          target="_blank"
          rel="noreferrer"
        >
          {app.url}
        </a>
        <CopyButton compact value={app.url} label="Copy address" />
      </span>
    );
  return <>{app.domains[0] ?? 'No address yet'}</>;
}

const columns: Array<Column<App>> = [
  { header: 'Replicas', sort: 'replicas', cell: (a) => <Replicas app={a} /> },
  { header: 'Image', sort: 'image', cell: (a) => <span className="font-mono text-xs">{a.image}</span> },
  { header: 'Address', cell: (a) => <AppAddress app={a} /> },
  { header: 'Created', cell: (a) => <Time iso={a.createdAt} /> },
];

export function AppsPage() {
  const page = useResourceList('apps');
  const actions = useAppActions();
  return (
    <ResourceListPage
      page={page}
      description="Containers run from an image, scaled to the replicas you choose."
      createLabel="Deploy app"
      createDialog={(slot) => <CreateAppDialog projectId={page.projectId} {...slot} />}
      columns={columns}
      stateOf={appHealth}
      subtitle={(a) => (a.tags.length > 0 ? a.tags.join(', ') : null)}
      actions={actions}
      deleteWarning={(a) =>
        `All replicas of ${a.name} stop and its address goes away. This cannot be undone.`
      }
      empty={{
        icon: <AppWindowIcon />,
        title: 'No apps yet',
        body: 'Deploy a container image (for example nginx:1.27), tell Uncloud which port it listens on, and it runs and stays running.',
        action: 'Deploy your first app',
      }}
    />
  );
}
