import type { AnyTRPCProcedure } from '@trpc/server';
import { z } from 'zod';
import { appRouter } from './router.ts';
import {
  type HttpMethod,
  type RestOutput,
  type RestRoute,
  type StreamRoute,
  restRoutes,
  streamRoutes,
} from './rest-routes.ts';

/** The part of JSON Schema that the REST layer reads (the rest travels into the document as is). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  [keyword: string]: unknown;
}

/** An input as a JSON object: its fields, which of them are required. */
export interface ObjectSchema extends JsonSchema {
  type: 'object';
  properties: Record<string, JsonSchema>;
  required: string[];
}

/** One procedure behind an operation, and the `type` that selects it on an actions path. */
export interface RestBinding {
  procedure: string;
  action: string | null;
  /** The procedure's kind, as tRPC calls it (what the audit log records mutations by). */
  type: 'query' | 'mutation' | 'subscription';
  summary: string;
  /** The procedure's input (every input schema of its builders, merged), as the client sends it. */
  input: ObjectSchema;
}

/** One OpenAPI operation (a method on a path) and what serves it. */
export interface RestOperation {
  method: HttpMethod;
  /** Under `/api/v1`, with `{name}` path parameters. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  status: 200 | 201 | 202 | 204;
  output: RestOutput | null;
  /** A subscription: answered as `text/event-stream`. */
  stream: boolean;
  /** Where the input fields that are not path parameters come from. */
  inputFrom: 'query' | 'body';
  pathParams: string[];
  /** One binding; several on an actions path, told apart by the body's `type`. */
  bindings: RestBinding[];
}

const procedures = appRouter._def.procedures as unknown as Record<string, AnyTRPCProcedure>;

const procedureAt = (path: string): AnyTRPCProcedure => {
  const procedure = procedures[path];
  if (!procedure) throw new Error(`The REST table names ${path}, which the router does not have`);
  return procedure;
};

/** A zod schema's JSON Schema for what a client sends (defaults make fields optional). */
export const inputJsonSchema = (schema: z.ZodType): JsonSchema => {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  return json;
};

/** The procedure's input: the object every builder's `.input()` adds to, as one JSON object. */
export const procedureInput = (path: string): ObjectSchema => {
  const merged: ObjectSchema = { type: 'object', properties: {}, required: [] };
  const inputs = procedureAt(path)._def.inputs as unknown as z.ZodType[];
  for (const input of inputs) {
    const json = inputJsonSchema(input);
    Object.assign(merged.properties, json.properties ?? {});
    for (const name of json.required ?? []) if (!merged.required.includes(name)) merged.required.push(name);
  }
  return merged;
};

const scalars = ['string', 'integer', 'number', 'boolean'] as const;
export type QueryType = (typeof scalars)[number];

/**
 * How a query parameter's text is read: as this scalar type (a nullable one is read as the type),
 * or null when the field cannot travel in a query string at all.
 */
export const queryType = (schema: JsonSchema): QueryType | null => {
  const types = Array.isArray(schema.type)
    ? schema.type
    : schema.type
      ? [schema.type]
      : ((schema.anyOf as JsonSchema[] | undefined) ?? []).map((option) => option.type);
  // A union of strings (two id kinds) is still a string; `null` cannot be sent as text anyway.
  const [type, ...others] = [...new Set(types.filter((t) => t !== 'null'))];
  return others.length === 0 && scalars.includes(type as QueryType) ? (type as QueryType) : null;
};

/**
 * A procedure's binding; its input's JSON Schema is worked out when first read (a request's query
 * string, the document), not while the server starts.
 */
const bindingOf = (procedure: string, action: string | null, summary: string): RestBinding => {
  let input: ObjectSchema | undefined;
  return {
    procedure,
    action,
    type: procedureAt(procedure)._def.type,
    summary,
    get input() {
      return (input ??= procedureInput(procedure));
    },
  };
};

const paramsOf = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);

const camel = (path: string) => path.replace(/\.(\w)/g, (_, letter: string) => letter.toUpperCase());

/** `POST /projects/{projectId}/droplets/{id}/actions` → "Start an action on a droplet: power_on, …". */
const actionSummary = (operation: RestOperation) => {
  const noun = (operation.path.split('/').at(-3) ?? 'resource').replace(/s$/, '').replace(/_/g, ' ');
  const types = operation.bindings.map((b) => b.action).join(', ');
  // "an app", but "a user": the vowel sound, not the letter.
  return `Start an action on ${/^(a|e|i|o|un)/.test(noun) ? 'an' : 'a'} ${noun}: ${types}`;
};

const statusOf = (route: RestRoute) => (route.output === null ? 204 : (route.status ?? 200));

const build = (): RestOperation[] => {
  const byKey = new Map<string, RestOperation>();
  for (const [procedure, route] of Object.entries(restRoutes) as [string, RestRoute][]) {
    const key = `${route.method} ${route.path}`;
    const tag = procedure.split('.')[0]!;
    const binding = bindingOf(procedure, route.action ?? null, route.summary);
    const existing = byKey.get(key);
    if (existing) {
      // Only actions share a path, and all of them answer alike.
      if (!route.action || existing.bindings.some((b) => !b.action || b.action === route.action))
        throw new Error(`${procedure} and ${existing.bindings[0]!.procedure} share ${key}`);
      existing.bindings.push(binding);
      existing.summary = actionSummary(existing);
      continue;
    }
    byKey.set(key, {
      method: route.method,
      path: route.path,
      operationId: route.action ? `${tag}Action` : camel(procedure),
      tag,
      summary: route.summary,
      status: statusOf(route),
      output: route.output,
      stream: false,
      inputFrom: route.method === 'get' || route.method === 'delete' ? 'query' : 'body',
      pathParams: paramsOf(route.path),
      bindings: [binding],
    });
  }
  for (const [procedure, route] of Object.entries(streamRoutes) as [string, StreamRoute][]) {
    byKey.set(`${route.method} ${route.path}`, {
      method: route.method,
      path: route.path,
      operationId: camel(procedure),
      tag: procedure.split('.')[0]!,
      summary: route.summary,
      status: 200,
      output: route.output,
      stream: true,
      inputFrom: 'query',
      pathParams: paramsOf(route.path),
      bindings: [bindingOf(procedure, null, route.summary)],
    });
  }
  return [...byKey.values()];
};

let operations: RestOperation[] | undefined;

/** Every operation of the REST surface, derived once from the table and the procedures. */
export const restOperations = (): RestOperation[] => (operations ??= build());

/** The procedure an operation runs for a request body's `type` (actions), or its only one. */
export const bindingFor = (operation: RestOperation, type: unknown): RestBinding | undefined =>
  operation.bindings.length === 1 && !operation.bindings[0]!.action
    ? operation.bindings[0]
    : operation.bindings.find((binding) => binding.action === type);
