import { TRPCError } from '@trpc/server';
import { badRequest, DomainError, trpcCodeFor } from '@uncloud/sdk';
import { type RestBinding, type RestOperation, bindingFor, queryType } from '@uncloud/sdk/contract';

/** A refusal of the REST layer itself, in the transport form the procedures' refusals take. */
export const refusal = (error: DomainError) =>
  new TRPCError({ code: trpcCodeFor[error.code], message: error.message, cause: error });

/**
 * A query parameter's text as the input's field expects it: `?limit=20` is the number 20 and
 * `?flag=true` a boolean, as a JSON body would carry them. Text that is not one stays text, for the
 * procedure's schema to refuse with the field's name.
 */
const fromQuery = (text: string, type: ReturnType<typeof queryType>): unknown => {
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
};

const queryInput = (url: URL, binding: RestBinding) => {
  const input: Record<string, unknown> = {};
  for (const [name, text] of url.searchParams) {
    if (name in input) continue;
    const schema = binding.input.properties[name];
    input[name] = schema ? fromQuery(text, queryType(schema)) : text;
  }
  return input;
};

const isJson = (contentType: string | undefined) =>
  /^application\/([\w.+-]*\+)?json\s*(;|$)/i.test(contentType ?? '');

const bodyInput = async (request: Request): Promise<Record<string, unknown>> => {
  const text = await request.text();
  if (text.trim() === '') return {};
  if (!isJson(request.headers.get('content-type') ?? undefined))
    throw refusal(
      new DomainError(
        'UNSUPPORTED_MEDIA_TYPE',
        'Send the body as JSON with "Content-Type: application/json"',
      ),
    );
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    // The error formatter words a body that does not parse, as it does for tRPC calls.
    throw new TRPCError({ code: 'BAD_REQUEST', cause: error as SyntaxError });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw refusal(badRequest('The request body must be a JSON object of the fields to send', '(input)'));
  return body as Record<string, unknown>;
};

export interface RestCall {
  binding: RestBinding;
  input: Record<string, unknown>;
}

/**
 * What a request asks of an operation: the procedure (on an actions path, the body's `type`
 * chooses it) and its input, from the path parameters (which win over a field of the same name),
 * then the query string (GET, DELETE) or the JSON body (POST, PATCH).
 */
export const readCall = async (
  operation: RestOperation,
  request: Request,
  params: Record<string, string>,
): Promise<RestCall> => {
  const pathInput = Object.fromEntries(operation.pathParams.map((name) => [name, params[name]]));
  if (operation.inputFrom === 'query') {
    const binding = operation.bindings[0]!;
    return { binding, input: { ...queryInput(new URL(request.url), binding), ...pathInput } };
  }
  const body = await bodyInput(request);
  const { type, ...fields } = body;
  const binding = bindingFor(operation, type);
  if (!binding) {
    const types = operation.bindings.map((b) => `"${b.action}"`).join(', ');
    throw refusal(
      badRequest(
        type === undefined
          ? `Say which action to start with "type": one of ${types}`
          : `There is no action "${String(type)}" here; "type" must be one of ${types}`,
        'type',
      ),
    );
  }
  // Outside an actions path `type` is an ordinary field.
  return { binding, input: { ...(binding.action ? fields : body), ...pathInput } };
};
