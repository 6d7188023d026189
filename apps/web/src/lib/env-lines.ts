import { EnvVarName, issueReason } from '@uncloud/sdk';

/**
 * What is wrong with `KEY=value` lines, naming the line: a name the API refuses, or a name given
 * twice (the API receives an object, so the second would silently win). Null when all is well.
 */
export const envProblem = (text: string): string | null => {
  const seen = new Map<string, number>();
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line.length === 0 || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const name = (eq === -1 ? line : line.slice(0, eq)).trim();
    const at = `Line ${i + 1}`;
    if (name === '') return `${at} has no name before "=": write NAME=value.`;
    const checked = EnvVarName.safeParse(name);
    if (!checked.success) {
      const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
      return `${at}: "${shown}" is not a valid name; ${issueReason(checked.error.issues[0]!)}.`;
    }
    const first = seen.get(name);
    if (first !== undefined) return `${at} sets ${name} again (line ${first}); keep one of them.`;
    seen.set(name, i + 1);
  }
  return null;
};
