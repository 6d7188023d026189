import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type IntentStore,
  appsRepository,
  dropletsRepository,
  firewallsRepository,
  newId,
  openIntentStore,
  tables,
} from '@uncloud/db';
import type { ProjectId } from '@uncloud/sdk';
import { directLookup, passLookup } from './lookup.ts';

let dir: string;
let store: IntentStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'uncloud-lookup-'));
  store = openIntentStore(join(dir, 'uncloud.db'));
});

afterEach(() => {
  vi.restoreAllMocks();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const project = (name: string) => {
  const id = newId('project');
  store.db
    .insert(tables.projects)
    .values({ id, name, purpose: 'test', namespace: `ns-${name}` })
    .run();
  return id;
};
const droplet = (projectId: ProjectId, name: string, tags: string[]) =>
  dropletsRepository.insert(store.db, {
    id: newId('droplet'),
    projectId,
    name,
    size: 's-1vcpu-1gb',
    image: 'ubuntu-24-04',
    sshKeyIds: [],
    tags,
    userData: null,
  }).id;

describe("a reconcile's lookup of firewalls and tags", () => {
  it("reads only the resource's own project, and no whole table", () => {
    const [ours, theirs] = [project('ours'), project('theirs')];
    const web = droplet(ours, 'web', ['web']);
    droplet(ours, 'db', ['db']);
    droplet(theirs, 'other-web', ['web']);
    firewallsRepository.insert(store.db, {
      id: newId('firewall'),
      projectId: ours,
      name: 'web-in',
      inbound: [{ protocol: 'tcp', ports: '443', sources: ['0.0.0.0/0'] }],
      outbound: [],
      targets: ['tag:web'],
    } as never);
    const wholeTables = [
      vi.spyOn(dropletsRepository, 'all'),
      vi.spyOn(appsRepository, 'all'),
      vi.spyOn(firewallsRepository, 'all'),
    ];

    const lookup = directLookup(store.db);
    expect(lookup.firewalled(ours)).toEqual([web]);
    expect(lookup.firewallInbound(ours, web)).toEqual([
      { protocol: 'tcp', ports: '443', sources: ['0.0.0.0/0'] },
    ]);
    expect(lookup.tagIndex(ours)).toEqual({ web: [web], db: [expect.any(String)] });
    // A project without firewalls needs no tag index at all.
    expect(lookup.firewalled(theirs)).toEqual([]);
    expect(lookup.firewallInbound(theirs, web)).toBeNull();
    for (const spy of wholeTables) expect(spy).not.toHaveBeenCalled();
  });
});

describe("a resync pass's lookup", () => {
  it('reads no whole table, and asks each question once per pass', () => {
    const ours = project('ours');
    const web = droplet(ours, 'web', ['web']);
    droplet(ours, 'db', ['db']);
    const wholeTables = [vi.spyOn(dropletsRepository, 'all'), vi.spyOn(appsRepository, 'all')];
    const byId = vi.spyOn(dropletsRepository, 'byId');

    const lookup = passLookup(store.db);
    expect(lookup.droplet(ours, web)).toEqual(directLookup(store.db).droplet(ours, web));
    byId.mockClear();
    expect(lookup.droplet(ours, web)).toEqual({ ip: null, state: 'pending' });
    expect(lookup.tagIndex(ours)).toEqual({ web: [web], db: [expect.any(String)] });
    expect(byId).not.toHaveBeenCalled();
    for (const spy of wholeTables) expect(spy).not.toHaveBeenCalled();
  });
});
