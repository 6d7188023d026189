import type { TargetHealth } from '@uncloud/sdk';
import { describe, expect, it } from 'vitest';
import { judge } from './judge.ts';

const check = { healthyThreshold: 2, unhealthyThreshold: 3 };
const pass = { ok: true, reason: 'HTTP 200 from /' };
const fail = { ok: false, reason: 'connection refused on port 80' };
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

/** The health after each of a run of checks. */
const run = (results: boolean[], from?: TargetHealth) => {
  let health = from;
  return results.map((ok, i) => (health = judge(health, ok ? pass : fail, check, at(i))).healthy);
};

describe('judge', () => {
  it.each([
    ['a first pass makes a new target healthy at once', [true], [true]],
    ['a first failure makes it unhealthy at once', [false], [false]],
    [
      'a healthy target stays in until the unhealthy threshold',
      [true, false, false, false],
      [true, true, true, false],
    ],
    [
      'a success in between starts the count again',
      [true, false, false, true, false, false],
      [true, true, true, true, true, true],
    ],
    ['an unhealthy one comes back at the healthy threshold', [false, true, true], [false, false, true]],
  ])('%s', (_name, results, expected) => {
    expect(run(results)).toEqual(expected);
  });

  it('says what the last check found, and since when the health is as it is', () => {
    let health = judge(undefined, pass, check, at(0));
    health = judge(health, pass, check, at(10));
    expect(health).toMatchObject({ healthy: true, reason: 'HTTP 200 from /', since: at(0).toISOString() });
    health = judge(health, fail, check, at(20));
    expect(health).toMatchObject({
      healthy: true,
      reason: 'connection refused on port 80',
      since: at(20).toISOString(),
    });
  });
});
