import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sshPublicKeys } from '@uncloud/testing';
import type { UncloudClient } from '@uncloud/sdk';
import { startStack, type Stack } from '@uncloud/api/testing';
import { failure } from './errors.ts';

let stack: Stack;
let bob: UncloudClient;
let bobId: string;
beforeAll(async () => {
  stack = await startStack({ cluster: false });
  const created = await stack.client.users.create.mutate({ name: 'bob' });
  bob = stack.clientWith(created.token.token);
  bobId = created.user.id;
});
afterAll(() => stack.close());

describe('projects', () => {
  it('creates, reads, updates and lists a project', async () => {
    const project = await stack.client.projects.create.mutate({ name: 'shop', description: 'the shop' });
    expect(project).toMatchObject({
      name: 'shop',
      description: 'the shop',
      state: 'pending',
      role: 'owner',
      generation: 1,
    });
    expect(project.id).toMatch(/^proj_/);
    expect(await stack.client.projects.get.query({ projectId: project.id })).toEqual(project);
    const updated = await stack.client.projects.update.mutate({
      projectId: project.id,
      purpose: 'Service or API',
    });
    expect(updated).toMatchObject({ purpose: 'Service or API', generation: 2, syncState: 'pending' });
    const names = (await stack.client.projects.list.query({})).items.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['default', 'shop']));
  });

  it('answers CONFLICT for a duplicate project name', async () => {
    await stack.client.projects.create.mutate({ name: 'dupe' });
    expect((await failure(stack.client.projects.create.mutate({ name: 'dupe' }))).data).toMatchObject({
      code: 'CONFLICT',
      field: 'name',
      httpStatus: 409,
    });
  });

  it("answers NOT_FOUND for another user's project, never its data", async () => {
    const secret = await stack.client.projects.create.mutate({ name: 'secret' });
    for (const call of [
      () => bob.projects.get.query({ projectId: secret.id }),
      () => bob.droplets.list.query({ projectId: secret.id }),
      () =>
        bob.sshKeys.create.mutate({ projectId: secret.id, name: 'k', publicKey: sshPublicKeys.ed25519.line }),
      () => bob.quotas.get.query({ projectId: secret.id }),
    ]) {
      const { data, message } = await failure(call());
      expect(data).toMatchObject({ code: 'NOT_FOUND', httpStatus: 404, field: 'projectId' });
      expect(message).not.toContain('secret');
    }
    expect((await bob.projects.list.query({})).items).toEqual([]);
    expect((await bob.auth.whoami.query()).projects).toEqual([]);
  });

  it('lets a user create their own project and see only it', async () => {
    const own = await bob.projects.create.mutate({ name: 'bobs' });
    expect((await bob.projects.list.query({})).items.map((p) => p.id)).toEqual([own.id]);
    // Administrators see every project.
    expect((await stack.client.projects.get.query({ projectId: own.id })).name).toBe('bobs');
  });

  it('enforces roles: viewers read, members write, owners manage', async () => {
    const team = await stack.client.projects.create.mutate({ name: 'team' });
    await stack.client.projects.addMember.mutate({ projectId: team.id, userId: bobId, role: 'viewer' });
    expect((await bob.projects.get.query({ projectId: team.id })).role).toBe('viewer');
    expect(await bob.droplets.list.query({ projectId: team.id })).toEqual({
      items: [],
      nextCursor: null,
      total: 0,
    });
    const refused = await failure(bob.volumes.create.mutate({ projectId: team.id, name: 'v', sizeGiB: 1 }));
    expect(refused.data).toMatchObject({ code: 'FORBIDDEN', httpStatus: 403 });

    await stack.client.projects.addMember.mutate({ projectId: team.id, userId: bobId, role: 'member' });
    expect((await bob.volumes.create.mutate({ projectId: team.id, name: 'v', sizeGiB: 1 })).name).toBe('v');
    expect(
      (await failure(bob.projects.update.mutate({ projectId: team.id, description: 'mine' }))).data.code,
    ).toBe('FORBIDDEN');
    const members = await stack.client.projects.members.query({ projectId: team.id });
    expect(members.map((m) => [m.user.name, m.role])).toEqual([
      ['admin', 'owner'],
      ['bob', 'member'],
    ]);
    await stack.client.projects.removeMember.mutate({ projectId: team.id, userId: bobId });
    expect((await failure(bob.projects.get.query({ projectId: team.id }))).data.code).toBe('NOT_FOUND');
  });

  it('keeps at least one owner', async () => {
    const own = await bob.projects.create.mutate({ name: 'solo' });
    expect(
      (await failure(bob.projects.removeMember.mutate({ projectId: own.id, userId: bobId }))).data.code,
    ).toBe('CONFLICT');
  });

  it('refuses to delete a project that still holds resources, then deletes it once empty', async () => {
    const project = await stack.client.projects.create.mutate({ name: 'temp' });
    const volume = await stack.client.volumes.create.mutate({ projectId: project.id, name: 'v', sizeGiB: 1 });
    const key = await stack.client.sshKeys.create.mutate({
      projectId: project.id,
      name: 'k',
      publicKey: sshPublicKeys.ed25519.line,
    });
    const refused = await failure(stack.client.projects.delete.mutate({ projectId: project.id }));
    expect(refused.data.code).toBe('CONFLICT');
    expect(refused.message).toContain('1 volume, 1 SSH key;');
    await stack.client.sshKeys.delete.mutate({ projectId: project.id, id: key.id });
    await stack.client.volumes.delete.mutate({ projectId: project.id, id: volume.id });
    // The volume stays `deleting` until the sync engine confirms, so the project is not empty yet.
    expect((await failure(stack.client.projects.delete.mutate({ projectId: project.id }))).data.code).toBe(
      'CONFLICT',
    );
    stack.api.store.sqlite.prepare('delete from volumes where id = ?').run(volume.id);
    const deleted = await stack.client.projects.delete.mutate({ projectId: project.id });
    expect(deleted).toMatchObject({ state: 'deleting', deletedAt: expect.any(String) });
  });

  it('never deletes the default project', async () => {
    const { projects } = await stack.client.auth.whoami.query();
    const defaultProject = projects.find((p) => p.name === 'default')!;
    expect(
      (await failure(stack.client.projects.delete.mutate({ projectId: defaultProject.id }))).data.code,
    ).toBe('CONFLICT');
  });

  it('answers BAD_REQUEST naming the field', async () => {
    const { data, message } = await failure(stack.client.projects.create.mutate({ name: 'Not Valid' }));
    expect(data).toMatchObject({ code: 'BAD_REQUEST', field: 'name', httpStatus: 400 });
    expect(data.fieldErrors?.name?.[0]).toContain('lowercase letters');
    expect(message).toMatch(/^Invalid input: name: must be lowercase/);
  });
});
