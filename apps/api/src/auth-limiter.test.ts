import { describe, expect, it } from 'vitest';
import { createAuthLimiter } from './auth-limiter.ts';

const clock = () => {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

describe('the failed-authentication limiter', () => {
  it('lets an address fail `burst` times, then refuses it until a token refills', () => {
    const time = clock();
    const limiter = createAuthLimiter({ burst: 3, perMinute: 6, now: time.now });
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter('10.0.0.1')).toBe(0);
      limiter.failed('10.0.0.1');
    }
    // Six a minute: one every 10 s.
    expect(limiter.retryAfter('10.0.0.1')).toBe(10);
    time.advance(4_000);
    expect(limiter.retryAfter('10.0.0.1')).toBe(6);
    time.advance(6_000);
    expect(limiter.retryAfter('10.0.0.1')).toBe(0);
    limiter.failed('10.0.0.1');
    expect(limiter.retryAfter('10.0.0.1')).toBe(10);
  });

  it('counts each address on its own', () => {
    const limiter = createAuthLimiter({ burst: 1, perMinute: 1 });
    limiter.failed('10.0.0.1');
    expect(limiter.retryAfter('10.0.0.1')).toBeGreaterThan(0);
    expect(limiter.retryAfter('10.0.0.2')).toBe(0);
  });

  it('remembers a bounded number of addresses, forgetting refilled ones first', () => {
    const time = clock();
    const limiter = createAuthLimiter({ burst: 2, perMinute: 60, maxAddresses: 100, now: time.now });
    limiter.failed('old');
    limiter.failed('old');
    time.advance(10_000);
    for (let i = 0; i < 10_000; i++) limiter.failed(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.size()).toBeLessThanOrEqual(100);
    // The most recent offenders are still counted.
    limiter.failed('10.0.39.15');
    expect(limiter.retryAfter('10.0.39.15')).toBeGreaterThan(0);
  });
});
