import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import { isUncloudError } from '@uncloud/sdk';
import { waitFor } from '@uncloud/testing';
import { createLogger } from '../src/logger.ts';
import { startServer, type RunningServer } from '../src/server.ts';
import { requireSendFrom, halfOpen, raw } from './http.ts';

// Callers that must not share an address with the signed-in admin on 127.0.0.1.
await requireSendFrom('127.0.0.2');

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ cluster: false });
});
afterAll(() => stack.close());

const admin = () => ({ authorization: `Bearer ${stack.adminToken}` });
const json = { 'content-type': 'application/json' };

describe('request metrics', () => {
  it('label made-up procedures with one `unknown` route, whatever their number', async () => {
    for (let i = 0; i < 300; i++) {
      await raw(`${stack.url}/trpc/x${i}${'y'.repeat(i)}`);
    }
    await raw(`${stack.url}/trpc/a,b,c?batch=1`);
    await fetch(`${stack.url}/trpc/auth.whoami`, { headers: admin() });
    const text = await (await fetch(`${stack.url}/metrics`)).text();
    const routes = new Set(
      [...text.matchAll(/uncloud_http_request_duration_seconds_count\{[^}]*route="([^"]+)"/g)].map(
        (m) => m[1],
      ),
    );
    expect(routes).toContain('trpc:unknown');
    expect(routes).toContain('trpc:auth.whoami');
    expect([...routes].filter((route) => route!.startsWith('trpc:x'))).toEqual([]);
    expect(routes.size).toBeLessThan(10);
    expect(text).toMatch(
      /uncloud_http_request_duration_seconds_count\{method="GET",route="trpc:unknown",status="404"\} 30[01]/,
    );
  });
});

describe('request bodies and batches', () => {
  it('refuses a body over the limit with 413, naming the limit, through the SDK too', async () => {
    const error = await stack.client.tokens.create
      .mutate({ name: 'x'.repeat(3 * 1024 * 1024) })
      .catch((e: unknown) => e);
    expect(isUncloudError(error, 'PAYLOAD_TOO_LARGE')).toBe(true);
    expect(error).toMatchObject({ httpStatus: 413, message: expect.stringContaining('2 MiB') as string });
  });

  it('refuses a lying Content-Length at once, without waiting for the body', async () => {
    const started = Date.now();
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = requestWithBody(`${stack.url}/trpc/tokens.create`, {
        'content-type': 'application/json',
        'content-length': String(300 * 1024 * 1024),
        ...admin(),
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.write('{"name":"' + 'x'.repeat(64 * 1024));
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { data: { code: 'PAYLOAD_TOO_LARGE' } } });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses a streamed body as soon as it passes the limit', async () => {
    const answer = await new Promise<number>((resolve, reject) => {
      const req = requestWithBody(`${stack.url}/trpc/tokens.create`, { ...json, ...admin() });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      const chunk = 'x'.repeat(512 * 1024);
      req.write('{"name":"');
      for (let i = 0; i < 8; i++) req.write(chunk);
      req.end('"}');
    });
    expect(answer).toBe(413);
  });

  it('refuses batches of more than 50 calls, GET or POST, and runs none of their calls', async () => {
    const paths = (name: string, n: number) => Array.from({ length: n }, () => name).join(',');
    const inputs = (n: number, input: unknown) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i), input]));
    const query = (n: number) =>
      raw(
        `${stack.url}/trpc/${paths('sizes.list', n)}?batch=1&input=${encodeURIComponent(JSON.stringify(inputs(n, {})))}`,
        {
          headers: admin(),
        },
      );
    expect((await query(50)).status).toBe(200);
    const big = await query(51);
    expect(big.status).toBe(400);
    expect(big.error()).toMatchObject({
      message: expect.stringContaining('at most 50 calls') as string,
      data: { code: 'BAD_REQUEST' },
    });

    const before = (await stack.client.tokens.list.query()).length;
    const creates = await raw(`${stack.url}/trpc/${paths('tokens.create', 500)}?batch=1`, {
      method: 'POST',
      headers: { ...json, ...admin() },
      body: JSON.stringify(inputs(500, { name: 'flood' })),
    });
    expect(creates.status).toBe(400);
    expect(creates.error().data.code).toBe('BAD_REQUEST');
    expect((await stack.client.tokens.list.query()).length).toBe(before);
  });
});

