/**
 * Where a pinned upstream file can be checked without GitHub: a file at a tag of a repository is
 * also in the Go module zip of that tag, which a Go module proxy serves (the zip holds the tagged
 * tree byte for byte, as `git archive` writes it). A release asset (`…/releases/download/…`) is built
 * at release time and is in no repository, so no module zip holds it.
 */
export type UpstreamFile =
  | { kind: 'repository-file'; repo: string; tag: string; path: string; module: string }
  | { kind: 'release-asset'; repo: string; tag: string; file: string }
  | { kind: 'other' };

// Repositories whose Go module path is not github.com/<owner>/<repo> (their vanity imports).
const MODULE_PATHS: Record<string, string> = {
  'kubevirt/kubevirt': 'kubevirt.io/kubevirt',
  'kubevirt/containerized-data-importer': 'kubevirt.io/containerized-data-importer',
  'kubernetes-sigs/metrics-server': 'sigs.k8s.io/metrics-server',
};

/** The module path of a GitHub repository (owner/name). */
export const modulePathOf = (repo: string): string => MODULE_PATHS[repo] ?? `github.com/${repo}`;

/** Classifies a catalogue source URL. */
export const upstreamFileOf = (url: string): UpstreamFile => {
  const { host, pathname } = new URL(url);
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (host === 'raw.githubusercontent.com' && parts.length >= 4) {
    const [owner, name, tag, ...path] = parts as [string, string, string, ...string[]];
    const repo = `${owner}/${name}`;
    return { kind: 'repository-file', repo, tag, path: path.join('/'), module: modulePathOf(repo) };
  }
  if (host === 'github.com' && parts.length === 6 && parts[2] === 'releases' && parts[3] === 'download') {
    const [owner, name, , , tag, file] = parts as [string, string, string, string, string, string];
    return { kind: 'release-asset', repo: `${owner}/${name}`, tag, file };
  }
  return { kind: 'other' };
};

/** A module path or version as the proxy protocol spells it: each upper-case letter as `!` + lower. */
export const escapeModulePath = (path: string): string =>
  path.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);

/**
 * The versions a tag may be published under: the tag itself, and for a v2+ tag of a repository
 * without a `/vN` module path, `+incompatible` (repositories without a go.mod, or not on `/vN`).
 */
export const moduleVersionsOf = (tag: string): string[] => {
  const major = /^v(\d+)\./.exec(tag)?.[1];
  return major !== undefined && Number(major) >= 2 ? [tag, `${tag}+incompatible`] : [tag];
};

/** The name of a repository file inside its module zip. */
export const zipEntryOf = (module: string, version: string, path: string) => `${module}@${version}/${path}`;

/**
 * Lines of `.gitattributes` that could make `git archive` (hence the module zip) differ from the blob
 * raw.githubusercontent.com serves: keyword expansion, filters, end-of-line conversion, exclusion.
 */
export const byteChangingAttributes = (gitattributes: string): string[] =>
  gitattributes
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .filter((line) =>
      line
        .split(/\s+/)
        .slice(1)
        .some((attribute) =>
          /^(export-subst|export-ignore|ident|filter=|eol=|-?text\b|-?crlf)/.test(attribute),
        ),
    );
