import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { z } from 'zod';
import { type ErrorCode, trpcCodeFor } from '../schemas/errors.ts';
import { type JsonSchema, type RestBinding, type RestOperation, restOperations } from './rest-operations.ts';
import { RestError, restOutputs } from './rest-routes.ts';

/** The OpenAPI 3.1 document of the REST surface, built from the route table and the zod schemas. */
export type OpenApiDocument = Record<string, unknown> & {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonSchema> } & Record<string, unknown>;
};

export interface OpenApiOperation {
  operationId: string;
  tags: string[];
  summary: string;
  [key: string]: unknown;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const pascal = (procedure: string) =>
  procedure
    .split('.')
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');

/** Component name of a procedure's request body. */
export const bodyComponent = (binding: RestBinding) =>
  `${pascal(binding.procedure)}${binding.action ? 'Action' : 'Body'}`;

/** Every response schema, with references between them (a page refers to its item). */
const outputComponents = (): Record<string, JsonSchema> => {
  const registry = z.registry<{ id: string }>();
  for (const [name, schema] of Object.entries({ ...restOutputs, Error: RestError }))
    registry.add(schema, { id: name });
  const { schemas } = z.toJSONSchema(registry, {
    io: 'output',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([name, { $schema: _dialect, $id: _id, ...schema }]) => [
      name,
      schema as JsonSchema,
    ]),
  );
};

const subschemaLists = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
const subschemas = ['items', 'additionalProperties', 'not'];

/**
 * A body schema with each `default` said in words (in `description`) rather than as a keyword:
 * client generators (openapi-typescript among them) read `default` as "always present", and would
 * make callers send every such field.
 */
const defaultsInWords = (schema: JsonSchema): JsonSchema => {
  const { default: value, ...rest } = schema;
  const out: JsonSchema = { ...rest };
  if (value !== undefined)
    out.description = [rest.description, `Default: ${JSON.stringify(value)}.`].filter(Boolean).join(' ');
  if (rest.properties)
    out.properties = Object.fromEntries(
      Object.entries(rest.properties).map(([name, inner]) => [name, defaultsInWords(inner)]),
    );
  for (const key of subschemaLists)
    if (Array.isArray(rest[key])) out[key] = (rest[key] as JsonSchema[]).map(defaultsInWords);
  for (const key of subschemas)
    if (typeof rest[key] === 'object' && rest[key] !== null)
      out[key] = defaultsInWords(rest[key] as JsonSchema);
  return out;
};

/** The body fields of a binding's input: all but the path parameters; with `type` on an action. */
const bodySchema = (operation: RestOperation, binding: RestBinding): JsonSchema => {
  const properties = Object.fromEntries(
    Object.entries(binding.input.properties)
      .filter(([name]) => !operation.pathParams.includes(name))
      .map(([name, schema]) => [name, defaultsInWords(schema)]),
  );
  const required = binding.input.required.filter((name) => !operation.pathParams.includes(name));
  if (!binding.action) return { type: 'object', description: binding.summary, properties, required };
  return {
    type: 'object',
    description: binding.summary,
    properties: { type: { const: binding.action }, ...properties },
    required: ['type', ...required],
  };
};

const errorStatuses: Record<string, ErrorCode> = {};
for (const code of Object.keys(trpcCodeFor) as ErrorCode[]) {
  const status = getHTTPStatusCodeFromError(new TRPCError({ code: trpcCodeFor[code] }));
  errorStatuses[String(status)] ??= code;
}

/** What each error status means here (QUOTA_EXCEEDED shares 403 with FORBIDDEN). */
const errorMeaning: Record<string, string> = {
  '400': 'Invalid input (`BAD_REQUEST`): `field` names the first bad field, `fieldErrors` every one',
  '401': 'No valid token (`UNAUTHORIZED`): send `Authorization: Bearer <token>`',
  '403': "Not allowed (`FORBIDDEN`), or over the project's quota (`QUOTA_EXCEEDED`)",
  '404': 'No such resource, or one the token may not see (`NOT_FOUND`)',
  '405': 'This path does not take this method (`METHOD_NOT_SUPPORTED`)',
  '409': 'In conflict with the current state (`CONFLICT`), e.g. a name in use',
  '413': "The request body is over the server's limit (`PAYLOAD_TOO_LARGE`)",
  '415': 'The body is not JSON (`UNSUPPORTED_MEDIA_TYPE`)',
  '429': 'Too many failed sign-ins or open streams (`TOO_MANY_REQUESTS`); see `Retry-After`',
  '500': 'The server failed (`INTERNAL_SERVER_ERROR`); the request id finds it in the server log',
  '503': 'The cluster or database is briefly out of reach (`UNAVAILABLE`); retry after `Retry-After`',
};

const errorResponses = () =>
  Object.fromEntries(
    Object.keys(errorStatuses).map((status) => [
      `Error${status}`,
      {
        description: errorMeaning[status] ?? errorStatuses[status]!,
        content: { 'application/json': { schema: ref('Error') } },
      },
    ]),
  );

const errorsOf = (operation: RestOperation) => {
  const statuses = ['400', '401', '403', '404', '429', '500', '503'];
  if (operation.method !== 'get') statuses.push('409');
  if (operation.inputFrom === 'body') statuses.push('413', '415');
  return Object.fromEntries(
    statuses
      .filter((status) => status in errorStatuses)
      .map((status) => [status, { $ref: `#/components/responses/Error${status}` }]),
  );
};

const parametersOf = (operation: RestOperation) => {
  const { input } = operation.bindings[0]!;
  const path = operation.pathParams.map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: input.properties[name] ?? { type: 'string' },
  }));
  if (operation.inputFrom !== 'query') return path;
  const query = Object.entries(input.properties)
    .filter(([name]) => !operation.pathParams.includes(name))
    .map(([name, schema]) => ({ name, in: 'query', required: input.required.includes(name), schema }));
  return [...path, ...query];
};

