import { describe, expect, it } from 'vitest';
import { compare, sideBySide } from '../src/compare.ts';
import { figureLine, figureOf, summary } from '../src/report.ts';
import type { ProbeResult } from '../src/runner.ts';
import type { Observation } from '../src/types.ts';

const created: Observation = { status: 201, warnings: [], fields: { name: 'web' } };

describe('compare', () => {
  it('agrees on equal observations, whatever the key order', () => {
    expect(
      compare({ status: 200, fields: { a: 1, b: [1, 2] } }, { fields: { b: [1, 2], a: 1 }, status: 200 }),
    ).toEqual({
      agree: true,
    });
  });

  it('names status, reason and message first', () => {
    const result = compare(created, {
      status: 400,
      reason: 'BadRequest',
      message: 'strict decoding error',
      warnings: [],
    });
    expect(result.agree).toBe(false);
    if (result.agree) return;
    expect(result.diff).toBe(
      'status: sim 201 | real 400; reason: sim <absent> | real "BadRequest"; message: sim <absent> | real "strict decoding error"; fields.name: sim "web" | real <absent>',
    );
  });

  it('tells array lengths and items apart', () => {
    const result = compare({ status: 201, warnings: [] }, { status: 201, warnings: ['unknown field "x"'] });
    expect(result).toEqual({
      agree: false,
      diff: 'warnings: sim [0 items] | real [1 item]; warnings[0]: sim <absent> | real "unknown field \\"x\\""',
    });
  });

  it('treats no fields and empty fields alike, but not an empty object field and a missing one', () => {
    expect(compare({ status: 404 }, { status: 404, fields: {} })).toEqual({ agree: true });
    expect(compare({ status: 201, fields: { status: {} } }, { status: 201 }).agree).toBe(false);
  });

  it('distinguishes null from absent and numbers from strings', () => {
    expect(compare({ status: 200, fields: { x: null } }, { status: 200, fields: {} }).agree).toBe(false);
    expect(compare({ status: 200, fields: { x: 1 } }, { status: 200, fields: { x: '1' } }).agree).toBe(false);
  });

  it('keeps the diff to one bounded line', () => {
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`field${i}`, i]));
    const result = compare({ status: 200, fields: many }, { status: 200, fields: {} }, 200);
    expect(result.agree).toBe(false);
    if (result.agree) return;
    expect(result.diff).not.toContain('\n');
    expect(result.diff.length).toBeLessThanOrEqual(220);
    expect(result.diff).toMatch(/\(\+\d+ more\)$/);
  });
});

describe('sideBySide', () => {
  it('shows long strings from where they start to differ', () => {
    const prefix = 'Deployment.apps "web" is invalid: spec.template.spec.containers[0].';
    expect(sideBySide(`${prefix}image: Required value`, `${prefix}name: Duplicate value`)).toBe(
      'sim …ntainers[0].image: Required value | real …ntainers[0].name: Duplicate value',
    );
    expect(sideBySide('201', '400')).toBe('sim 201 | real 400');
  });
});

describe('report', () => {
  const result = (name: string, agree: boolean, sim: Observation, real: Observation): ProbeResult => ({
    name,
    area: 'validation',
    description: name,
    sim: { observation: sim, seconds: 0 },
    real: { observation: real, seconds: 0 },
    comparison: agree ? { agree: true } : { agree: false, diff: 'status: sim 201 | real 400' },
  });

  it('counts agreement and divergences into the figure line', () => {
    const results = [
      result('a', true, created, created),
      result('b', false, created, { status: 400, reason: 'BadRequest' }),
      result('c', false, { status: 0, fields: { stdout: '' } }, { status: 1, fields: { stdout: '' } }),
    ];
    const figure = figureOf(results);
    expect(figure).toEqual({ agree: 1, total: 3, divergences: 2, harnessErrors: 0 });
    expect(figureLine(figure)).toBe('fidelity: 1 of 3 probes agree, 2 divergences');
  });

  it('summarizes HTTP and kubectl observations and errors', () => {
    expect(summary({ observation: { status: 422, reason: 'Invalid' }, seconds: 0 })).toBe('422 Invalid');
    expect(summary({ observation: { status: 1, fields: { stdout: '' } }, seconds: 0 })).toBe('exit 1');
    expect(summary({ observation: { status: null, fields: { stdout: '' } }, seconds: 0 })).toBe('timeout');
    expect(summary({ error: 'boom', seconds: 0 })).toBe('ERROR');
  });
});
