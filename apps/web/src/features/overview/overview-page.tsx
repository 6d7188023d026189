import { useQuery } from '@tanstack/react-query';
import { AppWindowIcon, DatabaseIcon, HardDriveIcon, KeyRoundIcon, ServerIcon, ShieldIcon, type LucideIcon } from 'lucide-react';
import { Link } from 'react-router';
import { useWhoami } from '../../app/require-auth.tsx';
import { useProjectId } from '../../app/use-project.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorState } from '../../components/query-states.tsx';
import { StateBadge } from '../../components/state-badge.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '../../components/ui/card.tsx';
import { Skeleton } from '../../components/ui/skeleton.tsx';
import { pollWhileTransitional } from '../../lib/states.ts';
import { useTRPC } from '../../lib/trpc.ts';

const PAGE = 200;

interface KindSummary {
  label: string;
  path: string;
  icon: LucideIcon;
  query: {
    data: { items: ReadonlyArray<{ state?: string }>; nextCursor: string | null } | undefined;
    isPending: boolean;
    isError: boolean;
    error: unknown;
  };
}

const countByState = (items: ReadonlyArray<{ state?: string }>) => {
  const counts = new Map<string, number>();
  for (const item of items) if (item.state) counts.set(item.state, (counts.get(item.state) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b));
};

/** How many of each kind the project has, and in which states. */
export function OverviewPage() {
  const projectId = useProjectId();
  const trpc = useTRPC();
  const whoami = useWhoami();
  const project = whoami.data?.projects.find((p) => p.id === projectId);
  const input = { projectId, limit: PAGE };
  const poll = { refetchInterval: pollWhileTransitional };
  const kinds: KindSummary[] = [
    { label: 'Droplets', path: 'droplets', icon: ServerIcon, query: useQuery(trpc.droplets.list.queryOptions(input, poll)) },
    { label: 'Volumes', path: 'volumes', icon: HardDriveIcon, query: useQuery(trpc.volumes.list.queryOptions(input, poll)) },
    { label: 'Apps', path: 'apps', icon: AppWindowIcon, query: useQuery(trpc.apps.list.queryOptions(input, poll)) },
    { label: 'Databases', path: 'databases', icon: DatabaseIcon, query: useQuery(trpc.databases.list.queryOptions(input, poll)) },
    { label: 'SSH keys', path: 'ssh-keys', icon: KeyRoundIcon, query: useQuery(trpc.sshKeys.list.queryOptions(input)) },
    { label: 'Firewalls', path: 'firewalls', icon: ShieldIcon, query: useQuery(trpc.firewalls.list.queryOptions(input, poll)) },
  ];

  if (whoami.data && !project)
    return <ErrorState error={new Error('This project does not exist or you are not a member of it. Pick another project above.')} />;

  const total = kinds.reduce((n, k) => n + (k.query.data?.items.length ?? 0), 0);
  const loaded = kinds.every((k) => !k.query.isPending);

  return (
    <>
      <PageHeader
        title={project ? project.name : 'Overview'}
        description={project ? `Everything in this project at a glance. Your role: ${project.role}.` : undefined}
      />
      {loaded && total === 0 ? (
        <Card className="mb-6 p-5 text-sm">
          <h2 className="mb-2 font-semibold">Get started</h2>
          <ol className="list-decimal space-y-1 pl-5 text-muted-foreground">
            <li>
              <Link className="text-primary underline-offset-4 hover:underline" to="ssh-keys">
                Add an SSH key
              </Link>{' '}
              so that you can log in to droplets.
            </li>
            <li>
              <Link className="text-primary underline-offset-4 hover:underline" to="droplets">
                Create a droplet
              </Link>{' '}
              or{' '}
              <Link className="text-primary underline-offset-4 hover:underline" to="apps">
                deploy an app
              </Link>
              .
            </li>
            <li>
              <Link className="text-primary underline-offset-4 hover:underline" to="firewalls">
                Add a firewall
              </Link>{' '}
              to choose what traffic reaches them.
            </li>
          </ol>
        </Card>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {kinds.map(({ label, path, icon: Icon, query }) => (
          <Card key={path}>
            <CardHeader className="flex-row items-center justify-between">
              <CardTitle>
                <Link to={path} className="underline-offset-4 hover:underline">
                  {label}
                </Link>
              </CardTitle>
              <Icon className="size-4 text-muted-foreground" aria-hidden />
            </CardHeader>
            <CardContent className="grid gap-2">
              {query.isPending ? (
                <Skeleton className="h-8 w-16" />
              ) : query.isError ? (
                <p className="text-sm text-destructive">Could not load {label.toLowerCase()}.</p>
              ) : (
                <>
                  <p className="text-3xl font-semibold" aria-label={`${label}: ${query.data?.items.length ?? 0}`}>
                    {query.data?.items.length ?? 0}
                    {query.data?.nextCursor ? '+' : ''}
                  </p>
                  <ul className="flex flex-wrap gap-2">
                    {countByState(query.data?.items ?? []).map(([state, n]) => (
                      <li key={state} className="flex items-center gap-1 text-sm">
                        <StateBadge state={state} /> <span>{n}</span>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </CardContent>
          </Card>
        ))}
      </div>
    </>
  );
}
