import type { AnyTRPCProcedure } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { bodyComponent, createOpenApiDocument } from './openapi.ts';
import { queryType, restOperations } from './rest-operations.ts';
import { restRoutes, streamRoutes } from './rest-routes.ts';
import { appRouter } from './router.ts';

const procedures = appRouter._def.procedures as unknown as Record<string, AnyTRPCProcedure>;
const routed = new Set([...Object.keys(restRoutes), ...Object.keys(streamRoutes)]);
const document = createOpenApiDocument({ version: 'test' });

/** Procedures of `names` that the REST table does not route. */
const unrouted = (names: string[]) => names.filter((name) => !routed.has(name));

/** The procedures each operation of the document says it runs. */
const documented = Object.values(document.paths).flatMap((methods) =>
  Object.values(methods).flatMap((operation) => [
    ...(typeof operation['x-procedure'] === 'string' ? [operation['x-procedure']] : []),
    ...Object.values((operation['x-procedures'] as Record<string, string> | undefined) ?? {}),
  ]),
);

const resolves = (ref: string) => {
  const [, kind, name] = /^#\/components\/(schemas|responses)\/(.+)$/.exec(ref) ?? [];
  const components = document.components as Record<string, Record<string, unknown>>;
  return kind !== undefined && name !== undefined && components[kind]?.[name] !== undefined;
};

const refsIn = (value: unknown): string[] =>
  typeof value !== 'object' || value === null
    ? []
    : Object.entries(value).flatMap(([key, inner]) =>
        key === '$ref' && typeof inner === 'string' ? [inner] : refsIn(inner),
      );

describe('the REST route table', () => {
  it('routes every procedure of the router', () => {
    expect(unrouted(Object.keys(procedures))).toEqual([]);
  });

  it('names a procedure that has no route (so that a new one cannot slip through)', () => {
    expect(unrouted([...Object.keys(procedures), 'droplets.teleport'])).toEqual(['droplets.teleport']);
  });

  it('routes nothing the router does not have', () => {
    expect([...routed].filter((name) => !(name in procedures))).toEqual([]);
  });

  it('reads with GET and changes with the other verbs', () => {
    for (const [name, route] of Object.entries(restRoutes)) {
      expect(`${name}: ${route.method}`).toBe(
        `${name}: ${procedures[name]!._def.type === 'query' ? 'get' : route.method === 'get' ? 'not get' : route.method}`,
      );
    }
  });

  it('takes every path parameter from the input, and only scalars from the query string', () => {
    for (const operation of restOperations()) {
      for (const binding of operation.bindings) {
        for (const param of operation.pathParams) {
          expect(binding.input.required, `${binding.procedure}: {${param}}`).toContain(param);
        }
        if (operation.inputFrom !== 'query') continue;
        for (const [name, schema] of Object.entries(binding.input.properties)) {
          expect(queryType(schema), `${binding.procedure}: ?${name}`).not.toBeNull();
        }
      }
    }
  });
});

describe('the OpenAPI document', () => {
  it('documents every procedure once', () => {
    expect(documented.toSorted()).toEqual([...routed].toSorted());
  });

  it("holds every procedure's input, as parameters or a body schema", () => {
    for (const operation of restOperations()) {
      const documentedOperation = document.paths[operation.path]![operation.method]!;
      const parameters = (documentedOperation.parameters as { name: string }[]).map((p) => p.name);
      for (const binding of operation.bindings) {
        const body = document.components.schemas[bodyComponent(binding)];
        const fields = [...parameters, ...Object.keys(body?.properties ?? {})];
        for (const field of Object.keys(binding.input.properties))
          expect(fields, `${binding.procedure}: ${field}`).toContain(field);
      }
    }
  });

  it('answers every operation with a schema of the document, and errors with the Error schema', () => {
    for (const operation of restOperations()) {
      const responses = document.paths[operation.path]![operation.method]!.responses as Record<
        string,
        unknown
      >;
      if (operation.output) expect(refsIn(responses[String(operation.status)])).not.toEqual([]);
      expect(Object.keys(responses)).toEqual(expect.arrayContaining(['400', '401', '404', '500']));
    }
    const dangling = refsIn(document).filter((ref) => !resolves(ref));
    expect(dangling).toEqual([]);
  });

  it('describes action bodies by their type, one schema per procedure', () => {
    const body = document.components.schemas.DropletsPowerOffAction!;
    expect(body.properties?.type).toEqual({ const: 'power_off' });
    expect(body.required).toContain('type');
    expect(document.components.schemas.DropletsResizeAction!.required).toEqual(['type', 'size']);
  });
});
