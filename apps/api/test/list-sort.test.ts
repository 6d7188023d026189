// Lists sorted on the server by each kind's columns: every key a list accepts orders all its pages,
// ascending and descending. Three of each kind are created in an order (middle, lowest, highest by
// every key) that no key's order matches, so a key the server ignored would fail here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectId, UncloudClient } from '@uncloud/sdk';
import { startStack, type Stack } from '@uncloud/api/testing';
import { failure } from './errors.ts';

let stack: Stack;
let c: UncloudClient;
let projectId: ProjectId;
beforeAll(async () => {
  stack = await startStack({ cluster: false });
  c = stack.client;
  projectId = (await c.projects.create.mutate({ name: 'sorting' })).id;
});
afterAll(() => stack.close());

interface Named {
  id: string;
  name: string;
  state: string;
}
type ListProcedures = {
  list: { query: (input: object) => Promise<{ items: Named[]; nextCursor: string | null }> };
  create: { mutate: (input: object) => Promise<Named> };
  delete: { mutate: (input: object) => Promise<unknown> };
};

/**
 * Per kind: what to create for "mid", "alpha" and "zulu" (in that order), and for each sort key
 * the names in ascending order.
 */
const kinds = {
  droplets: {
    create: [
      { name: 'mid', size: 's-2vcpu-2gb', image: 'fedora-42' },
      { name: 'alpha', size: 's-1vcpu-1gb', image: 'debian-12' },
      { name: 'zulu', size: 's-4vcpu-8gb', image: 'ubuntu-24-04' },
    ],
    ascending: {
      name: ['alpha', 'mid', 'zulu'],
      size: ['alpha', 'mid', 'zulu'],
      memory: ['alpha', 'mid', 'zulu'],
      vcpus: ['alpha', 'mid', 'zulu'],
      disk: ['alpha', 'mid', 'zulu'],
      image: ['alpha', 'mid', 'zulu'],
    },
  },
  volumes: {
    create: [
      { name: 'mid', sizeGiB: 2 },
      { name: 'alpha', sizeGiB: 1 },
      { name: 'zulu', sizeGiB: 3 },
    ],
    ascending: { name: ['alpha', 'mid', 'zulu'], size: ['alpha', 'mid', 'zulu'] },
  },
  apps: {
    create: [
      { name: 'mid', image: 'mid:1', port: 80, replicas: 2 },
      { name: 'alpha', image: 'alpha:1', port: 80, replicas: 1 },
      { name: 'zulu', image: 'zulu:1', port: 80, replicas: 3 },
    ],
    ascending: {
      name: ['alpha', 'mid', 'zulu'],
      replicas: ['alpha', 'mid', 'zulu'],
      image: ['alpha', 'mid', 'zulu'],
    },
  },
  databases: {
    create: [
      { name: 'mid', engine: 'postgres', size: 'db-s-1vcpu-2gb', nodes: 2 },
      { name: 'alpha', engine: 'mysql', size: 'db-s-1vcpu-1gb' },
      { name: 'zulu', engine: 'valkey', size: 'db-s-2vcpu-4gb' },
    ],
    ascending: {
      name: ['alpha', 'mid', 'zulu'],
      engine: ['alpha', 'mid', 'zulu'],
      size: ['alpha', 'mid', 'zulu'],
    },
  },
  firewalls: {
    create: ['mid', 'alpha', 'zulu'].map((name) => ({
      name,
      inbound: [{ protocol: 'tcp', ports: '443', sources: ['0.0.0.0/0'] }],
    })),
    ascending: { name: ['alpha', 'mid', 'zulu'] },
  },
} as const;

const procedures = (kind: keyof typeof kinds) => c[kind] as unknown as ListProcedures;

/** Every page of the list in this order, one row a page, so the cursor carries the sort value. */
const walk = async (kind: keyof typeof kinds, sort: string, order: 'asc' | 'desc') => {
  const names: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await procedures(kind).list.query({ projectId, sort, order, limit: 1, cursor });
    names.push(...page.items.map((item) => item.name));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return names;
};

describe.each(Object.keys(kinds) as (keyof typeof kinds)[])('%s', (kind) => {
  const spec = kinds[kind];
  beforeAll(async () => {
    for (const input of spec.create) await procedures(kind).create.mutate({ projectId, ...input });
  });

  it.each(Object.entries(spec.ascending))('sorts every page by %s, both ways', async (sort, names) => {
    expect(await walk(kind, sort, 'asc')).toEqual(names);
    expect(await walk(kind, sort, 'desc')).toEqual([...names].reverse());
  });

  it('sorts by state: deleting before pending', async () => {
    const zulu = (await procedures(kind).list.query({ projectId, name: 'zulu' })).items[0]!;
    await procedures(kind).delete.mutate({ projectId, id: zulu.id });
    const names = await walk(kind, 'state', 'asc');
    expect(names[0]).toBe('zulu');
    expect(names).toHaveLength(3);
  });

  it('refuses a key the list has no column for, naming the ones it has', async () => {
    const error = await failure(procedures(kind).list.query({ projectId, sort: 'colour' }));
    expect(error.message).toMatch(/sort.*must be one of "createdAt", "name", "state"/);
  });
});

describe('a cursor from another order', () => {
  it('is refused with the field and what to do', async () => {
    const page = await c.volumes.list.query({ projectId, sort: 'size', limit: 1 });
    const error = await failure(
      c.volumes.list.query({ projectId, sort: 'name', limit: 1, cursor: page.nextCursor! }),
    );
    expect(error.message).toMatch(/pass back nextCursor unchanged, with the same sort/);
  });
});
