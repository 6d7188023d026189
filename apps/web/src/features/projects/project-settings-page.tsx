import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Trash2Icon } from 'lucide-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useAccess } from '../../app/access.ts';
import { useProjectId } from '../../app/use-project.ts';
import { Copyable } from '../../components/copy-button.tsx';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { Facts, syncFacts } from '../../components/facts.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { RefusalNote, refusedProps } from '../../components/refusal-note.tsx';
import { ErrorState, LoadingRows } from '../../components/query-states.tsx';
import { StateBadge } from '../../components/state-badge.tsx';
import { Button } from '../../components/ui/button.tsx';
import { isTransitional, POLL_MS } from '../../lib/states.ts';
import { useTRPC } from '../../lib/trpc.ts';
import { EditProjectDialog } from './edit-project-dialog.tsx';
import { MembersCard } from './members-card.tsx';

/** The project's own detail page: its settings, namespace, sync state and members. */
export function ProjectSettingsPage() {
  const projectId = useProjectId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [deleting, setDeleting] = useState(false);
  const access = useAccess(projectId);
  const editRefusal = access.refusal('owner', { verb: 'rename', object: 'the project' });
  const deleteRefusal = access.refusal('owner', { verb: 'delete', object: 'the project' });
  const project = useQuery(
    trpc.projects.get.queryOptions(
      { projectId },
      { refetchInterval: (q) => (q.state.data && isTransitional(q.state.data.state) ? POLL_MS : false) },
    ),
  );
  // Only the list and whoami are refetched: this page is left once the delete is accepted.
  const remove = useMutation(
    trpc.projects.delete.mutationOptions({
      onSettled: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.projects.list.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.auth.whoami.pathKey() }),
        ]),
    }),
  );

  if (project.isPending) return <LoadingRows rows={6} />;
  if (project.isError) return <ErrorState error={project.error} onRetry={() => void project.refetch()} />;
  const p = project.data;
  return (
    <>
      <PageHeader
        title={`Project ${p.name}`}
        description={p.description || 'Settings, members and the state of this project.'}
        actions={
          <>
            <StateBadge state={p.state} syncState={p.syncState} syncError={p.syncError} />
            <EditProjectDialog project={p} refusal={editRefusal} />
            <Button
              variant="outline"
              size="sm"
              className="text-destructive"
              disabled={p.state === 'deleting'}
              {...refusedProps(deleteRefusal)}
              onClick={() => setDeleting(true)}
            >
              <Trash2Icon aria-hidden /> Delete project
            </Button>
          </>
        }
      />
      <RefusalNote className="-mt-3 mb-4" refusals={[editRefusal, deleteRefusal]} />
      <div className="grid gap-6">
        <div className="grid gap-6 lg:grid-cols-2">
          <Facts
            title="Settings"
            facts={[
              ['ID', <Copyable value={p.id} label="Copy ID" />],
              ['Purpose', p.purpose],
              ['Default project', p.isDefault ? 'Yes' : 'No'],
              ['Your role', p.role],
            ]}
          />
          <Facts title="Runtime" facts={[['Namespace', p.namespace ?? 'Not created yet'], ...syncFacts(p)]} />
        </div>
        <MembersCard project={p} />
      </div>
      <ConfirmDialog
        open={deleting}
        onOpenChange={setDeleting}
        title={`Delete project ${p.name}?`}
        description="The project is deleted. A project that still holds droplets, volumes, apps, databases or firewalls cannot be deleted; remove those first."
        confirmLabel="Delete project"
        typeToConfirm={p.name}
        onConfirm={async () => {
          await remove.mutateAsync({ projectId });
          void navigate('/projects');
        }}
      />
    </>
  );
}
