import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startStack, type Stack } from '@uncloud/api/testing';
import type { DropletId, ProjectId } from '@uncloud/sdk';
import { waitFor } from '@uncloud/testing';

// A droplet's screen end to end: a WebSocket to the API, proxied to KubeVirt's `vnc` subresource of
// the simulated cluster, which speaks RFB 3.8 (RFC 6143) as QEMU's VNC server does: the handshake,
// security type None, the server's init with the framebuffer's size, and a Raw framebuffer update.

let stack: Stack;
let projectId: ProjectId;
let dropletId: DropletId;
beforeAll(async () => {
  stack = await startStack();
  const c = stack.client;
  projectId = (await c.projects.create.mutate({ name: 'screens' })).id;
  dropletId = (
    await c.droplets.create.mutate({ projectId, name: 'box', size: 's-1vcpu-1gb', image: 'debian-12' })
  ).id;
  await waitFor(async () => (await c.droplets.get.query({ projectId, id: dropletId })).state === 'active', {
    timeout: 20_000,
    message: 'droplet active',
  });
});
afterAll(() => stack.close());

const vncUrl = (droplet: string = dropletId) =>
  `${stack.url.replace(/^http/, 'ws')}/api/vnc/${projectId}/droplets/${droplet}`;

/** Reads RFB bytes as they come, however the WebSocket frames cut them. */
const reader = (ws: WebSocket) => {
  let buffered = Buffer.alloc(0);
  let wake: (() => void) | undefined;
  ws.on('message', (data: Buffer) => {
    buffered = Buffer.concat([buffered, data]);
    wake?.();
  });
  ws.on('close', () => wake?.());
  return async (n: number): Promise<Buffer> => {
    const deadline = Date.now() + 10_000;
    while (buffered.length < n) {
      if (ws.readyState === ws.CLOSED || Date.now() > deadline)
        throw new Error(`wanted ${n} bytes, have ${buffered.length}`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 100);
      });
    }
    const out = buffered.subarray(0, n);
    buffered = buffered.subarray(n);
    return out;
  };
};

const opened = (ws: WebSocket) =>
  new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
    ws.once('error', reject);
  });

describe("a droplet's screen (VNC)", () => {
  it('speaks RFB 3.8 through the API: handshake, init and a framebuffer update', async () => {
    const ws = new WebSocket(vncUrl(), [
      'binary',
      `bearer.${Buffer.from(stack.adminToken).toString('base64url')}`,
    ]);
    const read = reader(ws);
    await opened(ws);
    expect((await read(12)).toString('latin1')).toBe('RFB 003.008\n');
    ws.send(Buffer.from('RFB 003.008\n'));
    // Security types: one, None (1).
    expect([...(await read(2))]).toEqual([1, 1]);
    ws.send(Buffer.from([1]));
    expect((await read(4)).readUInt32BE(0)).toBe(0);
    ws.send(Buffer.from([1])); // ClientInit, shared
    const init = await read(24);
    const [width, height] = [init.readUInt16BE(0), init.readUInt16BE(2)];
    expect({ width, height, bitsPerPixel: init[4], trueColour: init[7] }).toEqual({
      width: 64,
      height: 48,
      bitsPerPixel: 32,
      trueColour: 1,
    });
    const name = (await read(init.readUInt32BE(20))).toString('utf8');
    expect(name).toBe(dropletId.replace('_', '-'));

    // SetEncodings (Raw), then a full, non-incremental FramebufferUpdateRequest.
    ws.send(Buffer.from([2, 0, 0, 1, 0, 0, 0, 0]));
    const request = Buffer.alloc(10);
    request.writeUInt8(3, 0);
    request.writeUInt16BE(width, 6);
    request.writeUInt16BE(height, 8);
    ws.send(request);
    const update = await read(4 + 12);
    expect(update[0]).toBe(0);
    expect(update.readUInt16BE(2)).toBe(1);
    expect([update.readUInt16BE(8), update.readUInt16BE(10), update.readInt32BE(12)]).toEqual([64, 48, 0]);
    const pixels = await read(width * height * 4);
    expect(pixels.length).toBe(64 * 48 * 4);
    ws.close();
  });

  it('is refused to viewers, as the console is', async () => {
    const c = stack.client;
    const viewer = await c.users.create.mutate({ name: 'screen-viewer' });
    await c.projects.addMember.mutate({ projectId, userId: viewer.user.id, role: 'viewer' });
    const ws = new WebSocket(vncUrl(), { headers: { authorization: `Bearer ${viewer.token.token}` } });
    await expect(opened(ws)).rejects.toThrow('refused 403');
  });
});