describe('answers a browser or a cache could misuse', () => {
  it('marks every /trpc answer no-store, successes and failures alike', async () => {
    const answers = [
      await raw(`${stack.url}/trpc/auth.whoami`, { headers: admin() }),
      await raw(`${stack.url}/trpc/auth.whoami`),
      await raw(`${stack.url}/trpc/tokens.create`, {
        method: 'POST',
        headers: { ...json, ...admin() },
        body: JSON.stringify({ name: 'x'.repeat(3 * 1024 * 1024) }),
      }),
      await raw(`${stack.url}/trpc/tokens.create`, { method: 'OPTIONS' }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 401, 413, 405]);
    for (const answer of answers) expect(answer.headers['cache-control']).toBe('no-store');
  });

  it('answers a CORS preflight with 405 METHOD_NOT_SUPPORTED, not an internal error', async () => {
    const answer = await raw(`${stack.url}/trpc/projects.create`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('GET, POST');
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(answer.error()).toMatchObject({
      message: expect.stringContaining('cross-origin') as string,
      data: { code: 'METHOD_NOT_SUPPORTED', httpStatus: 405 },
    });
  });

  it('answers a text/plain POST with 415 UNSUPPORTED_MEDIA_TYPE, saying what to send', async () => {
    const answer = await raw(`${stack.url}/trpc/projects.create`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...admin() },
      body: '{"name":"sneaky"}',
    });
    expect(answer.status).toBe(415);
    expect(answer.error()).toMatchObject({
      message: expect.stringContaining('application/json') as string,
      data: { code: 'UNSUPPORTED_MEDIA_TYPE', httpStatus: 415 },
    });
  });

  it('sends security headers with the API', async () => {
    for (const path of ['/healthz', '/trpc/auth.whoami']) {
      const { headers } = await raw(`${stack.url}${path}`);
      expect(headers).toMatchObject({
        'x-frame-options': 'DENY',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
      expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
  });
});

describe('failed sign-ins', () => {
  it('are limited per address with 429 and Retry-After; callers who sign in are unaffected', async () => {
    const wrong = (from: string, token = 'uc_not-a-real-token') =>
      raw(`${stack.url}/trpc/auth.whoami`, {
        headers: { authorization: `Bearer ${token}` },
        localAddress: from,
      });
    // A batch is one attempt, however many calls it holds.
    const batch = await raw(`${stack.url}/trpc/auth.whoami,auth.whoami,auth.whoami?batch=1`, {
      headers: { authorization: 'Bearer uc_not-a-real-token' },
      localAddress: '127.0.0.2',
    });
    expect(batch.status).toBe(401);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await wrong('127.0.0.2')).status);
    expect(statuses).toEqual([...Array<number>(9).fill(401), 429, 429, 429]);

    const refused = await wrong('127.0.0.2');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.error()).toMatchObject({
      message: expect.stringMatching(/Too many failed sign-ins .* try again in \d+ s/) as string,
      data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429 },
    });
    // The address is out of attempts, good token or not; everyone else signs in as before.
    expect((await wrong('127.0.0.2', stack.adminToken)).status).toBe(429);
    expect((await wrong('127.0.0.3', stack.adminToken)).status).toBe(200);
    expect((await wrong('127.0.0.3')).status).toBe(401);
    expect((await stack.client.auth.whoami.query()).user.name).toBe('admin');
  });
});

describe('slow clients', () => {
  let server: RunningServer;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'uncloud-slow-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Uncloud</title>');
    server = await startServer(
      {
        port: 0,
        host: '127.0.0.1',
        databasePath: join(dir, 'uncloud.db'),
        adminToken: 'slow-clients-admin-token',
        webDir: dir,
        cluster: false,
        limits: { headersTimeoutMs: 1000, maxConnectionsPerAddress: 20 },
      },
      createLogger('silent', false),
    );
  });
  afterAll(async () => {
    await server.close(1000);
    rmSync(dir, { recursive: true, force: true });
  });

  it('drops a connection whose headers never finish within seconds', async () => {
    const { closed } = await halfOpen(server.port, '127.0.0.2');
    expect(await closed).toBeLessThan(3000);
  });

  it('keeps answering /healthz while one address holds connections half-open', async () => {
    const held = await Promise.all(Array.from({ length: 40 }, () => halfOpen(server.port, '127.0.0.4')));
    // Twenty at most from one address: the rest are closed at once, the twenty stay until their deadline.
    await waitFor(() => held.filter((h) => h.isClosed()).length === 20, { timeout: 500 });
    const started = Date.now();
    const health = await raw(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(held.filter((h) => !h.isClosed())).toHaveLength(20);
    await Promise.all(held.map((h) => h.closed));
  });

  it('sends the dashboard with a content security policy that forbids framing', async () => {
    const page = await raw(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Uncloud</title>');
    const csp = page.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers['x-frame-options']).toBe('DENY');
  });
});

/** A POST whose body the test writes itself. */
const requestWithBody = (url: string, headers: Record<string, string>) =>
  httpRequest(url, { method: 'POST', headers, agent: false });
