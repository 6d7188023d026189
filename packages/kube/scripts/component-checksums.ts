/**
 * Recomputes the SHA-256 of every upstream file the built-in components catalogue pins, from the Go
 * module zip of the file's tag (a Go module proxy serves those where GitHub is unreachable), and
 * compares it with the recorded one.
 *
 *   npm run checksums -w @uncloud/kube            check: exit 1 if a recorded sum is wrong or missing
 *   npm run checksums -w @uncloud/kube -- --write record the sums and refresh the test fixtures
 *
 * GOPROXY (first entry) picks the proxy; zips are cached in $XDG_CACHE_HOME/uncloud-component-checksums.
 * To move a component to a new version: change the version in catalogue.ts, run with --write, review
 * the diff of checksums.ts, run `npx vitest run src/components/checksums.test.ts`.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync, rmSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';
import { unzipSync } from 'fflate';
import { builtinCatalogue } from '../src/components/catalogue.ts';
import { upstreamChecksums } from '../src/components/checksums.ts';
import { sha256Of } from '../src/components/fetch.ts';
import {
  byteChangingAttributes,
  escapeModulePath,
  moduleVersionsOf,
  upstreamFileOf,
  zipEntryOf,
} from '../src/components/module-source.ts';

const here = dirname(fileURLToPath(import.meta.url));
const checksumsFile = join(here, '../src/components/checksums.ts');
const fixturesDir = join(here, '../test/fixtures/upstream');
const write = process.argv.includes('--write');
const proxy = (process.env.GOPROXY ?? 'https://proxy.golang.org')
  .split(/[,|]/)
  .find((p) => p.startsWith('http'))!
  .replace(/\/+$/, '');
const cacheDir = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'uncloud-component-checksums');
mkdirSync(cacheDir, { recursive: true });

type Zip = Record<string, Uint8Array>;
const zips = new Map<string, { version: string; files: Zip } | string>();

/** The module zip of a tag, or why the proxy would not give it. */
const moduleZip = async (module: string, tag: string) => {
  const key = `${module}@${tag}`;
  if (!zips.has(key)) {
    let outcome: { version: string; files: Zip } | string = '';
    for (const version of moduleVersionsOf(tag)) {
      const cached = join(cacheDir, `${escapeModulePath(module).replaceAll('/', '_')}@${version}.zip`);
      if (!existsSync(cached)) {
        const url = `${proxy}/${escapeModulePath(module)}/@v/${escapeModulePath(version)}.zip`;
        const response = await fetch(url, { signal: AbortSignal.timeout(300_000) });
        if (!response.ok) {
          outcome += `${outcome ? '; ' : ''}${url}: HTTP ${response.status} ${(await response.text()).trim().slice(0, 80)}`;
          continue;
        }
        writeFileSync(cached, new Uint8Array(await response.arrayBuffer()));
      }
      const prefix = `${module}@${version}/`;
      const files = unzipSync(readFileSync(cached), {
        filter: (entry) => entry.name.startsWith(prefix) && !entry.name.endsWith('/'),
      });
      outcome = { version, files };
      break;
    }
    zips.set(key, outcome);
  }
  return zips.get(key)!;
};

interface Row {
  url: string;
  status: 'ok' | 'recorded' | 'wrong' | 'unrecorded' | 'unverifiable';
  detail: string;
  sha256?: string;
  bytes?: Uint8Array;
}

const sources = [
  ...new Set(
    Object.values(builtinCatalogue).flatMap((entry) =>
      entry.versions.flatMap((version) => version.sources.map((source) => source.url)),
    ),
  ),
];

const rows: Row[] = [];
for (const url of sources) {
  const file = upstreamFileOf(url);
  const recorded = upstreamChecksums[url];
  if (file.kind === 'release-asset') {
    rows.push({
      url,
      status: 'unverifiable',
      detail: `a release asset of ${file.repo} ${file.tag}, built at release time: in no module zip`,
    });
    continue;
  }
  if (file.kind === 'other') {
    rows.push({ url, status: 'unverifiable', detail: 'not a file at a tag of a GitHub repository' });
    continue;
  }
  const zip = await moduleZip(file.module, file.tag);
  if (typeof zip === 'string') {
    rows.push({ url, status: 'unverifiable', detail: `the proxy would not serve the module: ${zip}` });
    continue;
  }
  const bytes = zip.files[zipEntryOf(file.module, zip.version, file.path)];
  if (!bytes) {
    rows.push({
      url,
      status: 'unverifiable',
      detail: `${file.path} is not in ${file.module}@${zip.version}`,
    });
    continue;
  }
  // A .gitattributes that rewrites bytes in `git archive` would make the zip differ from the blob.
  const directories = file.path.split('/').slice(0, -1);
  const attributes = directories
    .map((_, i) => directories.slice(0, i).join('/'))
    .concat(directories.join('/'))
    .map(
      (dir) =>
        zip.files[zipEntryOf(file.module, zip.version, dir ? `${dir}/.gitattributes` : '.gitattributes')],
    )
    .flatMap((content) => (content ? byteChangingAttributes(new TextDecoder().decode(content)) : []));
  if (attributes.length > 0) {
    rows.push({
      url,
      status: 'unverifiable',
      detail: `${file.module}@${zip.version} has .gitattributes that can change archived bytes (${attributes.join(' | ')}): compare with the blob by hand`,
    });
    continue;
  }
  const sha256 = sha256Of(bytes);
  const from = `${file.module}@${zip.version}`;
  if (recorded === sha256) rows.push({ url, status: 'ok', detail: from, sha256, bytes });
  else if (recorded)
    rows.push({ url, status: 'wrong', detail: `${from} has ${sha256}, recorded ${recorded}`, sha256, bytes });
  else rows.push({ url, status: 'unrecorded', detail: `${from} has ${sha256}`, sha256, bytes });
}

for (const row of rows) console.log(`${row.status.padEnd(12)} ${row.url}\n             ${row.detail}`);
const stale = Object.keys(upstreamChecksums).filter((url) => !sources.includes(url));
for (const url of stale) console.log(`stale        ${url}\n             no catalogue source uses it`);

if (write) {
  const verified = rows.filter((row) => row.sha256);
  const body = verified
    .sort((a, b) => a.url.localeCompare(b.url))
    .map((row) => `  '${row.url}':\n    '${row.sha256}',`)
    .join('\n');
  const header = readFileSync(checksumsFile, 'utf8').split('export const upstreamChecksums')[0]!;
  writeFileSync(
    checksumsFile,
    `${header}export const upstreamChecksums: Record<string, string> = {\n${body}\n};\n`,
  );
  // The verified files themselves, compressed, so tests prove the fetcher accepts them offline.
  if (existsSync(fixturesDir)) rmSync(fixturesDir, { recursive: true });
  for (const row of verified) {
    const { host, pathname } = new URL(row.url);
    const path = join(fixturesDir, host, `${pathname}.br`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(
      path,
      brotliCompressSync(row.bytes!, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24 },
      }),
    );
  }
  console.log(
    `recorded ${verified.length} checksums in ${checksumsFile} and ${readdirSync(fixturesDir).length ? 'their files' : 'no files'} under ${fixturesDir}`,
  );
} else if (rows.some((row) => row.status === 'wrong' || row.status === 'unrecorded') || stale.length > 0) {
  console.error('checksums differ from the module zips: run with --write and review the diff');
  process.exitCode = 1;
}
