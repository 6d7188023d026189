import { describe, expect, it } from 'vitest';
import { refusalFor, refusalText, type Caller } from './access.ts';

const powerOff = { verb: 'power off', object: 'droplets' };
const quotas = { verb: 'change', object: 'quotas' };
const as = (role: Caller['role'], over: Partial<Caller> = {}): Caller => ({
  role,
  isAdmin: false,
  readOnly: false,
  limitedToken: false,
  ...over,
});

describe('refusalFor', () => {
  it('refuses viewers what members may do, and says whom to ask', () => {
    expect(refusalFor(as('viewer'), 'member', powerOff)?.text).toBe(
      "Viewers can't power off droplets — ask a project owner.",
    );
  });

  it('lets members and owners do what members may do', () => {
    expect(refusalFor(as('member'), 'member', powerOff)).toBeNull();
    expect(refusalFor(as('owner'), 'member', powerOff)).toBeNull();
  });

  it('refuses members what only owners may do', () => {
    expect(refusalFor(as('member'), 'owner', { verb: 'delete', object: 'the project' })?.text).toBe(
      "Members can't delete the project — ask a project owner.",
    );
  });

  it('refuses even owners what only administrators may do, and lets administrators do anything', () => {
    expect(refusalFor(as('owner'), 'admin', quotas)?.text).toBe(
      'Only administrators can change quotas — ask an administrator of this server.',
    );
    expect(refusalFor(as('viewer', { isAdmin: true }), 'admin', quotas)).toBeNull();
    expect(refusalFor(as('viewer', { isAdmin: true }), 'owner', powerOff)).toBeNull();
  });

  it('refuses every change to a session signed in with a read-only token, but not reads', () => {
    const readOnly = as('owner', { isAdmin: true, readOnly: true });
    expect(refusalFor(readOnly, 'member', powerOff)?.text).toBe(
      "This session's token is read-only: it can't power off droplets — sign in with a token that may make changes.",
    );
    expect(refusalFor(readOnly, 'admin', quotas)?.because).toBe('readOnly');
    expect(refusalFor(readOnly, 'owner', { verb: 'see', object: 'activity', read: true })).toBeNull();
  });

  it('refuses administration to an administrator whose token is limited to projects', () => {
    const limited = as('owner', { isAdmin: true, limitedToken: true });
    expect(refusalFor(limited, 'admin', quotas)?.text).toBe(
      "This session's token is limited to some projects: it can't change quotas — sign in with a token for every project.",
    );
    expect(refusalFor(limited, 'owner', powerOff)).toBeNull();
  });

  it('leaves an unknown role to the server', () => {
    expect(refusalFor(as(null), 'owner', powerOff)).toBeNull();
  });

  it('tells several refusals of one kind in one sentence', () => {
    expect(refusalText('viewer', ['power off', 'reboot', 'delete'], 'droplets')).toBe(
      "Viewers can't power off, reboot, or delete droplets — ask a project owner.",
    );
  });
});
