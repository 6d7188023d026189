import type { HealthCheck, TargetHealth } from '@uncloud/sdk';

/** What one check of a target found: whether it passed, and what it saw, in a sentence. */
export interface ProbeResult {
  ok: boolean;
  reason: string;
  /**
   * The check got no answer at all (timed out, no route): the target or the checker's own network
   * may be at fault. A refused connection or an HTTP error is an answer, and is not this.
   */
  network?: boolean;
}

/**
 * A target's health after one more check, as DigitalOcean's load balancers judge it: the first
 * check decides (a new target takes traffic as soon as it answers, and none before); after that it
 * takes `unhealthyThreshold` failures in a row to take a healthy target out, and `healthyThreshold`
 * successes in a row to put an unhealthy one back. The reason is always the last check's.
 */
export const judge = (
  previous: TargetHealth | undefined,
  result: ProbeResult,
  check: Pick<HealthCheck, 'healthyThreshold' | 'unhealthyThreshold'>,
  at: Date,
): TargetHealth => {
  const first = {
    healthy: result.ok,
    reason: result.reason,
    since: at.toISOString(),
    streak: 1,
    lastOk: result.ok,
  };
  if (!previous) return first;
  const streak = previous.lastOk === result.ok ? previous.streak + 1 : 1;
  const threshold = result.ok ? check.healthyThreshold : check.unhealthyThreshold;
  const healthy = previous.healthy === result.ok || streak < threshold ? previous.healthy : result.ok;
  const since =
    healthy === previous.healthy && result.reason === previous.reason ? previous.since : first.since;
  return { healthy, reason: result.reason, since, streak, lastOk: result.ok };
};

/** Whether a new judgement changes what the cluster or a user is shown (not only the clock). */
export const changesHealth = (before: TargetHealth | undefined, after: TargetHealth) =>
  before?.healthy !== after.healthy || before.reason !== after.reason;
