import { describe, expect, it } from 'vitest';
import { type FailureReason, SyncFailure } from './converge.ts';
import { failsAction, isTerminal } from './terminal.ts';

describe('isTerminal', () => {
  it.each<[string, FailureReason, string, boolean]>([
    [
      'an invalid object',
      'Invalid',
      'Kubernetes rejected Deployment a/b as invalid: spec.replicas: must be >= 0',
      true,
    ],
    [
      'a name held by a foreign object',
      'NameClash',
      'a Deployment named b already exists in a and is not managed by Uncloud',
      true,
    ],
    [
      'a refusal by policy (RBAC, admission)',
      'Forbidden',
      'Kubernetes refused Deployment a/b: deployments.apps is forbidden: User "x" cannot patch',
      true,
    ],
    [
      'an exceeded quota',
      'QuotaExceeded',
      'Kubernetes refused Deployment a/b: pods "b" is forbidden: exceeded quota: uncloud-quota',
      false,
    ],
    [
      'a terminating namespace',
      'Terminating',
      'Kubernetes refused Service a/b: unable to create new content in namespace a because it is being terminated',
      false,
    ],
    [
      'an unreachable cluster',
      'Unavailable',
      'the cluster could not be reached (ECONNREFUSED); retrying',
      false,
    ],
    [
      'a write conflict',
      'Conflict',
      'Deployment a/b changed while being written: the object has been modified; retrying',
      false,
    ],
    ['anything else', 'Other', 'Deployment a/b: HTTP 418', false],
  ])('%s → terminal %s', (_what, reason, message, terminal) => {
    expect(isTerminal(new SyncFailure(message, reason))).toBe(terminal);
  });
});

describe('failsAction', () => {
  it.each<[FailureReason, boolean]>([
    ['Invalid', true],
    ['Forbidden', true],
    ['NameClash', true],
    ['QuotaExceeded', true],
    ['Terminating', false],
    ['Unavailable', false],
    ['Conflict', false],
    ['Other', false],
  ])('%s → ends the action %s', (reason, fails) => {
    expect(failsAction({ reason })).toBe(fails);
  });
});
