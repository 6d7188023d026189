import type { FailureReason } from './converge.ts';

/** Reasons that retrying the same intent cannot fix; `describeFailure` is the one place that assigns them. */
const terminalReasons: ReadonlySet<FailureReason> = new Set(['Invalid', 'Forbidden', 'NameClash']);

/**
 * Whether retrying the same intent cannot succeed (controller-runtime's `TerminalError`): Kubernetes
 * rejected an object as invalid, refused it for a reason other than a quota or a terminating
 * namespace (those have reasons of their own), or an object we do not manage holds the name. The
 * resource then waits for its intent to change instead of backing off forever, and an action on it
 * fails instead of waiting.
 */
export const isTerminal = (failure: { reason: FailureReason }): boolean =>
  terminalReasons.has(failure.reason);

/**
 * Whether a failure ends an action in progress: a terminal one, and also an exceeded quota, which
 * the resource waits out but an action, answered to a person who is watching, reports at once.
 */
export const failsAction = (failure: { reason: FailureReason }): boolean =>
  isTerminal(failure) || failure.reason === 'QuotaExceeded';
