import { describe, expect, it } from 'vitest';
import { CreateAppInput } from './app.ts';
import { UserId } from './common.ts';
import { issueReason, plainReason } from './plain-words.ts';

const projectId = 'proj_0123456789abcdefghij';

describe('issueReason', () => {
  it('gives the reason inside a record key issue, not "Invalid key in record"', () => {
    const issue = CreateAppInput.safeParse({
      projectId,
      name: 'api',
      image: 'nginx',
      port: 80,
      env: { '1BAD': 'x' },
    }).error?.issues.find((i) => i.path[0] === 'env');
    expect(issue?.path).toEqual(['env', '1BAD']);
    expect(issueReason(issue!)).toBe(
      'environment variable names are letters, digits and "_", not starting with a digit',
    );
  });

  it('says a missing number is required', () => {
    const issue = CreateAppInput.safeParse({ projectId, name: 'api', image: 'nginx' }).error?.issues.find(
      (i) => i.path[0] === 'port',
    );
    expect(issueReason(issue!)).toBe('is required');
  });

  it('asks to choose when an id is empty, with one reason only', () => {
    const issues = UserId.safeParse('').error?.issues ?? [];
    expect(issues.map(issueReason)).toEqual(['is required: choose a user']);
  });
});

describe('plainReason', () => {
  it.each([
    ['Invalid key in record', 'has a name that is not allowed'],
    ['Invalid input: expected number, received NaN', 'must be a number'],
    ['Too small: expected string to have >=1 characters', 'is required'],
    ['must be at least 1 GiB', 'must be at least 1 GiB'],
  ])('%s → %s', (raw, plain) => expect(plainReason(raw)).toBe(plain));
});
