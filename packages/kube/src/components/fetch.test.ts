import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchSource, sha256Of, sourceLocation } from './fetch.ts';

const body = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n';
let server: Server;
let base: string;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.url ?? '');
    if (req.url?.endsWith('/missing.yaml')) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/yaml' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('fetching a pinned source', () => {
  it('returns the file when its sha256 is the recorded one', async () => {
    await expect(fetchSource({ url: `${base}/ok.yaml`, sha256: sha256Of(body) })).resolves.toBe(body);
  });

  it('refuses a file whose checksum differs, saying both', async () => {
    const wrong = '0'.repeat(64);
    await expect(fetchSource({ url: `${base}/ok.yaml`, sha256: wrong })).rejects.toThrow(
      new RegExp(`checksum of .* is ${sha256Of(body)}, not the recorded ${wrong}: refusing`),
    );
  });

  it('refuses a source without a recorded checksum before fetching it', async () => {
    const before = seen.length;
    await expect(fetchSource({ url: `${base}/unverified.yaml`, sha256: null })).rejects.toThrow(
      /no checksum is recorded .*UNCLOUD_COMPONENTS_CATALOGUE/,
    );
    expect(seen.length).toBe(before);
  });

  it('says what failed for an HTTP error or an unreachable server', async () => {
    await expect(fetchSource({ url: `${base}/missing.yaml`, sha256: sha256Of(body) })).rejects.toThrow(
      /HTTP 404/,
    );
    await expect(fetchSource({ url: 'http://127.0.0.1:1/x.yaml', sha256: sha256Of(body) })).rejects.toThrow(
      /could not fetch http:\/\/127\.0\.0\.1:1\/x\.yaml: .*UNCLOUD_COMPONENTS_MIRROR/,
    );
  });

  it('fetches from the mirror under the upstream host and path', async () => {
    const upstream = 'https://github.com/kubevirt/kubevirt/releases/download/v1.7.0/kubevirt-operator.yaml';
    expect(sourceLocation(upstream, `${base}/mirror/`)).toBe(
      `${base}/mirror/github.com/kubevirt/kubevirt/releases/download/v1.7.0/kubevirt-operator.yaml`,
    );
    await expect(
      fetchSource({ url: upstream, sha256: sha256Of(body) }, { mirror: `${base}/mirror` }),
    ).resolves.toBe(body);
    expect(seen.at(-1)).toBe(
      '/mirror/github.com/kubevirt/kubevirt/releases/download/v1.7.0/kubevirt-operator.yaml',
    );
  });
});
