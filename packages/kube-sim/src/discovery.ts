// Discovery documents: /version, /api, /apis, /apis/<group>, and the APIResourceList of a group version.
import { KUBEVIRT_SUBRESOURCES, kubevirtSubresourceList } from './kubevirt-subresources.ts';
import type { Registry } from './registry.ts';
import { apiVersionOf, type ResourceType } from './types.ts';

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0+uncloud-sim',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export function apiVersions(serverAddress: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupDoc(group: string, versions: string[]): unknown {
  const gvs = versions.map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { name: group, versions: gvs, preferredVersion: gvs[0] };
}

export function apiGroupList(registry: Registry): unknown {
  const groups = new Map<string, string[]>();
  for (const { group, version } of registry.groupVersions())
    groups.set(group, [...(groups.get(group) ?? []), version]);
  if (registry.get('kubevirt.io/virtualmachines')) groups.set(KUBEVIRT_SUBRESOURCES, ['v1']);
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups.entries()].map(([g, v]) => groupDoc(g, v)),
  };
}

export function apiGroup(registry: Registry, group: string): unknown | undefined {
  const versions = registry
    .groupVersions()
    .filter((gv) => gv.group === group)
    .map((gv) => gv.version);
  if (group === KUBEVIRT_SUBRESOURCES && registry.get('kubevirt.io/virtualmachines')) versions.push('v1');
  if (versions.length === 0) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...(groupDoc(group, versions) as object) };
}

function resourceEntries(t: ResourceType): unknown[] {
  const main: Record<string, unknown> = {
    name: t.plural,
    singularName: t.singular,
    namespaced: t.namespaced,
    kind: t.kind,
    verbs: t.verbs,
  };
  if (t.shortNames.length > 0) main.shortNames = t.shortNames;
  if (t.categories && t.categories.length > 0) main.categories = t.categories;
  const out: unknown[] = [main];
  if (t.subresources.includes('status')) {
    out.push({
      name: `${t.plural}/status`,
      singularName: '',
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: ['get', 'patch', 'update'],
    });
  }
  if (t.subresources.includes('log')) {
    out.push({
      name: `${t.plural}/log`,
      singularName: '',
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: ['get'],
    });
  }
  if (t.subresources.includes('scale')) {
    out.push({
      name: `${t.plural}/scale`,
      singularName: '',
      namespaced: t.namespaced,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    });
  }
  return out;
}

export function apiResourceList(registry: Registry, group: string, version: string): unknown | undefined {
  if (group === KUBEVIRT_SUBRESOURCES && version === 'v1' && registry.get('kubevirt.io/virtualmachines'))
    return kubevirtSubresourceList();
  const types = registry.all().filter((t) => t.group === group && t.version === version);
  if (types.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group, version }),
    resources: types.flatMap(resourceEntries),
  };
}
