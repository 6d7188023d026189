/** An HTTP answer that is not from the tRPC API: a proxy's error page, a wrong URL, … */
export class NotAnApiResponse extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status} with no JSON body`);
    this.name = 'NotAnApiResponse';
  }
}

/**
 * The fetch the client sends its requests through: bounded by `timeoutMs` on top of the caller's
 * own signal, and refusing answers that are not JSON, which tRPC would only report as a parse error.
 */
export const transportFetch =
  (fetchImpl: () => typeof globalThis.fetch, timeoutMs: number): typeof globalThis.fetch =>
  async (input, init) => {
    let signal = init?.signal ?? undefined;
    if (Number.isFinite(timeoutMs)) {
      const timeout = AbortSignal.timeout(timeoutMs);
      signal = signal ? AbortSignal.any([signal, timeout]) : timeout;
    }
    const response = await fetchImpl()(input, { ...init, signal });
    if (!response.headers.get('content-type')?.includes('json')) throw new NotAnApiResponse(response.status);
    return response;
  };
