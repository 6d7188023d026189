/** States a resource passes through on its own; while a row is in one, its list refreshes. */
export const transitionalStates = ['pending', 'provisioning', 'starting', 'stopping', 'deleting'] as const;

export const isTransitional = (state: string) => (transitionalStates as readonly string[]).includes(state);

/** How often lists refresh while something is changing. */
export const POLL_MS = 2000;

/** A `refetchInterval` for list queries: every 2 s while any row is in a transitional state. */
export const pollWhileTransitional = (query: {
  state: { data?: { items: ReadonlyArray<{ state?: string }> } };
}) =>
  query.state.data?.items.some((item) => item.state !== undefined && isTransitional(item.state))
    ? POLL_MS
    : false;
