import fc from 'fast-check';
import { idPrefixes } from '@uncloud/sdk';
import { z } from 'zod';

/**
 * Bad and edge-case inputs for a procedure, built from one valid input: a field of the wrong type,
 * a missing field, huge strings, unicode, numbers at and past every edge, extra fields, nulls, deep
 * nesting, ids with a wrong prefix or of another kind, bodies that are not JSON at all.
 */

/** A bad input: the JSON of `input`, or `body` sent as it is (JSON cannot express everything). */
export interface BadInput {
  /** What was done to the valid input, for the failure report. */
  label: string;
  input?: unknown;
  body?: string;
}

/** Numbers only a raw body can carry: JSON.parse reads `1e999` as Infinity. */
const rawNumbers = ['1e999', '-1e999', '1e-999', '123456789012345678901234567890', '-0'];
const rawMarker = (i: number) => `\u0000raw${i}\u0000`;

const edgeNumbers = [
  -1,
  0,
  -0,
  0.5,
  -2147483649,
  2 ** 31,
  2 ** 53 + 2,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_VALUE,
  1e308,
  -1e308,
];

const edgeStrings = [
  '',
  ' ',
  '\u0000',
  '\uD800',
  '\uDFFF\uD800',
  '\u202Eevil',
  'e\u0301\u200D\uFE0F',
  '🚀'.repeat(64),
  'Ǆ'.repeat(40),
  '../../etc/passwd',
  "'; DROP TABLE projects; --",
  '<script>alert(1)</script>',
  '%00%0d%0a',
  '${jndi:ldap://x}',
  '__proto__',
  'constructor',
  'null',
  'true',
  '0',
  'NaN',
  '-1',
  'a'.repeat(64),
  'A'.repeat(256),
];

const huge = fc.constantFrom(1_000, 70_000, 1_000_000).map((n) => 'x'.repeat(n));

const anyString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...edgeStrings) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: huge },
);

const anyNumber = fc.oneof(
  fc.constantFrom(...edgeNumbers),
  fc.double(),
  fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
  fc.constantFrom(...rawNumbers.map((_, i) => rawMarker(i))),
);

/** Ids that are nearly right, or right for another kind, from a valid id of `base`'s kind. */
const badIds = (base: string, otherIds: string[]) => {
  const [, random = ''] = base.split('_');
  const prefixes = Object.values(idPrefixes);
  return fc.oneof(
    fc.constantFrom(...prefixes).map((prefix) => `${prefix}_${random}`),
    fc.constantFrom(...otherIds),
    fc.constantFrom(
      base.toUpperCase(),
      base.slice(0, -1),
      `${base}0`,
      `${base} `,
      ` ${base}`,
      `${base}\u0000`,
      base.replace('_', '-'),
      random,
      `${base.split('_')[0]}_${'!'.repeat(20)}`,
      `${base.split('_')[0]}_${'ä'.repeat(20)}`,
      `${base},${base}`,
      `${base}' OR '1'='1`,
    ),
  );
};

/**
 * Deeply nested arrays or objects, too deep for JSON.stringify: they travel as a marker that
 * `bodyOf` replaces with their text.
 */
const deepMarker = (depth: number, asArray: boolean) => `\u0000deep${depth}${asArray ? '[' : '{'}\u0000`;
const deepText = (depth: number, asArray: boolean) =>
  asArray ? `${'['.repeat(depth)}"x"${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}"x"${'}'.repeat(depth)}`;
const deepValue = fc
  .tuple(fc.constantFrom(64, 1_000, 20_000), fc.boolean())
  .map(([depth, asArray]) => deepMarker(depth, asArray));

/** Any value, of any type, at any depth. */
const anything = (otherIds: string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: anyString },
    { weight: 3, arbitrary: anyNumber },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 2, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constantFrom(...otherIds) },
    { weight: 2, arbitrary: fc.anything({ maxDepth: 3, maxKeys: 5 }) },
    { weight: 1, arbitrary: fc.constantFrom([], {}, [null], [[]], { '': '' }) },
    { weight: 1, arbitrary: deepValue },
    { weight: 1, arbitrary: fc.array(anyString, { minLength: 1, maxLength: 20 }) },
    { weight: 1, arbitrary: fc.constant(Array.from({ length: 20_000 }, (_, i) => `t${i}`)) },
  );

