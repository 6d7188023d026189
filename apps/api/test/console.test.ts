import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startStack, type Stack } from '@uncloud/api/testing';
import type { DropletId, ProjectId } from '@uncloud/sdk';
import { waitFor } from '@uncloud/testing';

// A droplet's serial console end to end: a WebSocket to the API, proxied to KubeVirt's console
// subresource of the simulated cluster, which answers as a guest would (boot log, login prompt, echo).

let stack: Stack;
let projectId: ProjectId;
let dropletId: DropletId;
beforeAll(async () => {
  stack = await startStack();
  const c = stack.client;
  projectId = (await c.projects.create.mutate({ name: 'consoles' })).id;
  await waitFor(async () => (await c.projects.get.query({ projectId })).state === 'active', {
    timeout: 10_000,
    message: 'project active',
  });
  dropletId = (
    await c.droplets.create.mutate({ projectId, name: 'box', size: 's-1vcpu-1gb', image: 'debian-12' })
  ).id;
  await waitFor(async () => (await c.droplets.get.query({ projectId, id: dropletId })).state === 'active', {
    timeout: 10_000,
    message: 'droplet active',
  });
});
afterAll(() => stack.close());

const consoleUrl = (project: string, droplet: string) =>
  `${stack.url.replace(/^http/, 'ws')}/api/console/${project}/droplets/${droplet}`;

/** As the dashboard does: the token as an offered subprotocol, since a browser sets no headers. */
const open = (token: string | null, project: string = projectId, droplet: string = dropletId) =>
  new WebSocket(consoleUrl(project, droplet), [
    'uncloud.console.v1',
    ...(token ? [`bearer.${Buffer.from(token).toString('base64url')}`] : []),
  ]);

const readUntil = (ws: WebSocket, text: string) =>
  new Promise<string>((resolve, reject) => {
    let seen = '';
    ws.on('message', (data: Buffer) => {
      seen += data.toString();
      if (seen.includes(text)) resolve(seen);
    });
    ws.on('error', reject);
    ws.on('close', (code, reason) => reject(new Error(`closed ${code} ${reason.toString()}`)));
  });

const refusedWith = (ws: WebSocket) =>
  new Promise<number>((resolve, reject) => {
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => reject(new Error('the console opened')));
  });

describe("a droplet's serial console", () => {
  it('shows the boot log and the login prompt, and echoes what is typed', async () => {
    const ws = open(stack.adminToken);
    const boot = await readUntil(ws, 'login: ');
    expect(boot).toContain('Linux version');
    // The token offered as a subprotocol is never echoed back: the server picks the console's.
    expect(ws.protocol).toBe('uncloud.console.v1');
    const echoed = readUntil(ws, 'root\r\n');
    ws.send('root\r');
    expect(await echoed).toContain('root');
    ws.close();
  });

  it('takes the token as an Authorization header too, for scripts', async () => {
    const ws = new WebSocket(consoleUrl(projectId, dropletId), {
      headers: { authorization: `Bearer ${stack.adminToken}` },
    });
    expect(await readUntil(ws, 'login: ')).toContain('login: ');
    ws.close();
  });

  it('refuses without a token, to viewers and read-only tokens, and for droplets it cannot see', async () => {
    expect(await refusedWith(open(null))).toBe(401);
    const c = stack.client;
    const viewer = await c.users.create.mutate({ name: 'console-viewer' });
    await c.projects.addMember.mutate({ projectId, userId: viewer.user.id, role: 'viewer' });
    expect(await refusedWith(open(viewer.token.token))).toBe(403);
    const readOnly = await c.tokens.create.mutate({ name: 'ro', readOnly: true });
    expect(await refusedWith(open(readOnly.token))).toBe(403);
    const stranger = await c.users.create.mutate({ name: 'console-stranger' });
    expect(await refusedWith(open(stranger.token.token))).toBe(404);
    expect(await refusedWith(open(stack.adminToken, projectId, 'dpl_00000000000000000000'))).toBe(404);
  });

  it('closes with the reason when the droplet is powered off', async () => {
    const c = stack.client;
    const off = (
      await c.droplets.create.mutate({
        projectId,
        name: 'off',
        size: 's-1vcpu-1gb',
        image: 'debian-12',
      })
    ).id;
    await c.droplets.powerOff.mutate({ projectId, id: off });
    await waitFor(async () => (await c.droplets.get.query({ projectId, id: off })).state === 'stopped', {
      timeout: 10_000,
      message: 'droplet stopped',
    });
    const ws = open(stack.adminToken, projectId, off);
    const closed = await new Promise<{ code: number; reason: string }>((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    expect(closed.code).toBe(4000);
    expect(closed.reason).toMatch(/not available/);
  });
});
