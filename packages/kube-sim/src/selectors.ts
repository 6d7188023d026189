// Label and field selectors as the API server parses them (equality and set-based forms).
import { badRequest } from './errors.ts';
import type { StoredObject } from './types.ts';

export type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' }
  | { key: string; op: '=' | '!='; values: [string] };

/** Split on commas that are not inside parentheses. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter((t) => t.length > 0);
}

const SET_RE = /^([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)$/;
const EQ_RE = /^([^\s!=()]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/;
const KEY_RE = /^(!?)\s*([^\s!=()]+)$/;

export function parseLabelSelector(selector: string | undefined): Requirement[] {
  if (!selector) return [];
  return splitTerms(selector).map((term) => {
    let m = SET_RE.exec(term);
    if (m) {
      const values = (m[3] ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v.length > 0);
      return { key: m[1] as string, op: m[2] as 'in' | 'notin', values };
    }
    m = EQ_RE.exec(term);
    if (m) return { key: m[1] as string, op: m[2] === '!=' ? '!=' : '=', values: [m[3] ?? ''] };
    m = KEY_RE.exec(term);
    if (m) return { key: m[2] as string, op: m[1] ? '!exists' : 'exists' };
    throw badRequest(`unable to parse requirement: found '${term}', expected: in, notin, =, ==, !=, gt, lt`);
  });
}

export function matchesLabels(reqs: Requirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const r of reqs) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case 'exists':
        if (!has) return false;
        break;
      case '!exists':
        if (has) return false;
        break;
      case '=':
        if (!has || v !== r.values[0]) return false;
        break;
      case '!=':
        if (has && v === r.values[0]) return false;
        break;
      case 'in':
        if (!has || !r.values.includes(v as string)) return false;
        break;
      case 'notin':
        if (has && r.values.includes(v as string)) return false;
        break;
    }
  }
  return true;
}

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

const FIELD_RE = /^([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*)$/;

export function parseFieldSelector(selector: string | undefined, supported: string[]): FieldRequirement[] {
  if (!selector) return [];
  return splitTerms(selector).map((term) => {
    const m = FIELD_RE.exec(term);
    if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    const field = m[1] as string;
    if (!supported.includes(field)) throw badRequest(`field label not supported: ${field}`);
    return { field, op: m[2] === '!=' ? '!=' : '=', value: m[3] ?? '' };
  });
}

export function fieldValue(obj: StoredObject, field: string): string {
  let cur: unknown = obj;
  for (const part of field.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur === undefined || cur === null ? '' : String(cur);
}

export function matchesFields(reqs: FieldRequirement[], obj: StoredObject): boolean {
  return reqs.every((r) => (fieldValue(obj, r.field) === r.value) === (r.op === '='));
}

/** Field selectors each kind supports (metadata ones everywhere). */
export function supportedFields(kind: string): string[] {
  const base = ['metadata.name', 'metadata.namespace'];
  if (kind === 'Pod') return [...base, 'status.phase', 'spec.nodeName', 'spec.restartPolicy', 'status.podIP'];
  if (kind === 'Event')
    return [
      ...base,
      'involvedObject.kind',
      'involvedObject.name',
      'involvedObject.namespace',
      'involvedObject.uid',
      'reason',
      'type',
    ];
  if (kind === 'Secret') return [...base, 'type'];
  if (kind === 'Namespace') return [...base, 'status.phase'];
  return base;
}
