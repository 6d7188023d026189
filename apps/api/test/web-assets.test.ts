import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import { type RunningServer, startServer } from '../src/server.ts';

/** A GET with exactly these headers (fetch would add and undo its own Accept-Encoding). */
const get = (url: string, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
    (resolve, reject) => {
      request(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      })
        .on('error', reject)
        .end();
    },
  );

describe('the dashboard files', () => {
  let dir: string;
  let server: RunningServer;
  const script = `export const answer = ${JSON.stringify('forty-two '.repeat(500))};\n`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'uncloud-web-'));
    const web = join(dir, 'web');
    mkdirSync(join(web, 'assets'), { recursive: true });
    writeFileSync(join(web, 'index.html'), '<!doctype html><script src="/assets/index-Abc123.js"></script>');
    writeFileSync(join(web, 'assets', 'index-Abc123.js'), script);
    server = await startServer(
      {
        port: 0,
        host: '127.0.0.1',
        databasePath: join(dir, 'uncloud.db'),
        adminToken: 'web-assets-admin-token',
        webDir: web,
        cluster: false,
      },
      createLogger('silent', false),
    );
  });
  afterAll(async () => {
    await server.close(1000);
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets caches keep hashed files for a year, and sends them compressed', async () => {
    const res = await get(`${server.url}/assets/index-Abc123.js`, { 'accept-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.body.length).toBeLessThan(script.length / 5);
    expect(gunzipSync(res.body).toString()).toBe(script);
  });

  it('sends them as they are to a client that takes no compression', async () => {
    const res = await get(`${server.url}/assets/index-Abc123.js`);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.toString()).toBe(script);
  });

  it('has index.html asked for again every time, at / and at client-side routes', async () => {
    for (const path of ['/', '/index.html', '/projects/proj_x/droplets']) {
      const res = await get(`${server.url}${path}`, { 'accept-encoding': 'gzip' });
      expect(res.status, path).toBe(200);
      expect(res.headers['cache-control'], path).toBe('no-cache');
    }
  });

  it('leaves API answers out of every cache, whatever the dashboard rules', async () => {
    const res = await get(`${server.url}/trpc/sizes.list`, { 'accept-encoding': 'gzip' });
    expect(res.headers['cache-control']).toBe('no-store');
  });
});
