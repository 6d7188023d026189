import { fieldWords, isUncloudError, plainReason, type UncloudErrorCode } from '@uncloud/sdk';

/**
 * Exit codes, so that scripts can tell failures apart without reading messages (README, "Exit
 * codes"). Everything not listed exits 1.
 */
export const exitCodes = {
  ok: 0,
  failure: 1,
  usage: 2,
  notFound: 3,
  conflict: 4,
  quota: 5,
  unauthorized: 6,
  unavailable: 7,
  interrupted: 130,
} as const;
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

const exitCodeOf: Partial<Record<UncloudErrorCode, ExitCode>> = {
  BAD_REQUEST: exitCodes.usage,
  PAYLOAD_TOO_LARGE: exitCodes.usage,
  NOT_FOUND: exitCodes.notFound,
  CONFLICT: exitCodes.conflict,
  QUOTA_EXCEEDED: exitCodes.quota,
  UNAUTHORIZED: exitCodes.unauthorized,
  FORBIDDEN: exitCodes.unauthorized,
  UNAVAILABLE: exitCodes.unavailable,
  TOO_MANY_REQUESTS: exitCodes.unavailable,
  NETWORK_ERROR: exitCodes.unavailable,
  TIMEOUT: exitCodes.unavailable,
  ABORTED: exitCodes.interrupted,
};

/** A failure the CLI itself names: what went wrong, what to do about it, and how to exit. */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;

  constructor(message: string, exitCode: ExitCode, hint?: string) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

export const usageError = (message: string, hint?: string) => new CliError(message, exitCodes.usage, hint);

/** Where the error happened, so that advice can name the right commands. */
export interface ErrorContext {
  /** The command's resource noun (`droplet`), when there is one. */
  noun?: string | undefined;
  /** The server the CLI talked to. */
  url?: string | undefined;
  /** Flag names by input field, to name `--size` rather than `size`. */
  flagOf?: (field: string) => string | undefined;
}

const adviceFor = (code: UncloudErrorCode, where: ErrorContext, field?: string): string | undefined => {
  const flag = field ? where.flagOf?.(field) : undefined;
  const list = where.noun ? `\`uncloud ${where.noun} list\`` : 'the list command';
  switch (code) {
    case 'NOT_FOUND':
      return `Check the name or id with ${list}, and the project with \`uncloud project list\` (or --project).`;
    case 'CONFLICT':
      if (flag) return `Choose another --${flag}, or change or delete what already has it (${list}).`;
      return `It clashes with something that exists or is still running: pick another name, or wait for the running action (\`uncloud action list\`) and try again.`;
    case 'QUOTA_EXCEEDED':
      return 'See the limits with `uncloud quota get`; delete what you no longer need, or ask an administrator to raise the quota (`uncloud quota update`).';
    case 'UNAUTHORIZED':
      return 'Sign in again with `uncloud auth login --url <url> --token <token>` (or set UNCLOUD_TOKEN).';
    case 'FORBIDDEN':
      return 'Your token or role does not allow this: ask a project owner or an administrator, or sign in with another token (`uncloud auth login`).';
    case 'UNAVAILABLE':
    case 'NETWORK_ERROR':
    case 'TIMEOUT':
      return `Is the server${where.url ? ` at ${where.url}` : ''} up? Check with \`uncloud auth status\`, then try again.`;
    case 'TOO_MANY_REQUESTS':
      return 'Slow down and try again in a moment.';
    case 'ACTION_ERRORED':
      return 'See what happened with `uncloud action get <id>`; fix the cause and run the command again.';
    default:
      return undefined;
  }
};

/** The words and exit code for any failure: ours, the API's (with its code and field), or a bug. */
export const describeFailure = (
  error: unknown,
  where: ErrorContext = {},
): { message: string; hint: string | undefined; exitCode: ExitCode } => {
  if (error instanceof CliError)
    return { message: error.message, hint: error.hint, exitCode: error.exitCode };
  if (isUncloudError(error)) {
    const fields = Object.entries(error.fieldErrors);
    const named = (field: string) => {
      const flag = where.flagOf?.(field);
      return flag ? `--${flag}` : fieldWords(field);
    };
    const message =
      fields.length > 0
        ? fields
            .map(([field, reasons]) => `${named(field)} ${reasons.map(plainReason).join('; ')}`)
            .join('\n')
        : error.field && where.flagOf?.(error.field)
          ? `${error.message} (--${where.flagOf(error.field)})`
          : error.message;
    return {
      message,
      hint: adviceFor(error.code, where, error.field),
      exitCode: exitCodeOf[error.code] ?? exitCodes.failure,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { message, hint: undefined, exitCode: exitCodes.failure };
};
