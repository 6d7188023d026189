// Label and field selectors as the API server parses them (equality and set-based forms).
import { badRequest } from './errors.ts';
import type { StoredObject } from './types.ts';

export type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' }
  | { key: string; op: '=' | '!=' | 'gt' | 'lt'; values: [string] };

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

// A port of the lexer and parser of k8s.io/apimachinery/pkg/labels/selector.go (v0.36), so that a
// selector is accepted, refused and explained exactly as a real API server does it.
type Token =
  'error' | 'end' | ')' | ',' | '!' | '==' | '=' | '>' | 'identifier' | 'in' | '<' | '!=' | 'notin' | '(';
const KEYWORDS: ReadonlySet<string> = new Set([')', ',', '!', '==', '=', '>', 'in', '<', '!=', 'notin', '(']);
const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';
const isWhitespace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecialSymbol = (ch: string) => '=!(),><'.includes(ch) && ch !== '';

function lex(selector: string): { tok: Token; lit: string }[] {
  const items: { tok: Token; lit: string }[] = [];
  let pos = 0;
  for (;;) {
    while (pos < selector.length && isWhitespace(selector[pos]!)) pos++;
    if (pos >= selector.length) {
      items.push({ tok: 'end', lit: '' });
      return items;
    }
    if (isSpecialSymbol(selector[pos]!)) {
      // The longest run of symbols that is a keyword ("!=" before "!").
      let buffer = '';
      let last: { tok: Token; lit: string } | null = null;
      while (pos < selector.length && isSpecialSymbol(selector[pos]!)) {
        buffer += selector[pos];
        if (KEYWORDS.has(buffer)) last = { tok: buffer as Token, lit: buffer };
        else if (last) break;
        pos++;
      }
      items.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buffer}'` });
      continue;
    }
    let word = '';
    while (pos < selector.length && !isSpecialSymbol(selector[pos]!) && !isWhitespace(selector[pos]!))
      word += selector[pos++];
    items.push({ tok: KEYWORDS.has(word) ? (word as Token) : 'identifier', lit: word });
  }
}

class SelectorParser {
  private position = 0;
  constructor(private readonly items: { tok: Token; lit: string }[]) {}

  /** In the values context the words `in` and `notin` are plain identifiers. */
  private look(values = true) {
    const { tok, lit } = this.items[this.position]!;
    return { tok: values && (tok === 'in' || tok === 'notin') ? 'identifier' : tok, lit };
  }
  private take(values = true) {
    const item = this.look(values);
    this.position++;
    return item;
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.look();
      if (tok === 'end') return requirements;
      if (tok !== 'identifier' && tok !== '!')
        throw new Error(`found '${lit}', expected: !, identifier, or 'end of string'`);
      try {
        requirements.push(this.requirement());
      } catch (error) {
        throw new Error(`unable to parse requirement: ${(error as Error).message}`);
      }
      const next = this.take();
      if (next.tok === 'end') return requirements;
      if (next.tok !== ',') throw new Error(`found '${next.lit}', expected: ',' or 'end of string'`);
      const after = this.look();
      if (after.tok !== 'identifier' && after.tok !== '!')
        throw new Error(`found '${after.lit}', expected: identifier after ','`);
    }
  }

  private requirement(): Requirement {
    let first = this.take();
    const negated = first.tok === '!';
    if (negated) first = this.take();
    if (first.tok !== 'identifier') throw new Error(`found '${first.lit}', expected: identifier`);
    const key = first.lit;
    const after = this.look().tok;
    if (negated) return { key, op: '!exists' };
    if (after === 'end' || after === ',') return { key, op: 'exists' };
    const operator = this.take(false);
    switch (operator.tok) {
      case 'in':
      case 'notin':
        return { key, op: operator.tok, values: this.values() };
      case '=':
      case '==':
        return { key, op: '=', values: [this.exactValue()] };
      case '!=':
        return { key, op: '!=', values: [this.exactValue()] };
      case '>':
        return { key, op: 'gt', values: [this.exactValue()] };
      case '<':
        return { key, op: 'lt', values: [this.exactValue()] };
      default:
        throw new Error(`found '${operator.lit}', expected: ${BINARY_OPERATORS}`);
    }
  }

  private values(): string[] {
    const open = this.take();
    if (open.tok !== '(') throw new Error(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.look();
    if (tok === ')') {
      this.take();
      return [''];
    }
    if (tok !== 'identifier' && tok !== ',')
      throw new Error(`found '${lit}', expected: ',', ')' or identifier`);
    const list = this.identifiers();
    if (this.take().tok !== ')') throw new Error(`found '${lit}', expected: ')'`);
    return [...list].sort();
  }

  private identifiers(): Set<string> {
    const list = new Set<string>();
    for (;;) {
      const { tok, lit } = this.take();
      if (tok === 'identifier') {
        list.add(lit);
        const next = this.look();
        if (next.tok === ',') continue;
        if (next.tok === ')') return list;
        throw new Error(`found '${next.lit}', expected: ',' or ')'`);
      }
      if (tok !== ',') throw new Error(`found '${lit}', expected: ',', or identifier`);
      // "(," ",," and ",)" each stand for the empty value.
      if (list.size === 0) list.add('');
      const next = this.look().tok;
      if (next === ')') {
        list.add('');
        return list;
      }
      if (next === ',') list.add('');
    }
  }

  private exactValue(): string {
    const { tok } = this.look();
    if (tok === 'end' || tok === ',') return '';
    const value = this.take();
    if (value.tok === 'identifier') return value.lit;
    throw new Error(`found '${value.lit}', expected: identifier`);
  }
}

export function parseLabelSelector(selector: string | undefined): Requirement[] {
  if (!selector) return [];
  try {
    return new SelectorParser(lex(selector)).parse();
  } catch (error) {
    throw badRequest((error as Error).message);
  }
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
      case 'gt':
      case 'lt': {
        // Both sides must be integers; a label that is not one never matches.
        if (!has || !/^-?\d+$/.test(v as string)) return false;
        const [label, bound] = [Number(v), Number(r.values[0])];
        if (r.op === 'gt' ? !(label > bound) : !(label < bound)) return false;
        break;
      }
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
