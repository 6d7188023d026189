import type { SyncFailure } from './converge.ts';

/** Refusals that lift without a change of intent: a quota with room again, a namespace done terminating. */
const passingRefusals = [/exceeded quota/i, /being terminated/i, /NamespaceTerminating/];

/**
 * Whether retrying the same intent cannot succeed (controller-runtime's `TerminalError`): Kubernetes
 * rejected an object as invalid, refused it for a reason other than a quota or a terminating
 * namespace, or an object we do not manage holds the name. The resource then waits for its intent
 * to change instead of backing off forever.
 */
export const isTerminal = (failure: SyncFailure): boolean => {
  if (failure.reason === 'Invalid' || failure.reason === 'NameClash') return true;
  if (failure.reason === 'Forbidden')
    return !passingRefusals.some((pattern) => pattern.test(failure.message));
  return false;
};
