import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinCatalogue } from './catalogue.ts';
import { upstreamChecksums } from './checksums.ts';
import { fetchSource, sha256Of } from './fetch.ts';
import { parseManifests } from './manifests.ts';
import {
  byteChangingAttributes,
  escapeModulePath,
  moduleVersionsOf,
  upstreamFileOf,
  zipEntryOf,
} from './module-source.ts';

// The verified upstream files, as scripts/component-checksums.ts wrote them from the module zips.
const fixtures = new URL('../../test/fixtures/upstream/', import.meta.url);
const fixtureOf = (url: string) => {
  const { host, pathname } = new URL(url);
  return new Uint8Array(brotliDecompressSync(readFileSync(new URL(`${host}${pathname}.br`, fixtures))));
};

const sources = Object.values(builtinCatalogue).flatMap((entry) =>
  entry.versions.flatMap((version) =>
    version.sources.map((source) => ({ component: entry.name, version: version.version, ...source })),
  ),
);
const verified = sources.filter((source) => source.sha256 !== null);

let server: Server;
let mirror: string;
const served = new Map<string, Uint8Array>();

beforeAll(async () => {
  // A mirror laid out as UNCLOUD_COMPONENTS_MIRROR is: <mirror>/<upstream host>/<upstream path>.
  server = createServer((req, res) => {
    const bytes = served.get(req.url ?? '');
    if (bytes) res.writeHead(200, { 'content-type': 'application/yaml' }).end(bytes);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const serve = (url: string, bytes: Uint8Array) => {
  const { host, pathname } = new URL(url);
  served.set(`/${host}${pathname}`, bytes);
};

describe("the built-in catalogue's recorded checksums", () => {
  it('are 64 lower-case hex digits, each for a file at a tag of a repository', () => {
    expect(Object.keys(upstreamChecksums).length).toBeGreaterThan(0);
    for (const [url, sum] of Object.entries(upstreamChecksums)) {
      expect(sum, url).toMatch(/^[0-9a-f]{64}$/);
      const file = upstreamFileOf(url);
      expect(file.kind, url).toBe('repository-file');
      // A tag, never a branch: a branch moves and the sum would stop matching.
      if (file.kind === 'repository-file') expect(file.tag, url).toMatch(/^v\d+\.\d+\.\d+$/);
    }
  });

  it('are each used by a catalogue source, and every source with a sum uses the recorded one', () => {
    const urls = new Set(sources.map((source) => source.url));
    expect(Object.keys(upstreamChecksums).filter((url) => !urls.has(url))).toEqual([]);
    for (const source of verified) expect(source.sha256, source.url).toBe(upstreamChecksums[source.url]);
  });

  it('cover CloudNativePG and prometheus-operator, and not the release assets no repository holds', () => {
    expect(new Set(verified.map((source) => source.component))).toEqual(new Set(['cnpg', 'prometheus']));
    for (const source of sources.filter((s) => upstreamFileOf(s.url).kind === 'release-asset'))
      expect(source.sha256, source.url).toBeNull();
  });

  it('are the sums of the fixture files, which are the manifests they claim to be', () => {
    for (const source of verified) {
      const bytes = fixtureOf(source.url);
      expect(sha256Of(bytes), source.url).toBe(source.sha256);
      const objects = parseManifests(new TextDecoder().decode(bytes), source.url);
      const kinds = new Set(objects.map((o) => o.kind));
      expect(kinds.has('CustomResourceDefinition') && kinds.has('Deployment'), source.url).toBe(true);
    }
  });
});

describe('the fetcher and the recorded checksums', () => {
  it('accepts exactly the upstream bytes of every verified source', async () => {
    for (const source of verified) {
      const bytes = fixtureOf(source.url);
      serve(source.url, bytes);
      const text = await fetchSource(source, { mirror });
      expect(sha256Of(text), source.url).toBe(source.sha256);
    }
  });

  it('refuses the same file with one byte changed', async () => {
    for (const source of verified) {
      const bytes = fixtureOf(source.url);
      const changed = bytes.slice();
      changed[changed.length - 2] = changed.at(-2) === 0x20 ? 0x0a : 0x20;
      serve(source.url, changed);
      await expect(fetchSource(source, { mirror }), source.url).rejects.toThrow(
        `not the recorded ${source.sha256}: refusing to apply it`,
      );
    }
  });
});

describe('where an upstream file can be checked', () => {
  it('maps a raw file at a tag to its module zip entry, vanity paths included', () => {
    expect(
      upstreamFileOf(
        'https://raw.githubusercontent.com/cloudnative-pg/cloudnative-pg/v1.28.0/releases/cnpg-1.28.0.yaml',
      ),
    ).toEqual({
      kind: 'repository-file',
      repo: 'cloudnative-pg/cloudnative-pg',
      tag: 'v1.28.0',
      path: 'releases/cnpg-1.28.0.yaml',
      module: 'github.com/cloudnative-pg/cloudnative-pg',
    });
    const file = upstreamFileOf(
      'https://raw.githubusercontent.com/kubevirt/kubevirt/v1.7.0/manifests/x.yaml',
    );
    expect(file).toMatchObject({ module: 'kubevirt.io/kubevirt', path: 'manifests/x.yaml' });
    expect(zipEntryOf('kubevirt.io/kubevirt', 'v1.7.0', 'manifests/x.yaml')).toBe(
      'kubevirt.io/kubevirt@v1.7.0/manifests/x.yaml',
    );
  });

  it('knows a release asset is in no repository', () => {
    expect(
      upstreamFileOf('https://github.com/kubevirt/kubevirt/releases/download/v1.7.0/kubevirt-operator.yaml'),
    ).toEqual({
      kind: 'release-asset',
      repo: 'kubevirt/kubevirt',
      tag: 'v1.7.0',
      file: 'kubevirt-operator.yaml',
    });
    expect(upstreamFileOf('https://example.com/a.yaml')).toEqual({ kind: 'other' });
  });

  it('spells module paths and versions as the proxy protocol does', () => {
    expect(escapeModulePath('github.com/BurntSushi/toml')).toBe('github.com/!burnt!sushi/toml');
    expect(moduleVersionsOf('v0.85.0')).toEqual(['v0.85.0']);
    expect(moduleVersionsOf('v1.8.1')).toEqual(['v1.8.1']);
    expect(moduleVersionsOf('v2.1.0')).toEqual(['v2.1.0', 'v2.1.0+incompatible']);
  });

  it('flags .gitattributes lines that would make the archived bytes differ from the blob', () => {
    const attributes = [
      '# comment',
      'bundle.yaml linguist-generated=true',
      'vendor/* linguist-vendored',
      '*.sh text eol=lf',
      'VERSION export-subst',
      'docs/ export-ignore',
    ].join('\n');
    expect(byteChangingAttributes(attributes)).toEqual([
      '*.sh text eol=lf',
      'VERSION export-subst',
      'docs/ export-ignore',
    ]);
  });
});
