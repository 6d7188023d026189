// Duplicate keys in a JSON request body, which kube-apiserver's strict decoder reports
// (`duplicate field "data.key"`) and JSON.parse silently collapses to the last one. Found with
// jsonc-parser's visitor (a maintained JSON scanner that sees every key as written) rather than a
// hand-written parser.
import { visit, type JSONPath } from 'jsonc-parser';

/** A path as the API server prints it: `spec.containers[0].name`. */
function pathText(path: JSONPath, key: string): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : `${out ? '.' : ''}${seg}`;
  return `${out}${out ? '.' : ''}${key}`;
}

/** The dotted paths of every key that appears twice in one object, in document order. */
export function duplicateFields(raw: string): string[] {
  const found: string[] = [];
  const keys: Set<string>[] = [];
  visit(raw, {
    onObjectBegin: () => {
      keys.push(new Set());
    },
    onObjectEnd: () => {
      keys.pop();
    },
    onObjectProperty: (property, _offset, _length, _line, _col, pathSupplier) => {
      const seen = keys[keys.length - 1];
      if (!seen) return;
      if (seen.has(property)) found.push(pathText(pathSupplier(), property));
      else seen.add(property);
    },
  });
  return found;
}
