import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSshPublicKey, sshPublicKeys } from '@uncloud/testing';
import type { ProjectId, UncloudClient } from '@uncloud/sdk';
import { startStack, type Stack } from '@uncloud/api/testing';
import { failure } from './errors.ts';

let stack: Stack;
let c: UncloudClient;
let projectId: ProjectId;
let otherProjectId: ProjectId;
beforeAll(async () => {
  stack = await startStack({ cluster: false });
  c = stack.client;
  projectId = (await c.projects.create.mutate({ name: 'main' })).id;
  otherProjectId = (await c.projects.create.mutate({ name: 'other' })).id;
});
afterAll(() => stack.close());

const missing = {
  sshKeys: 'sk_00000000000000000000',
  droplets: 'dpl_00000000000000000000',
  volumes: 'vol_00000000000000000000',
  apps: 'app_00000000000000000000',
  databases: 'db_00000000000000000000',
  firewalls: 'fw_00000000000000000000',
} as const;

/**
 * Each resource the same way: a valid create input, an update and what it changes, and one field
 * made invalid with the path the error must name.
 */
const kinds = {
  sshKeys: {
    input: async (name: string) => ({ name, publicKey: await newSshPublicKey() }),
    update: { name: 'renamed' },
    invalid: { publicKey: 'ssh-rsa nope' },
    invalidField: 'publicKey',
  },
  droplets: {
    input: async (name: string) => ({ name, size: 's-1vcpu-1gb', image: 'ubuntu-24-04', tags: ['web'] }),
    update: { tags: ['web', 'env:prod'] },
    invalid: { size: 's-huge' },
    invalidField: 'size',
  },
  volumes: {
    input: async (name: string) => ({ name, sizeGiB: 10 }),
    update: { description: 'logs' },
    invalid: { sizeGiB: 0 },
    invalidField: 'sizeGiB',
  },
  apps: {
    input: async (name: string) => ({ name, image: 'nginx:1.27', port: 80 }),
    update: { port: 8080, domains: ['shop.example.com'] },
    invalid: { port: 70000 },
    invalidField: 'port',
  },
  databases: {
    input: async (name: string) => ({ name, engine: 'postgres', size: 'db-s-1vcpu-1gb' }),
    update: { tags: ['primary'] },
    invalid: { version: '9' },
    invalidField: 'version',
  },
  firewalls: {
    input: async (name: string) => ({
      name,
      inbound: [{ protocol: 'tcp', ports: '443', sources: ['0.0.0.0/0'] }],
    }),
    update: { outbound: [{ protocol: 'udp', ports: '53', destinations: ['10.0.0.0/8'] }] },
    invalid: { inbound: [{ protocol: 'tcp', ports: '99999', sources: ['0.0.0.0/0'] }] },
    invalidField: 'inbound.0.ports',
  },
} as const;

// The tRPC proxy's procedures differ per resource only in their types; the test treats them alike.
type AnyProcedures = Record<
  'list' | 'get' | 'update' | 'delete' | 'create',
  { query: (i: object) => Promise<never>; mutate: (i: object) => Promise<never> }
>;
const procedures = (kind: keyof typeof kinds) => c[kind] as unknown as AnyProcedures;