const successOf = (operation: RestOperation) => {
  if (operation.stream)
    return {
      description: `Server-sent events; each event's \`data\` is a ${operation.output} (JSON), its \`id\` what to send back as \`Last-Event-ID\``,
      content: { 'text/event-stream': { schema: { type: 'string' } } },
      'x-event-data': ref(operation.output!),
    };
  if (operation.output === null) return { description: 'Done; no content' };
  return {
    description: operation.status === 202 ? 'Accepted: the change is under way' : 'OK',
    content: { 'application/json': { schema: ref(operation.output) } },
  };
};

const operationOf = (operation: RestOperation): OpenApiOperation => {
  const body =
    operation.inputFrom === 'body'
      ? {
          requestBody: {
            required:
              operation.bindings.some((b) => b.action) ||
              operation.bindings[0]!.input.required.some((name) => !operation.pathParams.includes(name)),
            content: {
              'application/json': {
                schema:
                  operation.bindings.length > 1
                    ? {
                        oneOf: operation.bindings.map((b) => ref(bodyComponent(b))),
                        discriminator: {
                          propertyName: 'type',
                          mapping: Object.fromEntries(
                            operation.bindings.map((b) => [
                              b.action,
                              `#/components/schemas/${bodyComponent(b)}`,
                            ]),
                          ),
                        },
                      }
                    : ref(bodyComponent(operation.bindings[0]!)),
              },
            },
          },
        }
      : {};
  return {
    operationId: operation.operationId,
    tags: [operation.tag],
    summary: operation.summary,
    parameters: parametersOf(operation),
    ...body,
    responses: { [String(operation.status)]: successOf(operation), ...errorsOf(operation) },
    ...(operation.bindings.length > 1
      ? { 'x-procedures': Object.fromEntries(operation.bindings.map((b) => [b.action, b.procedure])) }
      : { 'x-procedure': operation.bindings[0]!.procedure }),
  };
};

const description = `The Uncloud API as resources and verbs. Every operation is also a tRPC procedure (named in
\`x-procedure\`), with the same authentication, errors, pagination and audit log. Send an API token as
\`Authorization: Bearer <token>\`. Lists take \`limit\` and \`cursor\` and answer \`{ items, nextCursor }\`: pass
\`nextCursor\` back as \`cursor\` until it is null. Errors answer \`{ code, message, field?, fieldErrors?, requestId }\`.`;

/** The whole document; `version` is the server's. */
export const createOpenApiDocument = ({ version }: { version: string }): OpenApiDocument => {
  const operations = restOperations();
  const bodies = Object.fromEntries(
    operations
      .filter((operation) => operation.inputFrom === 'body')
      .flatMap((operation) => operation.bindings.map((b) => [bodyComponent(b), bodySchema(operation, b)])),
  );
  const paths: OpenApiDocument['paths'] = {
    '/openapi.json': {
      get: {
        operationId: 'openapiDocument',
        tags: ['meta'],
        summary: 'This document (no token needed)',
        security: [],
        responses: {
          '200': {
            description: 'OpenAPI 3.1',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
        },
      },
    },
  };
  for (const operation of operations)
    (paths[operation.path] ??= {})[operation.method] = operationOf(operation);
  const tags = [...new Set(operations.map((operation) => operation.tag))].map((name) => ({ name }));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Uncloud API',
      version,
      description,
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearerAuth: [] }],
    tags: [...tags, { name: 'meta' }],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'An Uncloud API token (`uc_…`)' },
      },
      schemas: { ...outputComponents(), ...bodies },
      responses: errorResponses(),
    },
  };
};
