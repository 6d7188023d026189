import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesLabels, parseLabelSelector, type Requirement } from './selectors.ts';
import { validateName } from './validation.ts';

const key = fc.constantFrom('app', 'tier', 'env', 'example.com/team');
const value = fc.constantFrom('a', 'b', 'c', 'prod');
const number = fc.constantFrom('-1', '0', '2', '10');
const labels = fc.dictionary(key, fc.oneof(value, number), { maxKeys: 4 });

const requirement: fc.Arbitrary<Requirement> = fc.oneof(
  fc.record({ key, op: fc.constantFrom('=' as const, '!=' as const), values: fc.tuple(value) }),
  fc.record({
    key,
    op: fc.constantFrom('in' as const, 'notin' as const),
    values: fc.uniqueArray(value, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ key, op: fc.constantFrom('exists' as const, '!exists' as const) }),
  fc.record({ key, op: fc.constantFrom('gt' as const, 'lt' as const), values: fc.tuple(number) }),
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
    case 'gt':
      return `${r.key}>${r.values[0]}`;
    case 'lt':
      return `${r.key} < ${r.values[0]}`;
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
  if (r.op === 'gt' || r.op === 'lt') {
    if (!has || !Number.isInteger(Number(l[r.key])) || l[r.key]!.trim() === '') return false;
    return r.op === 'gt' ? Number(l[r.key]) > Number(values[0]) : Number(l[r.key]) < Number(values[0]);
  }
  return !has || !values.includes(l[r.key] as string);
}

describe('label selectors', () => {
  it('parse what they print and match as every operator is defined', () => {
    fc.assert(
      fc.property(fc.array(requirement, { minLength: 1, maxLength: 4 }), labels, (reqs, l) => {
        const parsed = parseLabelSelector(reqs.map(format).join(','));
        // Set values come back sorted, as the real parser keeps them in a set.
        expect(parsed).toEqual(reqs.map((r) => ('values' in r ? { ...r, values: [...r.values].sort() } : r)));
        expect(matchesLabels(parsed, l)).toBe(reqs.every((r) => reference(r, l)));
      }),
    );
  });
});

describe('label selectors the real parser refuses', () => {
  // Texts from k8s.io/apimachinery/pkg/labels/selector.go, as kube-apiserver answers them.
  it.each([
    ['a in (b', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['a in b', "unable to parse requirement: found 'b' expected: '('"],
    ['a ~ b', "unable to parse requirement: found '~', expected: in, notin, =, ==, !=, gt, lt"],
    ['a=b,', "found '', expected: identifier after ','"],
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
    ['=b', "found '=', expected: !, identifier, or 'end of string'"],
    ['a in (b,=)', "unable to parse requirement: found '=', expected: ',', or identifier"],
  ])('%s', (selector, message) => {
    expect(() => parseLabelSelector(selector)).toThrow(message);
  });

  it('reads the forms it accepts as the real parser does', () => {
    expect(parseLabelSelector('a in (c,b,b), !d, e notin (), f==g, h')).toEqual([
      { key: 'a', op: 'in', values: ['b', 'c'] },
      { key: 'd', op: '!exists' },
      { key: 'e', op: 'notin', values: [''] },
      { key: 'f', op: '=', values: ['g'] },
      { key: 'h', op: 'exists' },
    ]);
    expect(parseLabelSelector('x in (in,notin)')).toEqual([{ key: 'x', op: 'in', values: ['in', 'notin'] }]);
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