describe.each(Object.keys(kinds) as (keyof typeof kinds)[])('%s', (kind) => {
  const spec = kinds[kind];
  const create = async (p: ProjectId, name: string) =>
    (await procedures(kind).create.mutate({ projectId: p, ...(await spec.input(name)) })) as { id: string };

  it('creates, gets, updates, lists and deletes', async () => {
    const api = procedures(kind);
    const created = await create(projectId, `${kind.toLowerCase()}-a`);
    expect(created.id).toMatch(/^[a-z]+_[0-9a-z]{20}$/);
    expect(await api.get.query({ projectId, id: created.id })).toEqual(created);

    const updated = (await api.update.mutate({ projectId, id: created.id, ...spec.update })) as Record<
      string,
      unknown
    >;
    expect(updated).toMatchObject(spec.update);
    if ('generation' in updated)
      expect(updated).toMatchObject({ generation: 2, observedGeneration: 0, syncState: 'pending' });

    const listed = (await api.list.query({ projectId })) as { items: { id: string }[] };
    expect(listed.items.map((i) => i.id)).toContain(created.id);

    const deleted = (await api.delete.mutate({ projectId, id: created.id })) as Record<string, unknown>;
    if (kind === 'sshKeys') {
      // Keys have no runtime objects: they go at once.
      expect((await failure(api.get.query({ projectId, id: created.id }))).data.code).toBe('NOT_FOUND');
    } else {
      expect(deleted).toMatchObject({ state: 'deleting', deletedAt: expect.any(String) });
      expect(await api.get.query({ projectId, id: created.id })).toMatchObject({ state: 'deleting' });
    }
  });

  it('refuses to change a resource that is being deleted', async () => {
    const doomed = await create(projectId, `${kind.toLowerCase()}-doomed`);
    await procedures(kind).delete.mutate({ projectId, id: doomed.id });
    const { data, message } = await failure(
      procedures(kind).update.mutate({ projectId, id: doomed.id, ...spec.update }),
    );
    // SSH keys have nothing in the cluster to wait for: they are gone at once.
    if (kind === 'sshKeys') return expect(data.code).toBe('NOT_FOUND');
    expect(data.code).toBe('CONFLICT');
    expect(message).toContain('is being deleted');
  });

  it('starts new intent as pending, not yet observed', async () => {
    if (kind === 'sshKeys') return expect(await create(projectId, 'fresh-key')).not.toHaveProperty('state');
    expect(await create(projectId, `${kind.toLowerCase()}-fresh`)).toMatchObject({
      state: 'pending',
      generation: 1,
      observedGeneration: 0,
      observedAt: null,
      syncError: null,
    });
  });

  it('answers NOT_FOUND for an unknown id', async () => {
    const { data } = await failure(procedures(kind).get.query({ projectId, id: missing[kind] }));
    expect(data).toMatchObject({ code: 'NOT_FOUND', field: 'id', httpStatus: 404 });
  });

  it("answers NOT_FOUND for another project's resource, even to its admin", async () => {
    const elsewhere = await create(otherProjectId, `${kind.toLowerCase()}-x`);
    const api = procedures(kind);
    for (const call of [
      () => api.get.query({ projectId, id: elsewhere.id }),
      () => api.update.mutate({ projectId, id: elsewhere.id, ...spec.update }),
      () => api.delete.mutate({ projectId, id: elsewhere.id }),
    ]) {
      expect((await failure(call())).data.code).toBe('NOT_FOUND');
    }
  });

  it('answers CONFLICT on a duplicate name in the project', async () => {
    const name = `${kind.toLowerCase()}-dupe`;
    await create(projectId, name);
    expect((await failure(create(projectId, name))).data).toMatchObject({
      code: 'CONFLICT',
      field: 'name',
      httpStatus: 409,
    });
  });

  it('answers BAD_REQUEST naming the offending field, without internals', async () => {
    const api = procedures(kind);
    const input = { projectId, ...(await spec.input(`${kind.toLowerCase()}-bad`)), ...spec.invalid };
    const { data, message } = await failure(api.create.mutate(input));
    expect(data).toMatchObject({ code: 'BAD_REQUEST', field: spec.invalidField, httpStatus: 400 });
    expect(data.fieldErrors?.[spec.invalidField]).toHaveLength(1);
    expect(message).toContain(spec.invalidField);
    expect(data).not.toHaveProperty('stack');
  });
});

