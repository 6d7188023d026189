import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesLabels, parseLabelSelector, type Requirement } from './selectors.ts';
import { validateName } from './validation.ts';

const key = fc.constantFrom('app', 'tier', 'env', 'example.com/team');
const value = fc.constantFrom('a', 'b', 'c', 'prod');
const labels = fc.dictionary(key, value, { maxKeys: 4 });

const requirement: fc.Arbitrary<Requirement> = fc.oneof(
  fc.record({ key, op: fc.constantFrom('=' as const, '!=' as const), values: fc.tuple(value) }),
  fc.record({
    key,
    op: fc.constantFrom('in' as const, 'notin' as const),
    values: fc.uniqueArray(value, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ key, op: fc.constantFrom('exists' as const, '!exists' as const) }),
);

function format(r: Requirement): string {
  switch (r.op) {
    case 'exists':
      return r.key;
    case '!exists':
      return `!${r.key}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.op} (${r.values.join(',')})`;
    case '=':
    case '!=':
      return `${r.key}${r.op}${r.values[0]}`;
  }
}

/** The meaning of each operator, written independently of the implementation. */
function reference(r: Requirement, l: Record<string, string>): boolean {
  const has = r.key in l;
  if (!('values' in r)) return r.op === 'exists' ? has : !has;
  const values: string[] = r.values;
  if (r.op === '=') return l[r.key] === values[0];
  if (r.op === '!=') return l[r.key] !== values[0];
  if (r.op === 'in') return has && values.includes(l[r.key] as string);
  return !has || !values.includes(l[r.key] as string);
}

describe('label selectors', () => {
  it('parse what they print and match as every operator is defined', () => {
    fc.assert(
      fc.property(fc.array(requirement, { minLength: 1, maxLength: 4 }), labels, (reqs, l) => {
        const parsed = parseLabelSelector(reqs.map(format).join(','));
        expect(parsed).toEqual(reqs);
        expect(matchesLabels(parsed, l)).toBe(reqs.every((r) => reference(r, l)));
      }),
    );
  });
});

describe('names', () => {
  it('accepts every DNS-1123 label for a namespace and refuses upper case or underscores', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/), (name) => {
        expect(validateName('Namespace', name)).toEqual([]);
        expect(validateName('Namespace', `${name}_X`)).not.toEqual([]);
      }),
    );
  });
});
