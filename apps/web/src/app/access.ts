import type { ProjectRole } from '@uncloud/sdk';
import { useParams } from 'react-router';
import { useWhoami } from './require-auth.tsx';

/**
 * What an action needs, as the API checks it: `member` for every write to a project's resources,
 * `owner` for the project itself and its members, `admin` for server-wide things (quotas, users),
 * `unscoped` for what only a token that reaches every project may do (create projects).
 */
export type Need = 'member' | 'owner' | 'admin' | 'unscoped';

/** What the refused person would have done, in words: "power off" + "droplets". */
export interface Doing {
  verb: string;
  object: string;
  /** A read that still needs a role (credentials, the activity log): read-only tokens may do it. */
  read?: boolean;
}

/**
 * Why it is refused: the caller's project role is too low, they are not an administrator, or the
 * token this session signed in with does not allow it (read-only, or limited to some projects).
 */
export type Because = ProjectRole | 'notAdmin' | 'readOnly' | 'limitedToken';

/** Why an action is not offered to this person, and who can help. */
export interface Refusal extends Doing {
  because: Because;
  /** Refusals with the same key are told in one sentence ("can't power off or reboot droplets"). */
  key: string;
  text: string;
}

const rank: Record<ProjectRole, number> = { viewer: 0, member: 1, owner: 2 };
const roleNames: Record<ProjectRole, string> = { viewer: 'Viewers', member: 'Members', owner: 'Owners' };

const joinVerbs = (verbs: readonly string[]) =>
  new Intl.ListFormat('en', { style: 'long', type: 'disjunction' }).format([...new Set(verbs)]);

/** The sentence for one or more refusals that share a key: the verbs are joined with "or". */
export const refusalText = (because: Because, verbs: readonly string[], object: string) => {
  const what = `${joinVerbs(verbs)} ${object}`;
  switch (because) {
    case 'notAdmin':
      return `Only administrators can ${what} — ask an administrator of this server.`;
    case 'readOnly':
      return `This session's token is read-only: it can't ${what} — sign in with a token that may make changes.`;
    case 'limitedToken':
      return `This session's token is limited to some projects: it can't ${what} — sign in with a token for every project.`;
    default:
      return `${roleNames[because]} can't ${what} — ask a project owner.`;
  }
};

/** Who is asking, as whoami describes them and the token they signed in with. */
export interface Caller {
  /** Their role in the project at hand; null outside a project, or when not known. */
  role: ProjectRole | null;
  isAdmin: boolean;
  /** The session's token refuses every change. */
  readOnly: boolean;
  /** The session's token reaches only some projects (so it cannot administer the server). */
  limitedToken: boolean;
}

const why = (caller: Caller, need: Need, doing: Doing): Because | null => {
  if (caller.readOnly && !doing.read) return 'readOnly';
  if (need === 'unscoped') return caller.limitedToken ? 'limitedToken' : null;
  if (need === 'admin') return !caller.isAdmin ? 'notAdmin' : caller.limitedToken ? 'limitedToken' : null;
  // Administrators are owners in every project their token reaches.
  if (caller.isAdmin || caller.role === null || rank[caller.role] >= rank[need]) return null;
  return caller.role;
};

/**
 * Whether a person may do something, as the API will decide it: null when they may, else why not.
 * An unknown role (whoami not loaded) is not refused here: the server decides, and its answer is
 * shown as any other error.
 */
export const refusalFor = (caller: Caller, need: Need, doing: Doing): Refusal | null => {
  const because = why(caller, need, doing);
  if (because === null) return null;
  return {
    ...doing,
    because,
    key: `${because}|${doing.object}`,
    text: refusalText(because, [doing.verb], doing.object),
  };
};

export interface Access extends Caller {
  /** False until whoami has answered: what is refused is not known yet. */
  settled: boolean;
  /**
   * Null when the caller may; else the refusal to show next to the disabled control. `role` is
   * their role where the page is about another project than its own (a row of the projects list).
   */
  refusal: (need: Need, doing: Doing, role?: ProjectRole) => Refusal | null;
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
  const caller: Caller = {
    role: (id ? me?.projects.find((p) => p.id === id)?.role : undefined) ?? null,
    isAdmin: me?.user.isAdmin ?? false,
    readOnly: me?.token.readOnly ?? false,
    limitedToken: (me?.token.projectIds ?? null) !== null,
  };
  return {
    ...caller,
    settled: !whoami.isPending,
    refusal: (need, doing, role) => refusalFor(role ? { ...caller, role } : caller, need, doing),
  };
};
