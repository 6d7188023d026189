import { idKinds, type IdKind } from '@uncloud/sdk';
import { manifest } from './manifest.ts';
import { verbOf } from './naming.ts';

/**
 * Words for commands whose procedure or router has no doc comment in the contract: the usual verbs
 * of a resource, said of its kind, and the routers that are not a kind of resource.
 */
const groupWords: Record<string, string> = {
  auth: 'Sign in to Uncloud servers, and out; who you are',
  users: 'Users and their tokens (administrators)',
  quotas: "A project's limits and what it uses of them",
  sizes: 'The droplet sizes on offer',
  images: 'The images droplets boot from',
  databaseOptions: 'The database engines, versions and sizes on offer',
  actions: 'Lifecycle actions and how they went',
  usage: 'CPU and memory use over time, per droplet and app',
  sync: "The sync engine's health (administrators)",
  audit: 'The audit log: who changed what, and how it ended',
  events: "A project's changes as they happen",
};

const kindOfGroup = (group: string): IdKind | undefined => {
  const kind = group.replace(/s$/, '');
  return Object.hasOwn(idKinds, kind) ? (kind as IdKind) : undefined;
};

const pluralOf = (kind: IdKind) => {
  const info = idKinds[kind] as { label: string; plural?: string };
  return info.plural ?? `${info.label}s`;
};

export const describeGroup = (group: string): string => {
  const own = manifest.groups[group]?.description ?? groupWords[group];
  if (own) return own;
  const kind = kindOfGroup(group);
  return kind ? `Manage ${pluralOf(kind)}` : `Work with ${verbOf(group).replace(/-/g, ' ')}`;
};

export const describeProcedure = (path: string): string => {
  const [group, name] = path.split('.') as [string, string];
  const own = manifest.procedures[path]?.description;
  if (own) return own;
  const kind = kindOfGroup(group);
  if (kind) {
    const { article, label } = idKinds[kind];
    const inProject = 'projectId' in (manifest.procedures[path]?.input?.properties ?? {});
    switch (name) {
      case 'list':
        return `List the ${pluralOf(kind)}${inProject && kind !== 'project' ? ' in the project' : ''}`;
      case 'get':
        return `Show ${article} ${label}`;
      case 'create':
        return `Create ${article} ${label}`;
      case 'update':
        return `Change ${article} ${label}`;
      case 'delete':
        return `Delete ${article} ${label}`;
    }
  }
  return `${verbOf(name).replace(/-/g, ' ')} (${path})`;
};
