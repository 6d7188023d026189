import { HistoryIcon } from 'lucide-react';
import { useAccess } from '../../app/access.ts';
import { useProjectId } from '../../app/use-project.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, LoadingRows } from '../../components/query-states.tsx';
import { RefusalNote } from '../../components/refusal-note.tsx';
import { Card } from '../../components/ui/card.tsx';
import { ActivityLog } from './activity-log.tsx';

/** A project's audit log; its owners (and administrators) read it, others are told so. */
export function ProjectActivityPage() {
  const projectId = useProjectId();
  const access = useAccess(projectId);
  const refusal = access.refusal('owner', { verb: 'see', object: "the project's activity", read: true });
  return (
    <>
      <PageHeader
        title="Activity"
        description="Every change asked for in this project, newest first: who asked, when, with which token, and how it ended."
      />
      {!access.settled ? (
        <LoadingRows rows={5} />
      ) : refusal ? (
        <Card>
          <EmptyState icon={<HistoryIcon />} title="Activity is for project owners">
            <RefusalNote className="justify-center" refusals={[refusal]} />
          </EmptyState>
        </Card>
      ) : (
        <ActivityLog projectId={projectId} />
      )}
    </>
  );
}

/** Every project's audit log, for administrators. */
export function AllActivityPage() {
  const access = useAccess();
  const refusal = access.refusal('admin', { verb: 'see', object: "every project's activity", read: true });
  return (
    <>
      <PageHeader
        title="Activity in every project"
        description="Every change asked for on this server, newest first: who asked, when, in which project, and how it ended."
      />
      {!access.settled ? (
        <LoadingRows rows={5} />
      ) : refusal ? (
        <Card>
          <EmptyState icon={<HistoryIcon />} title="Only administrators see every project's activity">
            <RefusalNote className="justify-center" refusals={[refusal]} />
            <p className="mt-2">A project's owners find its activity in the project's sidebar.</p>
          </EmptyState>
        </Card>
      ) : (
        <ActivityLog />
      )}
    </>
  );
}
