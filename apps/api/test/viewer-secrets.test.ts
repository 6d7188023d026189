import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppId, DropletId, ProjectId, UncloudClient } from '@uncloud/sdk';
import { startStack, type Stack } from '@uncloud/api/testing';

const databaseUrl = 'postgres://app:hunter2-very-secret@db:5432/app';
const userData = '#cloud-config\nwrite_files:\n  - path: /etc/key\n    content: sk_live_secret\n';

let stack: Stack;
let projectId: ProjectId;
let appId: AppId;
let dropletId: DropletId;
let viewer: UncloudClient;
let viewerToken: string;
let member: UncloudClient;

beforeAll(async () => {
  stack = await startStack({ cluster: false });
  projectId = (await stack.client.projects.create.mutate({ name: 'secrets' })).id;
  const join = async (name: string, role: 'viewer' | 'member') => {
    const { user, token } = await stack.client.users.create.mutate({ name });
    await stack.client.projects.addMember.mutate({ projectId, userId: user.id, role });
    return token.token;
  };
  viewerToken = await join('vera', 'viewer');
  viewer = stack.clientWith(viewerToken);
  member = stack.clientWith(await join('max', 'member'));
  appId = (
    await member.apps.create.mutate({
      projectId,
      name: 'api',
      image: 'nginx:1.27',
      port: 80,
      env: { DATABASE_URL: databaseUrl, MODE: 'prod' },
    })
  ).id;
  dropletId = (
    await member.droplets.create.mutate({
      projectId,
      name: 'web-1',
      size: 's-1vcpu-1gb',
      image: 'ubuntu-24-04',
      userData,
    })
  ).id;
  await member.droplets.create.mutate({
    projectId,
    name: 'plain',
    size: 's-1vcpu-1gb',
    image: 'ubuntu-24-04',
  });
});
afterAll(() => stack.close());

describe('secrets in resources', () => {
  it('shows a viewer the names of environment variables with their values withheld', async () => {
    const got = await viewer.apps.get.query({ projectId, id: appId });
    expect(got.env).toEqual({ DATABASE_URL: null, MODE: null });
    expect(got.envRedacted).toBe(true);
    const listed = (await viewer.apps.list.query({ projectId })).items;
    expect(listed.map((a) => [a.env, a.envRedacted])).toEqual([[{ DATABASE_URL: null, MODE: null }, true]]);
  });

  it('gives a viewer no droplet user data, and says it was withheld', async () => {
    const got = await viewer.droplets.get.query({ projectId, id: dropletId });
    expect(got).toMatchObject({ userData: null, userDataRedacted: true });
    const listed = (await viewer.droplets.list.query({ projectId })).items;
    expect(listed.map((d) => [d.name, d.userData, d.userDataRedacted])).toEqual([
      ['web-1', null, true],
      ['plain', null, false],
    ]);
  });

  it('never sends a secret to a viewer, anywhere in the answer', async () => {
    const res = await fetch(
      `${stack.url}/trpc/apps.list,droplets.list?batch=1&input=${encodeURIComponent(
        JSON.stringify({ 0: { projectId }, 1: { projectId } }),
      )}`,
      { headers: { authorization: `Bearer ${viewerToken}` } },
    );
    const body = await res.text();
    expect(res.status).toBe(200);
    expect(body).not.toContain('hunter2');
    expect(body).not.toContain('sk_live_secret');
  });

  it('shows members and owners the values and the user data', async () => {
    for (const client of [member, stack.client]) {
      const app = await client.apps.get.query({ projectId, id: appId });
      expect(app).toMatchObject({ env: { DATABASE_URL: databaseUrl, MODE: 'prod' }, envRedacted: false });
      const droplet = await client.droplets.get.query({ projectId, id: dropletId });
      expect(droplet).toMatchObject({ userData, userDataRedacted: false });
      const listed = (await client.apps.list.query({ projectId })).items[0];
      expect(listed?.env.DATABASE_URL).toBe(databaseUrl);
    }
  });
});
