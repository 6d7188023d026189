import { describe, expect, it } from 'vitest';
import { CreateAppInput, UpdateAppInput } from './app.ts';
import { DeployAppInput, ResizeDatabaseInput, ScaleAppInput } from './action.ts';
import { CreateDatabaseInput } from './database.ts';
import { databaseNodesProblem, maxDatabaseNodes } from './catalog.ts';
import { CreateDropletInput } from './droplet.ts';
import { CreateProjectInput } from './project.ts';
import { UpdateQuotaInput } from './quota.ts';
import { CreateVolumeInput } from './volume.ts';

const projectId = 'proj_aaaaaaaaaaaaaaaaaaaa';
const issues = (result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) => (result.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('projects', () => {
  it('fills description and purpose', () => {
    expect(CreateProjectInput.parse({ name: 'shop' })).toEqual({
      name: 'shop',
      description: '',
      purpose: 'Web Application',
    });
  });
  it('refuses a long description', () => {
    expect(issues(CreateProjectInput.safeParse({ name: 'shop', description: 'x'.repeat(256) }))).toEqual([
      'description: must be at most 255 characters',
    ]);
  });
});

describe('droplets', () => {
  const valid = { projectId, name: 'web-1', size: 's-1vcpu-1gb', image: 'ubuntu-24-04' };
  it('accepts catalogue slugs and fills defaults', () => {
    expect(CreateDropletInput.parse(valid)).toMatchObject({ sshKeyIds: [], tags: [], volumeIds: [] });
  });
  it('refuses a size outside the catalogue', () => {
    expect(issues(CreateDropletInput.safeParse({ ...valid, size: 's-64vcpu-1tb' }))[0]).toMatch(/^size: /);
  });
  // Which images exist is the catalogue's (stock and administrators' custom images): the API refuses
  // a slug it does not hold; the schema refuses what cannot be a slug.
  it('refuses an image that cannot be a slug', () => {
    expect(issues(CreateDropletInput.safeParse({ ...valid, image: 'Windows 11!' }))[0]).toMatch(/^image: /);
  });
  it('refuses an SSH key id of another kind', () => {
    expect(
      issues(CreateDropletInput.safeParse({ ...valid, sshKeyIds: ['vol_0123456789abcdefghij'] })),
    ).toEqual(['sshKeyIds.0: must be an SSH key id (sk_…)']);
  });
  it('refuses user data over 64 KiB', () => {
    expect(issues(CreateDropletInput.safeParse({ ...valid, userData: 'x'.repeat(65537) }))).toEqual([
      'userData: must be at most 64 KiB',
    ]);
  });
});

describe('volumes', () => {
  it('accepts whole GiB from 1 to 16384 and defaults to ext4', () => {
    expect(CreateVolumeInput.parse({ projectId, name: 'data', sizeGiB: 10 })).toMatchObject({
      filesystem: 'ext4',
    });
  });
  it.each([
    [0, 'must be at least 1 GiB'],
    [16385, 'must be at most 16384 GiB'],
    [1.5, 'must be a whole number of GiB'],
  ])('refuses %s GiB', (sizeGiB, reason) => {
    expect(issues(CreateVolumeInput.safeParse({ projectId, name: 'data', sizeGiB }))).toEqual([
      `sizeGiB: ${reason}`,
    ]);
  });
  it('refuses unknown filesystems', () => {
    expect(
      issues(CreateVolumeInput.safeParse({ projectId, name: 'data', sizeGiB: 1, filesystem: 'ntfs' }))[0],
    ).toMatch(/^filesystem/);
  });
});

describe('apps', () => {
  const valid = { projectId, name: 'api', image: 'nginx:1.27', port: 80 };
  it('accepts the design example', () => {
    expect(
      CreateAppInput.parse({
        ...valid,
        replicas: 2,
        env: { A: '1' },
        domains: ['api.example.com'],
        healthCheckPath: '/healthz',
      }),
    ).toMatchObject({ replicas: 2 });
  });
  it.each(['nginx', 'ghcr.io/org/app:v1.2.3', 'registry.local:5000/team/api@sha256:' + 'a'.repeat(64)])(
    'accepts image %s',
    (image) => {
      expect(CreateAppInput.safeParse({ ...valid, image }).success).toBe(true);
    },
  );
  it.each(['Nginx', 'nginx:', 'has space', ''])('refuses image %j', (image) => {
    expect(issues(CreateAppInput.safeParse({ ...valid, image }))[0]).toMatch(/^image: /);
  });
  it.each([0, 65536, 80.5])('refuses port %s', (port) => {
    expect(issues(CreateAppInput.safeParse({ ...valid, port }))[0]).toMatch(/^port: must be/);
  });
  it('refuses bad env names, domains and health paths, naming each field', () => {
    const result = CreateAppInput.safeParse({
      ...valid,
      env: { '1BAD': 'x' },
      domains: ['not a domain'],
      healthCheckPath: 'healthz',
    });
    expect(issues(result).map((i) => i.split(':')[0])).toEqual(['env.1BAD', 'domains.0', 'healthCheckPath']);
  });
  it('allows scaling to zero but not below', () => {
    expect(ScaleAppInput.safeParse({ projectId, id: 'app_0123456789abcdefghij', replicas: 0 }).success).toBe(
      true,
    );
    expect(
      issues(ScaleAppInput.safeParse({ projectId, id: 'app_0123456789abcdefghij', replicas: -1 })),
    ).toEqual(['replicas: must be 0 or more']);
  });

  it('sends image, env and replicas changes to their actions instead of dropping them from an update', () => {
    expect(
      issues(UpdateAppInput.safeParse({ projectId, id: 'app_0123456789abcdefghij', image: 'nginx:1.28' })),
    ).toEqual(['image: change the image with apps.deploy, which tracks the rollout']);
    expect(
      issues(UpdateAppInput.safeParse({ projectId, id: 'app_0123456789abcdefghij', replicas: 2 })),
    ).toEqual(['replicas: change the number of replicas with apps.scale']);
  });

  it('needs something to deploy, and grows database storage only by whole GiB', () => {
    expect(issues(DeployAppInput.safeParse({ projectId, id: 'app_0123456789abcdefghij' }))).toEqual([
      'image: give an image, env or both to deploy',
    ]);
    expect(
      issues(ResizeDatabaseInput.safeParse({ projectId, id: 'db_0123456789abcdefghij', storageGiB: 1.5 })),
    ).toEqual(['storageGiB: must be a whole number of GiB']);
  });
});

describe('databases', () => {
  const valid = { projectId, name: 'main', engine: 'postgres', size: 'db-s-1vcpu-1gb' };
  it('accepts an engine without a version (the newest is chosen later)', () => {
    expect(CreateDatabaseInput.parse(valid)).toMatchObject({ nodes: 1 });
  });
  it('refuses a version the engine does not have, listing the ones it has', () => {
    expect(issues(CreateDatabaseInput.safeParse({ ...valid, version: '9.6' }))).toEqual([
      'version: postgres versions are 14, 15, 16, 17',
    ]);
  });
  it('refuses more than three nodes', () => {
    expect(issues(CreateDatabaseInput.safeParse({ ...valid, nodes: 4 }))).toEqual([
      'nodes: must be between 1 and 3',
    ]);
  });
  it('refuses unknown engines', () => {
    expect(issues(CreateDatabaseInput.safeParse({ ...valid, engine: 'oracle' }))[0]).toMatch(/^engine: /);
  });
  it.each(['mysql', 'valkey'])(
    'refuses more than one node for %s, which Uncloud does not replicate, and says what to do',
    (engine) => {
      const found = issues(CreateDatabaseInput.safeParse({ ...valid, engine, nodes: 2 }));
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(/^nodes: (MySQL|Valkey) databases run 1 node: /);
      expect(found[0]).toContain('independent servers holding different data');
      expect(found[0]).toContain('Use 1 node, or PostgreSQL');
      expect(CreateDatabaseInput.parse({ ...valid, engine, nodes: 1 })).toMatchObject({ engine, nodes: 1 });
    },
  );
  it('takes up to three nodes for PostgreSQL, whose standbys replicate', () => {
    expect(CreateDatabaseInput.parse({ ...valid, nodes: 3 })).toMatchObject({ nodes: 3 });
    expect(maxDatabaseNodes('postgres')).toBe(3);
    expect(databaseNodesProblem('postgres', 3)).toBeUndefined();
    expect(databaseNodesProblem('valkey', 1)).toBeUndefined();
  });
});

describe('quotas', () => {
  it('accepts a partial update and refuses negative limits', () => {
    expect(UpdateQuotaInput.parse({ projectId, droplets: 10 })).toEqual({ projectId, droplets: 10 });
    expect(issues(UpdateQuotaInput.safeParse({ projectId, vcpus: -1 }))).toEqual([
      'vcpus: must be 0 or more',
    ]);
  });
});
