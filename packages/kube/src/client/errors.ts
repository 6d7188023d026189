/**
 * What can go wrong talking to Kubernetes, in the terms the sync engine acts on. Raw API errors
 * never leave the gateway, and neither do REST paths: a `KubeError` says in words what the gateway
 * tried (verb, kind, name, namespace) and what the API server answered.
 */
export type KubeErrorKind =
  'NotFound' | 'Conflict' | 'Invalid' | 'Forbidden' | 'Gone' | 'Unavailable' | 'Other';

/** What the gateway was doing: the Kubernetes verbs it uses, and the subresources it calls. */
export type KubeVerb =
  | 'get'
  | 'list'
  | 'watch'
  | 'create'
  | 'update'
  | 'apply'
  | 'delete'
  | 'scale'
  | 'restart'
  // A VirtualMachineInstance's serial console (a WebSocket).
  | 'console'
  | 'vnc'
  // A pod's container log (the pods/log subresource).
  | 'log'
  // An HTTP request to a pod's port through the API server (the pods/proxy subresource).
  | 'proxy';

/** The object (or, for a list, the kind) a call was about. */
export interface KubeTarget {
  kind: string;
  name?: string;
  namespace?: string;
}

/** A field the API server refused (`Status.details.causes`). */
export interface KubeCause {
  field?: string;
  message: string;
}

export interface KubeErrorContext {
  verb?: KubeVerb;
  target?: KubeTarget;
  /** What went wrong in the API server's words (without any REST path); defaults to the message. */
  detail?: string;
  causes?: KubeCause[];
}

const VERB_WORDS: Record<KubeVerb, string> = {
  get: 'read',
  list: 'list',
  watch: 'watch',
  create: 'create',
  update: 'update',
  apply: 'apply',
  delete: 'delete',
  scale: 'scale',
  restart: 'restart',
  console: 'open the console of',
  vnc: 'open the screen of',
  log: 'read the log of',
  proxy: 'reach through the API server',
};

/** "VirtualMachine web-1 in namespace uc-proj-…", or "Deployment objects" for a list. */
export const describeTarget = (target: KubeTarget): string =>
  `${target.kind}${target.name ? ` ${target.name}` : ' objects'}${target.namespace ? ` in namespace ${target.namespace}` : ''}`;

export class KubeError extends Error {
  readonly verb?: KubeVerb;
  /** The Kubernetes kind the call was about (`VirtualMachine`), not to be confused with `kind`. */
  readonly objectKind?: string;
  readonly objectName?: string;
  readonly namespace?: string;
  /** What went wrong, in the API server's words (no REST path). */
  readonly detail: string;
  /** The fields the API server refused, when it named them (Invalid). */
  readonly causes: KubeCause[];

  constructor(
    readonly kind: KubeErrorKind,
    message: string,
    /** HTTP status, when the server answered. */
    readonly status?: number,
    /** The Kubernetes `Status.reason` (AlreadyExists, Conflict, Invalid, …). */
    readonly reason?: string,
    context: KubeErrorContext = {},
  ) {
    super(message);
    this.name = 'KubeError';
    this.verb = context.verb;
    this.objectKind = context.target?.kind;
    this.objectName = context.target?.name;
    this.namespace = context.target?.namespace;
    this.detail = context.detail ?? message;
    this.causes = context.causes ?? [];
  }
}

export const isKubeError = (error: unknown, kind?: KubeErrorKind): error is KubeError =>
  error instanceof KubeError && (kind === undefined || error.kind === kind);

/**
 * Takes REST paths out of a text meant for people. Kubernetes' own messages rarely hold one, but a
 * proxy's error page or an aggregated API's answer may.
 */
export const withoutRestPaths = (text: string): string =>
  text.replace(/\/apis?\/[^\s"'`,;)]*/g, 'the Kubernetes API');

/** A gateway error for a call that failed: "could not update VirtualMachine web-1 in …: <detail>". */
export const kubeError = (
  kind: KubeErrorKind,
  verb: KubeVerb,
  target: KubeTarget,
  detail: string,
  extra: { status?: number; reason?: string; causes?: KubeCause[] } = {},
): KubeError => {
  const clean = withoutRestPaths(detail);
  return new KubeError(
    kind,
    `could not ${VERB_WORDS[verb]} ${describeTarget(target)}: ${clean}`,
    extra.status,
    extra.reason,
    {
      verb,
      target,
      detail: clean,
      causes: (extra.causes ?? []).map((c) => ({ ...c, message: withoutRestPaths(c.message) })),
    },
  );
};

const kindOfStatus = (status: number): KubeErrorKind =>
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

/**
 * A server-side apply whose body does not fit the kind's schema (a field the kind does not have):
 * kube-apiserver answers 500 `failed to create typed patch object … field not declared in schema`
 * whatever `fieldValidation` says. It is the object that is wrong, not the server, so retrying
 * cannot help: Invalid, not Unavailable.
 */
const isUntypablePatch = (status: number, message: string | undefined) =>
  status === 500 && /^failed to create typed patch object\b/.test(message ?? '');

/** Maps an HTTP answer (status and `Status` body) of a call to a gateway error. */
export const kubeErrorFromResponse = (
  status: number,
  body: unknown,
  verb: KubeVerb,
  target: KubeTarget,
): KubeError => {
  const s = (body ?? {}) as {
    message?: string;
    reason?: string;
    details?: { causes?: { field?: string; message?: string; reason?: string }[] };
  };
  const causes = (s.details?.causes ?? []).map((c) => ({
    ...(c.field ? { field: c.field } : {}),
    message: c.message ?? c.reason ?? 'invalid',
  }));
  return kubeError(
    isUntypablePatch(status, s.message) ? 'Invalid' : kindOfStatus(status),
    verb,
    target,
    s.message || `the API server answered HTTP ${status}`,
    {
      status,
      ...(s.reason ? { reason: s.reason } : {}),
      causes,
    },
  );
};
