/**
 * The operations of the server's OpenAPI document, in the shape the reference page lists them:
 * by tag, each with its parameters and body fields. Only what the page shows is read.
 */

interface Schema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  $ref?: string;
}

interface Operation {
  operationId: string;
  summary?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema & { oneOf?: Schema[] } }> };
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface Field {
  name: string;
  /** `path`, `query` or `body`. */
  in: string;
  required: boolean;
  type: string;
  description: string | undefined;
}

export interface ReferenceOperation {
  id: string;
  method: string;
  path: string;
  summary: string;
  tag: string;
  /** False only for what anyone may read (the document itself). */
  needsToken: boolean;
  fields: Field[];
  /** On an actions path: each `type` the body may hold, with its own fields. */
  actions: { type: string; description: string | undefined; fields: Field[] }[];
}

const resolve = (document: OpenApiDocument, schema: Schema | undefined): Schema => {
  const name = schema?.$ref?.replace('#/components/schemas/', '');
  return (name ? document.components?.schemas?.[name] : schema) ?? {};
};

/** A schema's type in a few words: `string`, `integer`, `one of a, b`, `array of string`. */
export const typeText = (schema: Schema): string => {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return `one of ${schema.enum.join(', ')}`;
  if (schema.anyOf) return schema.anyOf.map(typeText).join(' or ');
  if (schema.type === 'array') return `array of ${schema.items ? typeText(schema.items) : 'any'}`;
  if (schema.$ref) return schema.$ref.replace('#/components/schemas/', '');
  return Array.isArray(schema.type) ? schema.type.join(' or ') : (schema.type ?? 'any');
};

const bodyFields = (schema: Schema): Field[] =>
  Object.entries(schema.properties ?? {})
    .filter(([name]) => name !== 'type' || schema.properties?.type?.const === undefined)
    .map(([name, field]) => ({
      name,
      in: 'body',
      required: (schema.required ?? []).includes(name),
      type: typeText(field),
      description: field.description,
    }));

/** Every operation of the document, grouped by tag in the document's order. */
export const operationsByTag = (document: OpenApiDocument): Map<string, ReferenceOperation[]> => {
  const groups = new Map<string, ReferenceOperation[]>();
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const params: Field[] = (operation.parameters ?? []).map((p) => ({
        name: p.name,
        in: p.in,
        required: p.required ?? false,
        type: typeText(p.schema ?? {}),
        description: p.schema?.description,
      }));
      const body = operation.requestBody?.content?.['application/json']?.schema;
      const variants = body?.oneOf?.map((variant) => resolve(document, variant)) ?? [];
      const tag = operation.tags?.[0] ?? 'other';
      const entry: ReferenceOperation = {
        id: operation.operationId,
        method: method.toUpperCase(),
        path,
        summary: operation.summary ?? '',
        tag,
        needsToken: operation.security === undefined || operation.security.length > 0,
        fields: [...params, ...(body && variants.length === 0 ? bodyFields(resolve(document, body)) : [])],
        actions: variants.map((variant) => ({
          type: String(variant.properties?.type?.const),
          description: variant.description,
          fields: bodyFields(variant),
        })),
      };
      groups.set(tag, [...(groups.get(tag) ?? []), entry]);
    }
  }
  return groups;
};
