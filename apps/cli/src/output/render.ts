import { stringify } from 'yaml';
import { kebab } from '../contract/naming.ts';
import { usageError } from '../errors.ts';

export const outputFormats = ['table', 'json', 'yaml'] as const;
export type OutputFormat = (typeof outputFormats)[number];

export const parseOutputFormat = (value: string): OutputFormat => {
  if ((outputFormats as readonly string[]).includes(value)) return value as OutputFormat;
  throw usageError(`--output must be one of ${outputFormats.join(', ')}, not "${value}"`);
};

/** Columns a table shows by default, in this order, when the rows have them. */
const preferredColumns = [
  'id',
  'name',
  'type',
  'status',
  'state',
  'engine',
  'version',
  'size',
  'sizeGiB',
  'image',
  'replicas',
  'ip',
  'slug',
  'role',
  'resourceId',
  'syncState',
  'createdAt',
  'startedAt',
];

type Row = Record<string, unknown>;

const isRow = (value: unknown): value is Row =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Nested objects as dotted columns (`user.name`), one level deep, so that a table can show them. */
const flatten = (row: Row): Row =>
  Object.fromEntries(
    Object.entries(row).flatMap(([key, value]) =>
      isRow(value) ? Object.entries(value).map(([inner, v]) => [`${key}.${inner}`, v]) : [[key, value]],
    ),
  );

/** The rows a value shows as: a list's items, an array, or the object itself as one row. */
export const rowsOf = (value: unknown): Row[] => {
  if (Array.isArray(value)) return value.map((v) => flatten(isRow(v) ? v : { value: v }));
  if (isRow(value)) return [flatten(value)];
  return value === undefined ? [] : [{ value }];
};

const scalar = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);

export const defaultColumns = (rows: Row[]): string[] => {
  const present = new Set(rows.flatMap((row) => Object.keys(row)));
  const preferred = preferredColumns.filter((c) => present.has(c));
  if (preferred.length >= 3) return preferred;
  // Few of the usual columns (credentials, quotas, whoami): every field that fits in a cell.
  return [...present].filter((c) =>
    rows.every((row) => row[c] === undefined || scalar(row[c]) || Array.isArray(row[c])),
  );
};

const cell = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(cell).join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

const header = (column: string) => kebab(column).replace(/[-.]/g, ' ').toUpperCase();

/** Columns aligned with two spaces between them, as doctl and kubectl print them. */
export const table = (rows: Row[], columns: string[], withHeader = true): string => {
  const lines = [
    ...(withHeader ? [columns.map(header)] : []),
    ...rows.map((row) => columns.map((c) => cell(row[c]))),
  ];
  const widths = columns.map((_, i) => Math.max(...lines.map((line) => line[i]!.length)));
  return lines
    .map((line) => line.map((text, i) => (i === line.length - 1 ? text : text.padEnd(widths[i]!))).join('  '))
    .join('\n');
};

export interface RenderOptions {
  output: OutputFormat;
  /** `--format id,name,state`: the table's columns. */
  format?: string | undefined;
  noHeader?: boolean | undefined;
}

/** A command's result as text for stdout (ending in a newline), or '' when there is nothing to show. */
export const render = (value: unknown, options: RenderOptions): string => {
  if (value === undefined) return '';
  if (options.output === 'json') return `${JSON.stringify(value, null, 2)}\n`;
  if (options.output === 'yaml') return stringify(value);
  // An object of lists (the database options: engines and sizes) shows as one table per list.
  if (
    isRow(value) &&
    Object.keys(value).length > 1 &&
    Object.values(value).every((v) => Array.isArray(v) && v.every(isRow))
  ) {
    return Object.entries(value)
      .map(([key, list]) => `${header(key)}\n${render(list, options)}`)
      .join('\n');
  }
  const rows = rowsOf(value);
  if (rows.length === 0) return '';
  const columns = options.format
    ? options.format
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean)
    : defaultColumns(rows);
  if (options.format) {
    const known = new Set(rows.flatMap((row) => Object.keys(row)));
    const unknown = columns.filter((c) => !known.has(c));
    if (unknown.length > 0) {
      throw usageError(
        `--format names ${unknown.join(', ')}, which ${unknown.length === 1 ? 'is not a field' : 'are not fields'} here`,
        `Fields: ${[...known].join(', ')}`,
      );
    }
  }
  return `${table(rows, columns, !options.noHeader)}\n`;
};
