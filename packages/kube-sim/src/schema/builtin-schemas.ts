// The built-in kinds' OpenAPI v3 schemas, as the real API server serves them (captured into
// ../schemas/builtin.json by scripts/capture-schemas.ts), read once per process on first use.
import { readFileSync } from 'node:fs';
import type { ResourceType } from '../types.ts';

/** An OpenAPI v3 schema object (only what is read here is typed). */
export interface OpenApiSchema {
  type?: string;
  format?: string;
  properties?: Record<string, OpenApiSchema>;
  additionalProperties?: OpenApiSchema | boolean;
  items?: OpenApiSchema;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  allOf?: OpenApiSchema[];
  anyOf?: OpenApiSchema[];
  oneOf?: OpenApiSchema[];
  $ref?: string;
  description?: string;
  [ext: string]: unknown;
}

interface BuiltinDocument {
  kubernetesVersion: string;
  kinds: Record<string, string>;
  schemas: Record<string, OpenApiSchema>;
}

let doc: BuiltinDocument | undefined;

export function builtinDocument(): BuiltinDocument {
  doc ??= JSON.parse(
    readFileSync(new URL('../schemas/builtin.json', import.meta.url), 'utf8'),
  ) as BuiltinDocument;
  return doc;
}

export const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** The name of a built-in kind's schema under components.schemas (undefined for CRDs, metrics). */
export function builtinSchemaName(
  type: Pick<ResourceType, 'group' | 'version' | 'kind'>,
): string | undefined {
  return builtinDocument().kinds[`${type.group}/${type.version}/${type.kind}`];
}

export function namedSchema(name: string): OpenApiSchema {
  const s = builtinDocument().schemas[name];
  if (!s) throw new Error(`no OpenAPI schema ${name}`);
  return s;
}

/** `#/components/schemas/<name>` → name. */
export function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}
