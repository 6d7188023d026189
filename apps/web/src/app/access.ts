import type { ProjectRole } from '@uncloud/sdk';
import { useParams } from 'react-router';
import { useWhoami } from './require-auth.tsx';

/**
 * What an action needs, as the API checks it: `member` for every write to a project's resources,
 * `owner` for the project itself and its members, `admin` for server-wide things (quotas, users).
 */
export type Need = 'member' | 'owner' | 'admin';

/** What the refused person would have done, in words: "power off" + "droplets". */
export interface Doing {
  verb: string;
  object: string;
}

/** Why an action is not offered to this person, and who can help. */
export interface Refusal extends Doing {
  /** "Viewers", "Members", or "Only administrators" when no project role would do. */
  who: string;
  need: Need;
  /** Refusals with the same key are told in one sentence ("can't power off or reboot droplets"). */
  key: string;
  text: string;
}

const rank: Record<ProjectRole, number> = { viewer: 0, member: 1, owner: 2 };
const roleNames: Record<ProjectRole, string> = { viewer: 'Viewers', member: 'Members', owner: 'Owners' };

const ask = (need: Need) =>
  need === 'admin' ? 'ask an administrator of this server' : 'ask a project owner';

const joinVerbs = (verbs: readonly string[]) =>
  new Intl.ListFormat('en', { style: 'long', type: 'disjunction' }).format([...new Set(verbs)]);

/** The sentence for one or more refusals that share a key: the verbs are joined with "or". */
export const refusalText = (who: string, verbs: readonly string[], object: string, need: Need) =>
  need === 'admin'
    ? `${who} can ${joinVerbs(verbs)} ${object} — ${ask(need)}.`
    : `${who} can't ${joinVerbs(verbs)} ${object} — ${ask(need)}.`;

/**
 * Whether a person may do something, as the API will decide it: null when they may, else why not.
 * Administrators are owners in every project. An unknown role (whoami not loaded) is not refused
 * here: the server decides, and its answer is shown as any other error.
 */
export const refusalFor = (
  caller: { role: ProjectRole | null; isAdmin: boolean },
  need: Need,
  doing: Doing,
): Refusal | null => {
  if (caller.isAdmin) return null;
  let who: string;
  if (need === 'admin') who = 'Only administrators';
  else if (caller.role === null || rank[caller.role] >= rank[need]) return null;
  else who = roleNames[caller.role];
  const key = `${who}|${need}|${doing.object}`;
  return { ...doing, who, need, key, text: refusalText(who, [doing.verb], doing.object, need) };
};

export interface Access {
  /** The caller's role in the project of the page, or null outside a project (or unknown). */
  role: ProjectRole | null;
  isAdmin: boolean;
  /** False until whoami has answered: what is refused is not known yet. */
  settled: boolean;
  /** Null when the caller may; else the refusal to show next to the disabled control. */
  refusal: (need: Need, doing: Doing) => Refusal | null;
}

/**
 * The one place the dashboard knows what the signed-in person may do: whoami names their role in
 * each project and whether they administer the server. `projectId` defaults to the page's project.
 */
export const useAccess = (projectId?: string): Access => {
  const params = useParams();
  const id = projectId ?? params.projectId;
  const whoami = useWhoami();
  const me = whoami.data;
  const role = (id ? me?.projects.find((p) => p.id === id)?.role : undefined) ?? null;
  const isAdmin = me?.user.isAdmin ?? false;
  return {
    role,
    isAdmin,
    settled: !whoami.isPending,
    refusal: (need, doing) => refusalFor({ role, isAdmin }, need, doing),
  };
};
