import { UncloudError } from '@uncloud/sdk';
import { describe, expect, it } from 'vitest';
import { CliError, describeFailure, exitCodes } from './errors.ts';

describe('describeFailure', () => {
  it.each([
    ['BAD_REQUEST', exitCodes.usage],
    ['NOT_FOUND', exitCodes.notFound],
    ['CONFLICT', exitCodes.conflict],
    ['QUOTA_EXCEEDED', exitCodes.quota],
    ['UNAUTHORIZED', exitCodes.unauthorized],
    ['FORBIDDEN', exitCodes.unauthorized],
    ['UNAVAILABLE', exitCodes.unavailable],
    ['NETWORK_ERROR', exitCodes.unavailable],
    ['TIMEOUT', exitCodes.unavailable],
    ['INTERNAL_SERVER_ERROR', exitCodes.failure],
    ['ACTION_ERRORED', exitCodes.failure],
  ] as const)('exits %s with %i', (code, exitCode) => {
    expect(describeFailure(new UncloudError(code, 'went wrong')).exitCode).toBe(exitCode);
  });

  it('gives distinct codes to usage, not found, conflict, quota, auth and unavailability', () => {
    const codes = [
      exitCodes.usage,
      exitCodes.notFound,
      exitCodes.conflict,
      exitCodes.quota,
      exitCodes.unauthorized,
      exitCodes.unavailable,
    ];
    expect(new Set([...codes, exitCodes.ok, exitCodes.failure]).size).toBe(codes.length + 2);
  });

  it('names invalid fields by their flags, in plain words', () => {
    const error = new UncloudError('BAD_REQUEST', 'Invalid input', {
      field: 'sizeGiB',
      fieldErrors: { sizeGiB: ['Too small: expected number to be >=1'], 'inbound.0.ports': ['is not valid'] },
    });
    const failure = describeFailure(error, { flagOf: (f) => (f === 'sizeGiB' ? 'size-gib' : undefined) });
    expect(failure.message).toBe('--size-gib must be at least 1\ninbound #1 ports is not valid');
    expect(failure.exitCode).toBe(exitCodes.usage);
  });

  it('says what to do next, naming the commands that help', () => {
    expect(
      describeFailure(new UncloudError('NOT_FOUND', 'droplet dpl_x was not found'), { noun: 'droplet' }).hint,
    ).toMatch(/`uncloud droplet list`/);
    expect(describeFailure(new UncloudError('QUOTA_EXCEEDED', 'over')).hint).toMatch(/`uncloud quota get`/);
    expect(describeFailure(new UncloudError('UNAUTHORIZED', 'bad token')).hint).toMatch(
      /`uncloud auth login/,
    );
    expect(describeFailure(new UncloudError('NETWORK_ERROR', 'down'), { url: 'http://h:1' }).hint).toMatch(
      /server at http:\/\/h:1 up/,
    );
  });

  it('passes its own errors through with their code and hint, and anything else as a failure', () => {
    expect(describeFailure(new CliError('no', exitCodes.conflict, 'try again'))).toEqual({
      message: 'no',
      hint: 'try again',
      exitCode: exitCodes.conflict,
    });
    expect(describeFailure(new Error('boom'))).toEqual({ message: 'boom', hint: undefined, exitCode: 1 });
  });
});
