// A droplet's boot log through the API on the simulated cluster: read from its serial console
// (KubeVirt's `console` subresource), kernel to login prompt, for members only, and refused with
// what to do while the droplet is off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import type { Droplet, ProjectId, UncloudClient } from '@uncloud/sdk';
import { failure } from './errors.ts';

let stack: Stack;
let c: UncloudClient;
let projectId: ProjectId;
let droplet: Droplet;
const wait = { timeoutMs: 20_000, intervalMs: 50 };

beforeAll(async () => {
  stack = await startStack();
  c = stack.client;
  projectId = (await c.projects.create.mutate({ name: 'booting', description: '' })).id;
  droplet = await c.droplets.create.mutate({
    projectId,
    name: 'box',
    size: 's-1vcpu-1gb',
    image: 'debian-12',
  });
  await c.waitFor(c.droplets, { projectId, id: droplet.id }, 'active', wait);
});
afterAll(() => stack?.close());

describe("a droplet's boot log", { timeout: 60_000 }, () => {
  it('is what its serial console printed, from the kernel to the login prompt', async () => {
    const log = await c.droplets.bootLog.query({ projectId, id: droplet.id });
    expect(log.dropletId).toBe(droplet.id);
    expect(log.lines[0]).toMatch(/Linux version/);
    expect(log.lines.some((l) => l.includes('cloud-init'))).toBe(true);
    expect(log.lines.at(-1)).toBe(`${droplet.id.replace('_', '-')} login: `);
    expect(log.lines.every((l) => !l.includes('\r'))).toBe(true);
    expect(Date.parse(log.capturedAt)).toBeLessThanOrEqual(Date.now());
  });

  it('is for members: a viewer is refused, as for the console', async () => {
    const viewer = await c.users.create.mutate({ name: 'boot-viewer' });
    await c.projects.addMember.mutate({ projectId, userId: viewer.user.id, role: 'viewer' });
    const refused = await failure(
      stack.clientWith(viewer.token.token).droplets.bootLog.query({ projectId, id: droplet.id }),
    );
    expect(refused.data.code).toBe('FORBIDDEN');
  });

  it('says to power the droplet on while it is off', async () => {
    await c.waitForAction(await c.droplets.powerOff.mutate({ projectId, id: droplet.id }), wait);
    const off = await failure(c.droplets.bootLog.query({ projectId, id: droplet.id }));
    expect(off.data).toMatchObject({ code: 'CONFLICT', field: 'id' });
    expect(off.message).toBe('droplet box is powered off: power it on to read its console');
  });
});