describe('pagination', () => {
  it('returns every droplet exactly once across pages', async () => {
    const project = (await c.projects.create.mutate({ name: 'many' })).id;
    // Each droplet's root disk is a claim the quota counts (25 GiB for this size).
    await c.quotas.update.mutate({
      projectId: project,
      droplets: 200,
      vcpus: 200,
      memoryMiB: 1024 * 200,
      volumeGiB: 25 * 200,
    });
    const created = new Set<string>();
    for (let i = 0; i < 120; i++) {
      created.add(
        (
          await c.droplets.create.mutate({
            projectId: project,
            name: `d-${i}`,
            size: 's-1vcpu-1gb',
            image: 'debian-12',
          })
        ).id,
      );
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await c.droplets.list.query({ projectId: project, limit: 50, cursor });
      seen.push(...page.items.map((d) => d.id));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(120);
    expect(new Set(seen)).toEqual(created);
  });

  it('filters lists by name, tag and state', async () => {
    const project = (await c.projects.create.mutate({ name: 'filters' })).id;
    const make = (name: string, tags: string[]) =>
      c.droplets.create.mutate({ projectId: project, name, size: 's-1vcpu-1gb', image: 'debian-12', tags });
    await make('web-1', ['web']);
    await make('web-2', []);
    const db = await make('db-1', ['web']);
    await c.droplets.delete.mutate({ projectId: project, id: db.id });
    const names = async (filter: object) =>
      (await c.droplets.list.query({ projectId: project, ...filter })).items.map((d) => d.name).sort();
    expect(await names({ name: 'web' })).toEqual(['web-1', 'web-2']);
    expect(await names({ tag: 'web' })).toEqual(['db-1', 'web-1']);
    expect(await names({ state: 'deleting' })).toEqual(['db-1']);
  });

  it('refuses a limit above 200', async () => {
    expect((await failure(c.droplets.list.query({ projectId, limit: 500 }))).data).toMatchObject({
      field: 'limit',
    });
  });
});

describe('cross-resource rules', () => {
  it('computes the SSH key fingerprint as ssh-keygen does, and refuses the same key twice', async () => {
    const key = await c.sshKeys.create.mutate({
      projectId,
      name: 'laptop',
      publicKey: sshPublicKeys.ed25519.line,
    });
    expect(key.fingerprint).toBe(sshPublicKeys.ed25519.fingerprint);
    const again = await failure(
      c.sshKeys.create.mutate({ projectId, name: 'laptop-2', publicKey: sshPublicKeys.ed25519.line }),
    );
    expect(again.data).toMatchObject({ code: 'CONFLICT', field: 'publicKey' });
  });

  it('creates a droplet with keys and volumes of its project, and refuses those of others', async () => {
    const key = await c.sshKeys.create.mutate({
      projectId,
      name: 'deploy',
      publicKey: sshPublicKeys.ecdsa.line,
    });
    const volume = await c.volumes.create.mutate({ projectId, name: 'attached', sizeGiB: 5 });
    const droplet = await c.droplets.create.mutate({
      projectId,
      name: 'with-disks',
      size: 's-2vcpu-4gb',
      image: 'ubuntu-24-04',
      sshKeyIds: [key.id],
      volumeIds: [volume.id],
      userData: '#cloud-config\npackages: [nginx]\n',
    });
    expect(droplet).toMatchObject({
      sshKeyIds: [key.id],
      volumeIds: [volume.id],
      vcpus: 2,
      memoryMiB: 4096,
      diskGiB: 80,
    });
    expect(await c.volumes.get.query({ projectId, id: volume.id })).toMatchObject({ dropletId: droplet.id });

    const taken = await failure(
      c.droplets.create.mutate({
        projectId,
        name: 'thief',
        size: 's-1vcpu-1gb',
        image: 'debian-12',
        volumeIds: [volume.id],
      }),
    );
    expect(taken.data).toMatchObject({ code: 'CONFLICT', field: 'volumeIds.0' });

    const foreignKey = await c.sshKeys.create.mutate({
      projectId: otherProjectId,
      name: 'foreign',
      publicKey: sshPublicKeys.ecdsa.line,
    });
    const refused = await failure(
      c.droplets.create.mutate({
        projectId,
        name: 'nope',
        size: 's-1vcpu-1gb',
        image: 'debian-12',
        sshKeyIds: [foreignKey.id],
      }),
    );
    expect(refused.data).toMatchObject({ code: 'BAD_REQUEST', field: 'sshKeyIds.0' });

    const attached = await failure(c.volumes.delete.mutate({ projectId, id: volume.id }));
    expect(attached.data.code).toBe('CONFLICT');
    expect(attached.message).toContain('detach it first');
  });

  it('refuses firewall references to droplets of other projects', async () => {
    const foreign = await c.droplets.create.mutate({
      projectId: otherProjectId,
      name: 'foreign',
      size: 's-1vcpu-1gb',
      image: 'debian-12',
    });
    const { data } = await failure(
      c.firewalls.create.mutate({ projectId, name: 'fw-foreign', targets: ['tag:web', foreign.id] }),
    );
    expect(data).toMatchObject({ code: 'BAD_REQUEST', field: 'targets.1' });
  });

  it('enforces the project quota before accepting intent', async () => {
    const project = (await c.projects.create.mutate({ name: 'tight' })).id;
    // The droplet's 25 GiB root disk counts as storage, as the cluster's quota counts its claim.
    await c.quotas.update.mutate({ projectId: project, droplets: 1, volumeGiB: 35 });
    await c.droplets.create.mutate({
      projectId: project,
      name: 'one',
      size: 's-1vcpu-1gb',
      image: 'debian-12',
    });
    const { data, message } = await failure(
      c.droplets.create.mutate({ projectId: project, name: 'two', size: 's-1vcpu-1gb', image: 'debian-12' }),
    );
    expect(data).toMatchObject({ code: 'QUOTA_EXCEEDED', httpStatus: 403 });
    expect(message).toMatch(/this would use 2 droplets .*the project's quota allows 1 droplets/);
    expect(
      (await failure(c.volumes.create.mutate({ projectId: project, name: 'big', sizeGiB: 11 }))).data,
    ).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      field: 'sizeGiB',
    });
    const quota = await c.quotas.get.query({ projectId: project });
    expect(quota).toMatchObject({
      droplets: 1,
      volumeGiB: 35,
      // Memory as the VM's launcher pod asks for it: the guest's 1 GiB and KubeVirt's overhead.
      usage: { droplets: 1, vcpus: 1, memoryMiB: 1024 + 254, volumeGiB: 25 },
    });
  });

  it('refuses a quota limit below what the project already uses, naming the field and the use', async () => {
    const project = (await c.projects.create.mutate({ name: 'in-use' })).id;
    await c.droplets.create.mutate({
      projectId: project,
      name: 'one',
      size: 's-1vcpu-1gb',
      image: 'debian-12',
    });
    const { data, message } = await failure(c.quotas.update.mutate({ projectId: project, droplets: 0 }));
    expect(data).toMatchObject({ code: 'BAD_REQUEST', field: 'droplets' });
    expect(message).toMatch(/1 droplets in use, 0 asked/);
    expect((await c.quotas.get.query({ projectId: project })).droplets).not.toBe(0);
    await c.quotas.update.mutate({ projectId: project, droplets: 1 });
    expect((await c.quotas.get.query({ projectId: project })).droplets).toBe(1);
  });

  it('tells the sync engine about every write at once', async () => {
    const seen: string[] = [];
    const stop = stack.api.events.subscribe((change) => seen.push(`${change.kind}:${change.id}`));
    const app = await c.apps.create.mutate({ projectId, name: 'notified', image: 'nginx', port: 80 });
    await c.apps.update.mutate({ projectId, id: app.id, port: 8080 });
    await c.apps.delete.mutate({ projectId, id: app.id });
    stop();
    expect(seen).toEqual([`app:${app.id}`, `app:${app.id}`, `app:${app.id}`]);
  });
});
