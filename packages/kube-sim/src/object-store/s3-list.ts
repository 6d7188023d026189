// ListObjects (v1 and v2) over a bucket's sorted keys: prefix, delimiter (keys that share what lies
// before it are rolled up into one common prefix), a start after a key or continuation token, and
// max-keys entries (keys and common prefixes together) per page, as S3 pages them.

export interface ListPage {
  keys: string[];
  commonPrefixes: string[];
  truncated: boolean;
  /** The last entry of the page (a key or a common prefix): where the next page starts after. */
  last: string | undefined;
}

export function listPage(
  sortedKeys: string[],
  options: { prefix: string; delimiter: string; after: string; maxKeys: number },
): ListPage {
  const { prefix, delimiter, after, maxKeys } = options;
  const page: ListPage = { keys: [], commonPrefixes: [], truncated: false, last: undefined };
  let entries = 0;
  for (const key of sortedKeys) {
    if (!key.startsWith(prefix) || (after && key <= after)) continue;
    const rest = key.slice(prefix.length);
    const at = delimiter ? rest.indexOf(delimiter) : -1;
    const common = at >= 0 ? prefix + rest.slice(0, at + delimiter.length) : undefined;
    // A common prefix is one entry, however many keys it holds; one already given is not again.
    if (common && (common === page.last || (after && after.startsWith(common)))) continue;
    if (entries === maxKeys) {
      page.truncated = true;
      break;
    }
    entries++;
    if (common) page.commonPrefixes.push(common);
    else page.keys.push(key);
    page.last = common ?? key;
  }
  return page;
}
