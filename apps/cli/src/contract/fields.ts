import type { IdKind } from '@uncloud/sdk';
import { idKindOf, labelOf, type JsonSchema } from './manifest.ts';
import { kebab } from './naming.ts';

/**
 * What a field of a procedure's input becomes on the command line, read from its JSON Schema:
 * scalars are one flag, lists repeat (or take commas), string maps take KEY=VALUE, ids of other
 * resources take a name or an id, and anything else takes JSON (or @file).
 */
export type FieldShape =
  /** `long`: text too long for a command line (a public key, user data), also read from `@file`. */
  | { type: 'string'; long: boolean }
  | { type: 'number'; integer: boolean }
  | { type: 'boolean' }
  | { type: 'choice'; choices: string[] }
  | { type: 'ref'; kind: IdKind }
  | { type: 'list'; of: Exclude<FieldShape, { type: 'list' | 'map' | 'json' }> }
  | { type: 'map' }
  | { type: 'json' };

export interface Field {
  /** The input field (`sshKeyIds`). */
  name: string;
  /** Its flag without dashes (`ssh-key`). */
  flag: string;
  shape: FieldShape;
  required: boolean;
  default: unknown;
  description: string | undefined;
}

/** Flags every command has; a field that would take one keeps its full name instead. */
export const reservedFlags = new Set([
  'project',
  'context',
  'output',
  'format',
  'wait',
  'wait-timeout',
  'help',
]);

/** Strings that may be this long are files more often than words. */
const longText = 1024;

const nonNull = (schema: JsonSchema): JsonSchema =>
  schema.anyOf ? (schema.anyOf.find((s) => s.type !== 'null') ?? schema) : schema;

type ScalarShape = Exclude<FieldShape, { type: 'list' | 'map' | 'json' }>;

const scalarShape = (raw: JsonSchema): ScalarShape | undefined => {
  const schema = nonNull(raw);
  if (schema.enum) return { type: 'choice', choices: schema.enum.map(String) };
  if (schema.type === 'string') {
    const kind = idKindOf(schema);
    return kind
      ? { type: 'ref', kind }
      : { type: 'string', long: (schema.maxLength ?? Infinity) >= longText };
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    return { type: 'number', integer: schema.type === 'integer' };
  }
  if (schema.type === 'boolean') return { type: 'boolean' };
  return undefined;
};

export const shapeOf = (raw: JsonSchema): FieldShape => {
  const schema = nonNull(raw);
  const scalar: FieldShape | undefined = scalarShape(schema);
  if (scalar) return scalar;
  if (schema.type === 'array' && schema.items) {
    const of = scalarShape(schema.items);
    if (of && of.type !== 'boolean') return { type: 'list', of };
  }
  if (
    schema.type === 'object' &&
    !schema.properties &&
    typeof schema.additionalProperties === 'object' &&
    schema.additionalProperties.type === 'string'
  ) {
    return { type: 'map' };
  }
  return { type: 'json' };
};

/** `sshKeyIds` → `ssh-key`, `dropletId` → `droplet`: a reference is named after what it points at. */
const flagOf = (name: string, shape: FieldShape) => {
  const refers = shape.type === 'ref' || (shape.type === 'list' && shape.of.type === 'ref');
  const short = refers ? kebab(name.replace(/Ids?$/, '')) : kebab(name);
  return reservedFlags.has(short) ? kebab(name) : short;
};

export const fieldsOf = (input: JsonSchema | null): Field[] =>
  Object.entries(input?.properties ?? {}).map(([name, schema]) => {
    const shape = shapeOf(schema);
    return {
      name,
      flag: flagOf(name, shape),
      shape,
      required: (input?.required ?? []).includes(name) && schema.default === undefined,
      default: schema.default,
      description: schema.description,
    };
  });

/** What a flag takes, for help and messages: `<droplet>`, `<s-1vcpu-1gb|…>`, `<KEY=VALUE>`. */
export const placeholderOf = (shape: FieldShape): string => {
  switch (shape.type) {
    case 'string':
      return shape.long ? '<text|@file>' : '<text>';
    case 'number':
      return shape.integer ? '<integer>' : '<number>';
    case 'boolean':
      return '';
    case 'choice':
      return '<choice>';
    case 'ref':
      return `<${kebab(shape.kind)}>`;
    case 'list':
      return `${placeholderOf(shape.of)}...`;
    case 'map':
      return '<KEY=VALUE...>';
    case 'json':
      return '<json|@file>';
  }
};

/** One line of help for a field: its doc comment, then what it accepts. */
export const helpOf = (field: Field, { listChoices = true } = {}): string => {
  const { shape } = field;
  const accepts =
    shape.type === 'choice' && listChoices
      ? `one of ${shape.choices.join(', ')}`
      : shape.type === 'ref'
        ? `${labelOf(shape.kind)} name or id`
        : shape.type === 'list'
          ? `repeat or separate with commas${shape.of.type === 'ref' ? `; ${labelOf(shape.of.kind)} names or ids` : ''}${shape.of.type === 'choice' ? `; each one of ${shape.of.choices.join(', ')}` : ''}`
          : shape.type === 'map'
            ? 'repeat for each variable'
            : shape.type === 'string' && shape.long
              ? 'or @path to read it from a file'
              : shape.type === 'json'
                ? 'JSON, or @path to a JSON file'
                : undefined;
  const parts = [field.description, accepts].filter(Boolean);
  const def =
    field.default !== undefined &&
    !(Array.isArray(field.default) && field.default.length === 0) &&
    !(typeof field.default === 'object' && field.default !== null && Object.keys(field.default).length === 0)
      ? ` (default: ${JSON.stringify(field.default)})`
      : '';
  return `${parts.join('; ') || field.name}${def}`;
};
