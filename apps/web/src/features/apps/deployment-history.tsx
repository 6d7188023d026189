import type { Action, App, AuditEvent } from '@uncloud/sdk';
import { useQuery } from '@tanstack/react-query';
import { useAccess } from '../../app/access.ts';
import { useProjectId } from '../../app/use-project.ts';
import { errorMessage } from '../../lib/errors.ts';
import { useTRPC } from '../../lib/trpc.ts';

const DEPLOY_TYPES = new Set<Action['type']>(['deploy', 'rollback', 'redeploy']);
// An audit event and the action it started are written together; allow for clock steps between.
const SAME_CALL_MS = 5_000;

const outcomeOf = (a: Action) =>
  a.status === 'completed'
    ? 'Succeeded'
    : a.status === 'errored'
      ? `Failed: ${a.error ?? 'unknown'}`
      : 'In progress';

/** Who started an action: the audit event of the same call (its procedure, resource and time). */
const actorOf = (a: Action, audit: AuditEvent[]) =>
  audit.find(
    (e) =>
      e.resourceId === a.resourceId &&
      e.procedure === `apps.${a.type}` &&
      e.outcome === 'ok' &&
      Math.abs(Date.parse(e.at) - Date.parse(a.startedAt)) < SAME_CALL_MS,
  )?.actor?.name;

/**
 * Each deploy, rollback and restart of the app, newest first: the image it rolled out, when, who
 * asked (from the activity log, which owners may read) and how it ended.
 */
export function DeploymentHistory({ app }: { app: App }) {
  const trpc = useTRPC();
  const projectId = useProjectId();
  const access = useAccess();
  // Asked only once whoami says who this is: a viewer's request would just be refused.
  const mayReadAudit =
    access.settled &&
    access.refusal('owner', { verb: 'read', object: 'the activity log', read: true }) === null;
  const actions = useQuery(trpc.actions.list.queryOptions({ projectId, resourceId: app.id, limit: 100 }));
  const audit = useQuery({
    ...trpc.audit.list.queryOptions({ projectId, limit: 200 }),
    enabled: mayReadAudit,
  });
  const deploys = (actions.data?.items ?? []).filter((a) => DEPLOY_TYPES.has(a.type));
  const events = audit.data?.items ?? [];
  if (actions.error)
    return (
      <p role="alert" className="text-sm text-destructive">
        {errorMessage(actions.error)}
      </p>
    );
  if (actions.isPending) return <p className="text-sm text-muted-foreground">Loading…</p>;
  if (deploys.length === 0)
    return (
      <p className="text-sm text-muted-foreground">
        No deploys yet: the app runs the image it was created with, {app.image}.
      </p>
    );
  return (
    <table aria-label="Deployment history" className="w-full text-sm">
      <thead className="text-left text-xs text-muted-foreground">
        <tr>
          <th className="py-1 font-medium">When</th>
          <th className="py-1 font-medium">What</th>
          <th className="py-1 font-medium">Image</th>
          <th className="py-1 font-medium">By</th>
          <th className="py-1 font-medium">Outcome</th>
        </tr>
      </thead>
      <tbody>
        {deploys.map((a) => (
          <tr key={a.id} className="border-t align-top">
            <td className="py-1 pr-2 whitespace-nowrap">
              <time dateTime={a.startedAt}>{new Date(a.startedAt).toLocaleString()}</time>
            </td>
            <td className="py-1 pr-2">{a.type === 'redeploy' ? 'restart' : a.type}</td>
            <td className="py-1 pr-2 font-mono text-xs">
              {typeof a.params.image === 'string' ? a.params.image : '(same image)'}
            </td>
            <td className="py-1 pr-2">
              {mayReadAudit ? (actorOf(a, events) ?? 'unknown') : 'owners see who'}
            </td>
            <td className="py-1">{outcomeOf(a)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
