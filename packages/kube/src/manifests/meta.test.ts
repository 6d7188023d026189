import fc from 'fast-check';
import { ID_RANDOM_LENGTH, ResourceName, idPrefixes } from '@uncloud/sdk';
import { describe, expect, it } from 'vitest';
import { appManifests } from './app.ts';
import { databaseManifests } from './database.ts';
import { virtualMachineManifest } from './droplet.ts';
import { firewallPolicyManifest } from './firewall.ts';
import {
  MANAGED_BY,
  type KubeObject,
  isManaged,
  managedSelector,
  namespaceName,
  objectName,
} from './meta.ts';
import { isolationPolicyManifest, namespaceManifest, resourceQuotaManifest } from './project.ts';
import { persistentVolumeClaimManifest } from './volume.ts';
import { defaultQuotaLimits } from '@uncloud/sdk';

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const idOf = (prefix: string) =>
  fc.stringMatching(new RegExp(`^[0-9a-z]{${ID_RANDOM_LENGTH}}$`)).map((random) => `${prefix}_${random}`);
const name = fc
  .stringMatching(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/)
  .filter((n) => ResourceName.safeParse(n).success);

/** Every object a valid intent of every kind maps to. */
const everything = fc
  .record({
    projectId: idOf(idPrefixes.project),
    dropletId: idOf(idPrefixes.droplet),
    volumeId: idOf(idPrefixes.volume),
    appId: idOf(idPrefixes.app),
    databaseId: idOf(idPrefixes.database),
    firewallId: idOf(idPrefixes.firewall),
    name,
    engine: fc.constantFrom('postgres' as const, 'mysql' as const, 'valkey' as const),
  })
  .map((i): KubeObject[] => [
    namespaceManifest({ id: i.projectId as never, name: i.name }),
    isolationPolicyManifest({ id: i.projectId as never, name: i.name }),
    resourceQuotaManifest({ id: i.projectId as never, name: i.name }, defaultQuotaLimits),
    virtualMachineManifest({
      id: i.dropletId as never,
      projectId: i.projectId as never,
      name: i.name,
      size: 's-1vcpu-1gb',
      image: 'debian-12',
      userData: null,
      sshPublicKeys: [],
      volumes: [{ id: i.volumeId, name: i.name, filesystem: 'ext4' }],
      poweredOn: true,
    }),
    persistentVolumeClaimManifest(
      {
        id: i.volumeId as never,
        projectId: i.projectId as never,
        name: i.name,
        sizeGiB: 1,
        filesystem: 'ext4',
      },
      { storageClass: undefined },
    ),
    ...appManifests(
      {
        id: i.appId as never,
        projectId: i.projectId as never,
        name: i.name,
        image: 'nginx',
        port: 80,
        replicas: 1,
        env: {},
        domains: ['a.example.com'],
        healthCheckPath: null,
      },
      { ingressClass: undefined },
    ),
    ...databaseManifests({
      id: i.databaseId as never,
      projectId: i.projectId as never,
      name: i.name,
      engine: i.engine,
      version: i.engine === 'postgres' ? '16' : i.engine === 'mysql' ? '8.4' : '8.0',
      size: 'db-s-1vcpu-1gb',
      nodes: 1,
      storageGiB: 10,
    }),
    firewallPolicyManifest(
      {
        id: i.firewallId as never,
        projectId: i.projectId as never,
        name: i.name,
        inbound: [],
        outbound: [],
        targets: [i.dropletId],
        allowDns: true,
      },
      {},
      'cilium',
    )!,
  ]);

describe('object names and labels', () => {
  it('derives names from ids, so renaming a resource never replaces its objects', () => {
    expect(objectName('dpl_0123456789abcdefghij')).toBe('dpl-0123456789abcdefghij');
    expect(namespaceName('proj_0123456789abcdefghij')).toBe('uc-proj-0123456789abcdefghij');
  });

  it('gives every object of any valid intent a DNS-1123 label name of at most 63 characters', () => {
    fc.assert(
      fc.property(everything, (objects) => {
        for (const o of objects) {
          expect(o.metadata.name.length).toBeLessThanOrEqual(63);
          expect(o.metadata.name).toMatch(dns1123Label);
          if (o.metadata.namespace) expect(o.metadata.namespace).toMatch(dns1123Label);
        }
      }),
    );
  });

  it('labels every object as ours, with its resource and project, and valid label values', () => {
    fc.assert(
      fc.property(everything, (objects) => {
        for (const o of objects) {
          expect(isManaged(o)).toBe(true);
          const labels = o.metadata.labels!;
          expect(labels['uncloud.dev/resource-id']).toMatch(/^[a-z]+_[0-9a-z]{20}$/);
          expect(labels['uncloud.dev/project-id']).toMatch(/^proj_/);
          for (const value of Object.values(labels))
            expect(value).toMatch(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/);
        }
      }),
    );
  });

  it('maps the same intent to the same objects, whatever the order of its lists', () => {
    const appOf = (env: [string, string][], domains: string[]) =>
      appManifests(
        {
          id: 'app_0123456789abcdefghij' as never,
          projectId: 'proj_0123456789abcdefghij' as never,
          name: 'a',
          image: 'nginx',
          port: 80,
          replicas: 1,
          env: Object.fromEntries(env),
          domains,
          healthCheckPath: null,
        },
        { ingressClass: undefined },
      );
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,8}$/), fc.string()), {
          selector: ([k]) => k,
          maxLength: 6,
        }),
        fc.uniqueArray(fc.constantFrom('a.example.com', 'b.example.com', 'c.example.org'), { maxLength: 3 }),
        (env, domains) => {
          expect(appOf([...env].reverse(), [...domains].reverse())).toEqual(appOf(env, domains));
          expect(JSON.stringify(appOf(env, domains))).toBe(JSON.stringify(appOf(env, domains)));
        },
      ),
    );
  });

  it('selects managed objects by label, per kind', () => {
    expect(managedSelector()).toBe(`${MANAGED_BY}=uncloud`);
    expect(managedSelector('droplet')).toBe(`${MANAGED_BY}=uncloud,uncloud.dev/kind=droplet`);
    expect(isManaged({ metadata: { labels: { [MANAGED_BY]: 'helm' } } })).toBe(false);
  });
});
