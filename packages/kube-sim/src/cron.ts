// Cron schedules, as the CronJob controller and CloudNativePG's ScheduledBackup read them: five
// fields (CronJob) or six with the seconds first (CloudNativePG), in a time zone (UTC unless said).
import { CronExpressionParser } from 'cron-parser';

/** The first time the schedule fires after `from` (ms); throws with the parser's words when invalid. */
export const nextRun = (schedule: string, from: number, tz = 'UTC'): number =>
  CronExpressionParser.parse(schedule, { currentDate: new Date(from), tz })
    .next()
    .getTime();

/**
 * The latest time the schedule fired in (`from`, `now`], the one a controller that missed several
 * starts runs (as the CronJob controller does), or undefined when none is due.
 */
export const latestRunBetween = (
  schedule: string,
  from: number,
  now: number,
  tz = 'UTC',
): number | undefined => {
  let at = nextRun(schedule, from, tz);
  if (at > now) return undefined;
  // A schedule missed many times (a long pause) jumps ahead instead of stepping through each start.
  for (let next = nextRun(schedule, at, tz), steps = 0; next <= now && steps < 10_000; steps++) {
    at = next;
    next = nextRun(schedule, at, tz);
  }
  return at;
};
