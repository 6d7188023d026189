const detailsOf = (error: unknown): { code?: string; message: string } => {
  const e = error as
    { code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } } | undefined;
  const source = typeof e?.code === 'string' ? e : (e?.cause ?? e);
  return {
    code: typeof source?.code === 'string' ? source.code : undefined,
    message: typeof source?.message === 'string' ? source.message : '',
  };
};

/**
 * Runs a write, turning a unique-constraint failure into CONFLICT. `messages` maps the column that
 * makes a row unique (the last one SQLite names in its error) to the message to report, and
 * optionally to the input field that carries it when that is not the column itself.
 */
export const uniquely = <T>(
  write: () => T,
  messages: Record<string, string | { message: string; field: string }>,
): T => {
  try {
    return write();
  } catch (error) {
    const { code, message } = detailsOf(error);
    if (code !== 'SQLITE_CONSTRAINT_UNIQUE' && code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw error;
    const column = /\.(\w+)$/.exec(message)?.[1] ?? '';
    const field = column.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
    const known = messages[field];
    if (typeof known === 'object') throw conflict(known.message, known.field);
    throw conflict(known ?? 'a resource with these values already exists', field || undefined);
  }
};
import { conflict } from '@uncloud/sdk';
