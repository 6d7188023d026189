import { routerOf, type AuditEvent, type ErrorCode } from '@uncloud/sdk';
import { resourceKindViews } from '../../lib/resource-kinds.ts';

/** What each procedure did, in the past tense, before the thing it did it to. */
const pastTense: Record<string, string> = {
  create: 'Created',
  update: 'Changed',
  delete: 'Deleted',
  powerOn: 'Powered on',
  powerOff: 'Powered off',
  reboot: 'Rebooted',
  resize: 'Resized',
  rebuild: 'Rebuilt',
  snapshot: 'Took a snapshot of',
  attach: 'Attached',
  detach: 'Detached',
  scale: 'Scaled',
  deploy: 'Deployed',
  redeploy: 'Redeployed',
  rollback: 'Rolled back',
  resetPassword: 'Reset the password of',
  addMember: 'Added a member to',
  removeMember: 'Removed a member from',
};

/** Router → the noun of what it holds: `droplets` → "droplet", `projects` → "project". */
const nouns: Record<string, string> = {
  projects: 'project',
  ...Object.fromEntries(resourceKindViews.map((v) => [routerOf(v.kind), v.noun])),
};

/** The project procedures act on the project itself, named by its id rather than a resource id. */
const onProject = new Set([
  'projects.update',
  'projects.delete',
  'projects.addMember',
  'projects.removeMember',
]);

/**
 * An event in words: "Created droplet web-1" when what it acted on can be named, else the
 * procedure itself (`droplets.create`), which is exact if less friendly.
 */
export const describeEvent = (
  event: { procedure: string; resourceId: string | null; projectId: string | null },
  nameOf: (id: string) => string | undefined,
): { text: string; named: boolean } => {
  const [router = '', procedure = ''] = event.procedure.split('.');
  const verb = pastTense[procedure];
  const noun = nouns[router];
  const target = onProject.has(event.procedure) ? event.projectId : event.resourceId;
  const name = target ? nameOf(target) : undefined;
  if (verb && noun && name) return { text: `${verb} ${noun} ${name}`, named: true };
  return { text: event.procedure, named: false };
};

const errorWords: Record<ErrorCode, string> = {
  BAD_REQUEST: 'invalid input',
  UNAUTHORIZED: 'not signed in',
  FORBIDDEN: 'not allowed',
  NOT_FOUND: 'not found',
  CONFLICT: 'conflict',
  QUOTA_EXCEEDED: 'over quota',
  UNAVAILABLE: 'unavailable',
  TOO_MANY_REQUESTS: 'too many requests',
  PAYLOAD_TOO_LARGE: 'too large',
  UNSUPPORTED_MEDIA_TYPE: 'unsupported request',
  METHOD_NOT_SUPPORTED: 'unsupported request',
  INTERNAL_SERVER_ERROR: 'server error',
};

/** How it ended: "Succeeded", or "Failed: over quota". */
export const outcomeText = (event: Pick<AuditEvent, 'outcome' | 'errorCode'>) =>
  event.outcome === 'ok'
    ? 'Succeeded'
    : `Failed: ${event.errorCode ? errorWords[event.errorCode] : 'unknown error'}`;