/** The value `base` holds made bad in a way that suits its type. */
const worse = (base: unknown, otherIds: string[]) => {
  const any = anything(otherIds);
  if (typeof base === 'string' && /^[a-z]+_[0-9a-z]{20}$/.test(base))
    return fc.oneof({ weight: 3, arbitrary: badIds(base, otherIds) }, { weight: 1, arbitrary: any });
  if (typeof base === 'string')
    return fc.oneof({ weight: 2, arbitrary: anyString }, { weight: 1, arbitrary: any });
  if (typeof base === 'number')
    return fc.oneof({ weight: 2, arbitrary: anyNumber }, { weight: 1, arbitrary: any });
  if (Array.isArray(base))
    return fc.oneof(
      { weight: 2, arbitrary: fc.array(any, { maxLength: 5 }) },
      { weight: 1, arbitrary: fc.constant(Array.from({ length: 5_000 }, () => base[0] ?? 'x')) },
      { weight: 1, arbitrary: any },
    );
  return any;
};

/** The top-level field names of a procedure's input schemas (optional ones included). */
export const fieldsOf = (inputs: z.ZodType[]) => [
  ...new Set(inputs.flatMap((input) => (input instanceof z.ZodObject ? Object.keys(input.shape) : []))),
];

/** Applies `edits` to a copy of `base`. */
type Edit = (input: Record<string, unknown>) => void;

/**
 * Bad inputs for a procedure whose valid input is `valid` and whose fields are `fields`; `otherIds`
 * are real ids of every kind, to put where they do not belong.
 */
export const badInputs = (valid: unknown, fields: string[], otherIds: string[]): fc.Arbitrary<BadInput> => {
  const base = (valid ?? {}) as Record<string, unknown>;
  const names = fields.length > 0 ? fields : ['input'];

  const setField = fc.constantFrom(...names).chain((field) =>
    worse(base[field], otherIds).map((value) => ({
      label: `${field} = ${summarize(value)}`,
      edit: ((input) => void (input[field] = value)) as Edit,
    })),
  );
  const dropField = fc.constantFrom(...names).map((field) => ({
    label: `without ${field}`,
    edit: ((input) => void delete input[field]) as Edit,
  }));
  const extraFields = fc
    .dictionary(
      fc.oneof(
        fc.constantFrom('__proto__', 'constructor', 'prototype', 'isAdmin', 'role', 'userId', ''),
        fc.string(),
      ),
      anything(otherIds),
      { minKeys: 1, maxKeys: 3 },
    )
    .map((extra) => ({
      label: `with extra fields ${Object.keys(extra).join(', ')}`,
      edit: ((input) => {
        for (const [key, value] of Object.entries(extra))
          Object.defineProperty(input, key, { value, enumerable: true, configurable: true, writable: true });
      }) as Edit,
    }));
  const fieldEdits = fc
    .array(
      fc.oneof(
        { weight: 4, arbitrary: setField },
        { weight: 1, arbitrary: dropField },
        { weight: 1, arbitrary: extraFields },
      ),
      {
        minLength: 1,
        maxLength: 3,
      },
    )
    .map((edits): BadInput => {
      const input = structuredClone(base);
      for (const { edit } of edits) edit(input);
      return { label: edits.map((e) => e.label).join('; '), input };
    });

  const wholeInput = anything(otherIds).map((input): BadInput => ({
    label: `input = ${summarize(input)}`,
    input,
  }));
  const rawBody = fc
    .constantFrom(
      '',
      '{',
      '{"projectId":',
      '[',
      '['.repeat(100_000),
      '{"a":'.repeat(50_000),
      'NaN',
      'undefined',
      '{"projectId": NaN}',
      "{'projectId': 'x'}",
      '\u0000',
      '{"__proto__": {"isAdmin": true}}',
      '{"constructor": {"prototype": {"isAdmin": true}}}',
      `${JSON.stringify(base)}garbage`,
      JSON.stringify(base).replace(/"/g, ''),
    )
    .map((body): BadInput => ({ label: `raw body ${summarize(body)}`, body }));

  return fc.oneof(
    { weight: 6, arbitrary: fieldEdits },
    { weight: 2, arbitrary: wholeInput },
    { weight: 1, arbitrary: rawBody },
  );
};

/** The JSON a bad input is sent as, raw numbers put in where their markers stand. */
export const bodyOf = (bad: BadInput): string | undefined => {
  if (bad.body !== undefined) return bad.body;
  if (bad.input === undefined) return undefined;
  let json = JSON.stringify(bad.input);
  rawNumbers.forEach((raw, i) => {
    json = json.replaceAll(JSON.stringify(rawMarker(i)), raw);
  });
  return json.replace(/"\\u0000deep(\d+)([[{])\\u0000"/g, (_, depth: string, open: string) =>
    deepText(Number(depth), open === '['),
  );
};

/** A short description of a value for a failure report. */
export const summarize = (value: unknown): string => {
  const text = value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value));
  return text.length > 120 ? `${text.slice(0, 100)}… (${text.length} characters)` : text;
};
