// metav1.Status errors with the real API server's reasons, codes and wording.
import { qualifiedResource, type ResourceType } from './types.ts';

export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  /** A list's metadata: an expired continue token's answer carries a fresh token. */
  metadata: { continue?: string };
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

export class SimError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details: StatusDetails | undefined;
  readonly headers: Record<string, string>;
  /** Set on the Status body's metadata (the fresh continue token of a 410 for an expired one). */
  continueToken: string | undefined;

  constructor(
    code: number,
    reason: string,
    message: string,
    details?: StatusDetails,
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
    this.headers = headers;
  }

  toStatus(): StatusBody {
    const body = statusBody(this.code, this.reason, this.message, this.details);
    if (this.continueToken) body.metadata = { continue: this.continueToken };
    return body;
  }
}

export function statusBody(
  code: number,
  reason: string,
  message: string,
  details?: StatusDetails,
): StatusBody {
  const body: StatusBody = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
  // Some failures carry no reason (server-side apply's typed-patch errors, a 500).
  if (!reason) delete (body as { reason?: string }).reason;
  if (details) body.details = details;
  return body;
}

type Res = Pick<ResourceType, 'group' | 'plural'>;

function detail(type: Res, name: string): StatusDetails {
  return { name, group: type.group, kind: type.plural };
}

export function notFound(type: Res, name: string): SimError {
  return new SimError(404, 'NotFound', `${qualifiedResource(type)} "${name}" not found`, detail(type, name));
}

export function alreadyExists(type: Res, name: string): SimError {
  return new SimError(
    409,
    'AlreadyExists',
    `${qualifiedResource(type)} "${name}" already exists`,
    detail(type, name),
  );
}

export function conflict(
  type: Res,
  name: string,
  why = 'the object has been modified; please apply your changes to the latest version and try again',
): SimError {
  return new SimError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(type)} "${name}": ${why}`,
    detail(type, name),
  );
}

export function invalid(
  type: Pick<ResourceType, 'group' | 'kind'>,
  name: string,
  causes: StatusCause[],
): SimError {
  const list = causes.map((c) => `${c.field}: ${c.message}`);
  const joined = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  return new SimError(
    422,
    'Invalid',
    `${type.kind}${type.group ? `.${type.group}` : ''} "${name}" is invalid: ${joined}`,
    {
      name,
      group: type.group,
      kind: type.kind,
      causes: causes.map((c) => ({
        reason: c.reason ?? 'FieldValueInvalid',
        message: `${c.message}`,
        field: c.field ?? '',
      })),
    },
  );
}

export function forbidden(type: Res, name: string, why: string): SimError {
  const what = name ? `${qualifiedResource(type)} "${name}"` : qualifiedResource(type);
  return new SimError(403, 'Forbidden', `${what} is forbidden: ${why}`, detail(type, name));
}

export function badRequest(message: string): SimError {
  return new SimError(400, 'BadRequest', message);
}

export function gone(
  message = 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
): SimError {
  return new SimError(410, 'Expired', message);
}

export function methodNotAllowed(
  message = 'the server does not allow this method on the requested resource',
): SimError {
  return new SimError(405, 'MethodNotAllowed', message);
}

export function unsupportedMediaType(contentType: string): SimError {
  return new SimError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got ${contentType})`,
  );
}

export function unauthorized(): SimError {
  return new SimError(401, 'Unauthorized', 'Unauthorized');
}

export function notFoundPath(): SimError {
  return new SimError(404, 'NotFound', 'the server could not find the requested resource');
}
