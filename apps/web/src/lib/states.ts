import { isTransitional } from '@uncloud/sdk';

// A resource in one of the SDK's `transitionalStates` is on its way somewhere: its row refreshes.
export { isTransitional };

/** How often lists refresh while something is changing. */
export const POLL_MS = 2000;

/** A `refetchInterval` for list queries: every 2 s while any row is in a transitional state. */
export const pollWhileTransitional = (query: {
  state: { data?: { items: ReadonlyArray<{ state?: string }> } };
}) =>
  query.state.data?.items.some((item) => item.state !== undefined && isTransitional(item.state))
    ? POLL_MS
    : false;
