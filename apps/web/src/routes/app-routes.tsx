import { lazy, Suspense } from 'react';
import { Link, Navigate, Outlet, Route, Routes, useParams } from 'react-router';
import { idPattern } from '@uncloud/sdk';
import { RequireAuth, useWhoami } from '../app/require-auth.tsx';
import { lastProject } from '../app/use-project.ts';
import { AppShell } from '../components/layout/app-shell.tsx';
import { ActionTray } from '../components/action-tray.tsx';
import { EmptyState, LoadingRows } from '../components/query-states.tsx';
import { Button } from '../components/ui/button.tsx';
import { AllActivityPage, ProjectActivityPage } from '../features/activity/activity-page.tsx';
import { AppDetailPage } from '../features/apps/app-detail-page.tsx';
import { AppsPage } from '../features/apps/apps-page.tsx';
import { SignInPage } from '../features/auth/sign-in-page.tsx';
import { SetupPage } from '../features/setup/setup-page.tsx';
import { DatabaseDetailPage } from '../features/databases/database-detail-page.tsx';
import { DatabasesPage } from '../features/databases/databases-page.tsx';
import { DropletDetailPage } from '../features/droplets/droplet-detail-page.tsx';
import { DropletsPage } from '../features/droplets/droplets-page.tsx';
import { FirewallDetailPage } from '../features/firewalls/firewall-detail-page.tsx';
import { FirewallsPage } from '../features/firewalls/firewalls-page.tsx';
import { LoadBalancerDetailPage } from '../features/load-balancers/load-balancer-detail-page.tsx';
import { LoadBalancersPage } from '../features/load-balancers/load-balancers-page.tsx';
import { ReservedIpDetailPage } from '../features/reserved-ips/reserved-ip-detail-page.tsx';
import { ReservedIpsPage } from '../features/reserved-ips/reserved-ips-page.tsx';
import { OverviewPage } from '../features/overview/overview-page.tsx';
import { ProjectSettingsPage } from '../features/projects/project-settings-page.tsx';
import { ProjectsPage } from '../features/projects/projects-page.tsx';
import { QuotasPage } from '../features/quotas/quotas-page.tsx';
import { RegistryPage } from '../features/registry/registry-page.tsx';
import { BucketDetailPage } from '../features/buckets/bucket-detail-page.tsx';
import { BucketsPage } from '../features/buckets/buckets-page.tsx';
import { DatabaseBackupDetailPage } from '../features/database-backups/database-backup-detail-page.tsx';
import { DatabaseBackupsPage } from '../features/database-backups/database-backups-page.tsx';
import { SnapshotDetailPage } from '../features/snapshots/snapshot-detail-page.tsx';
import { SnapshotsPage } from '../features/snapshots/snapshots-page.tsx';
import { SshKeyDetailPage } from '../features/ssh-keys/ssh-key-detail-page.tsx';
import { SshKeysPage } from '../features/ssh-keys/ssh-keys-page.tsx';
import { TokensPage } from '../features/tokens/tokens-page.tsx';
import { SessionsPage } from '../features/users/sessions-page.tsx';
import { UsersPage } from '../features/users/users-page.tsx';
import { VolumeDetailPage } from '../features/volumes/volume-detail-page.tsx';
import { VolumesPage } from '../features/volumes/volumes-page.tsx';
import { useProjectEvents } from '../lib/use-project-events.ts';

// Read rarely, so loaded only when opened.
const ApiReferencePage = lazy(() =>
  import('../features/api-reference/api-reference-page.tsx').then((m) => ({ default: m.ApiReferencePage })),
);

/** Wires URLs to pages; the pages live in `features/`. */
export function AppRoutes() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route
        element={
          <RequireAuth>
            <AppShell />
          </RequireAuth>
        }
      >
        <Route index element={<Home />} />
        <Route path="projects" element={<ProjectsPage />} />
        <Route path="tokens" element={<TokensPage />} />
        <Route path="users" element={<UsersPage />} />
        <Route path="sessions" element={<SessionsPage />} />
        <Route path="setup" element={<SetupPage />} />
        <Route path="activity" element={<AllActivityPage />} />
        <Route
          path="api-reference"
          element={
            <Suspense fallback={<LoadingRows rows={6} />}>
              <ApiReferencePage />
            </Suspense>
          }
        />
        <Route path="p/:projectId" element={<ProjectScope />}>
          <Route index element={<OverviewPage />} />
          <Route path="droplets" element={<DropletsPage />} />
          <Route path="droplets/:dropletId" element={<DropletDetailPage />} />
          <Route path="volumes" element={<VolumesPage />} />
          <Route path="volumes/:volumeId" element={<VolumeDetailPage />} />
          <Route path="snapshots" element={<SnapshotsPage />} />
          <Route path="snapshots/:snapshotId" element={<SnapshotDetailPage />} />
          <Route path="buckets" element={<BucketsPage />} />
          <Route path="buckets/:bucketId" element={<BucketDetailPage />} />
          <Route path="database-backups" element={<DatabaseBackupsPage />} />
          <Route path="database-backups/:databaseBackupId" element={<DatabaseBackupDetailPage />} />
          <Route path="apps" element={<AppsPage />} />
          <Route path="apps/:appId" element={<AppDetailPage />} />
          <Route path="databases" element={<DatabasesPage />} />
          <Route path="databases/:databaseId" element={<DatabaseDetailPage />} />
          <Route path="ssh-keys" element={<SshKeysPage />} />
          <Route path="ssh-keys/:sshKeyId" element={<SshKeyDetailPage />} />
          <Route path="firewalls" element={<FirewallsPage />} />
          <Route path="firewalls/:firewallId" element={<FirewallDetailPage />} />
          <Route path="load-balancers" element={<LoadBalancersPage />} />
          <Route path="load-balancers/:loadBalancerId" element={<LoadBalancerDetailPage />} />
          <Route path="reserved-ips" element={<ReservedIpsPage />} />
          <Route path="reserved-ips/:reservedIpId" element={<ReservedIpDetailPage />} />
          <Route path="registry" element={<RegistryPage />} />
          <Route path="quotas" element={<QuotasPage />} />
          <Route path="activity" element={<ProjectActivityPage />} />
          <Route path="settings" element={<ProjectSettingsPage />} />
        </Route>
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

/**
 * Pages start afresh (filters, paging, dialogs) when the project changes. The action tray sits
 * outside them, so that an action started on one page is followed to its end on the next. The
 * project's change stream keeps all of them current.
 */
function ProjectScope() {
  const { projectId } = useParams();
  // A mistyped project id names nothing: say so at once rather than let every card fail to load.
  const wellFormed = projectId !== undefined && idPattern('project').test(projectId);
  useProjectEvents(wellFormed ? projectId : undefined);
  if (!wellFormed) return <NotFound />;
  return (
    <>
      <Outlet key={projectId} />
      <ActionTray />
    </>
  );
}

/** `/` opens the last project used, else the first, else the projects page. */
function Home() {
  const whoami = useWhoami();
  const projects = whoami.data?.projects ?? [];
  const remembered = lastProject();
  const target = projects.find((p) => p.id === remembered) ?? projects[0];
  return <Navigate to={target ? `/p/${target.id}` : '/projects'} replace />;
}

function NotFound() {
  return (
    <EmptyState title="Page not found">
      <p>There is nothing at this address.</p>
      <Button asChild variant="link">
        <Link to="/">Go to the overview</Link>
      </Button>
    </EmptyState>
  );
}
