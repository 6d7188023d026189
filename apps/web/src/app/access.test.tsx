import { describe, expect, it } from 'vitest';
import { refusalFor, refusalText } from './access.ts';

const powerOff = { verb: 'power off', object: 'droplets' };

describe('refusalFor', () => {
  it('refuses viewers what members may do, and says whom to ask', () => {
    expect(refusalFor({ role: 'viewer', isAdmin: false }, 'member', powerOff)?.text).toBe(
      "Viewers can't power off droplets — ask a project owner.",
    );
  });

  it('lets members and owners do what members may do', () => {
    expect(refusalFor({ role: 'member', isAdmin: false }, 'member', powerOff)).toBeNull();
    expect(refusalFor({ role: 'owner', isAdmin: false }, 'member', powerOff)).toBeNull();
  });

  it('refuses members what only owners may do', () => {
    expect(
      refusalFor({ role: 'member', isAdmin: false }, 'owner', { verb: 'delete', object: 'the project' })
        ?.text,
    ).toBe("Members can't delete the project — ask a project owner.");
  });

  it('refuses even owners what only administrators may do, and lets administrators do anything', () => {
    const quotas = { verb: 'change', object: 'quotas' };
    expect(refusalFor({ role: 'owner', isAdmin: false }, 'admin', quotas)?.text).toBe(
      'Only administrators can change quotas — ask an administrator of this server.',
    );
    expect(refusalFor({ role: 'viewer', isAdmin: true }, 'admin', quotas)).toBeNull();
    expect(refusalFor({ role: 'viewer', isAdmin: true }, 'owner', quotas)).toBeNull();
  });

  it('leaves an unknown role to the server', () => {
    expect(refusalFor({ role: null, isAdmin: false }, 'owner', powerOff)).toBeNull();
  });

  it('tells several refusals of one kind in one sentence', () => {
    expect(refusalText('Viewers', ['power off', 'reboot', 'delete'], 'droplets', 'member')).toBe(
      "Viewers can't power off, reboot, or delete droplets — ask a project owner.",
    );
  });
});
