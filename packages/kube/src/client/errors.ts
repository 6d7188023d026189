/**
 * What can go wrong talking to Kubernetes, in the terms the sync engine acts on. Raw API errors
 * never leave the gateway.
 */
export type KubeErrorKind =
  'NotFound' | 'Conflict' | 'Invalid' | 'Forbidden' | 'Gone' | 'Unavailable' | 'Other';

export class KubeError extends Error {
  constructor(
    readonly kind: KubeErrorKind,
    message: string,
    /** HTTP status, when the server answered. */
    readonly status?: number,
    /** The Kubernetes `Status.reason` (AlreadyExists, Conflict, Invalid, …). */
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'KubeError';
  }
}

export const isKubeError = (error: unknown, kind?: KubeErrorKind): error is KubeError =>
  error instanceof KubeError && (kind === undefined || error.kind === kind);

/** Maps an HTTP answer (status and `Status` body) to a gateway error. */
export const kubeErrorFromResponse = (status: number, body: unknown, what: string): KubeError => {
  const s = (body ?? {}) as { message?: string; reason?: string };
  const message = `${what}: ${s.message ?? `HTTP ${status}`}`;
  const kind: KubeErrorKind =
    status === 404
      ? 'NotFound'
      : status === 409
        ? 'Conflict'
        : status === 422 || status === 400
          ? 'Invalid'
          : status === 401 || status === 403
            ? 'Forbidden'
            : status === 410
              ? 'Gone'
              : status === 429 || status >= 500
                ? 'Unavailable'
                : 'Other';
  return new KubeError(kind, message, status, s.reason);
};
