import type { ActionResourceKind } from '@uncloud/sdk';

/** The project-scoped resources with a list, a detail page and a delete; keyed by their tRPC router. */
export const resourceKinds = {
  droplets: { noun: 'droplet', title: 'Droplets', path: 'droplets', hasActions: true, stateful: true },
  volumes: { noun: 'volume', title: 'Volumes', path: 'volumes', hasActions: true, stateful: true },
  apps: { noun: 'app', title: 'Apps', path: 'apps', hasActions: true, stateful: true },
  databases: { noun: 'database', title: 'Databases', path: 'databases', hasActions: true, stateful: true },
  sshKeys: { noun: 'SSH key', title: 'SSH keys', path: 'ssh-keys', hasActions: false, stateful: false },
  firewalls: { noun: 'firewall', title: 'Firewalls', path: 'firewalls', hasActions: false, stateful: true },
} as const;

export type ResourceKind = keyof typeof resourceKinds;

/** The router whose queries change when an action on that kind of resource runs. */
export const routerOfActionKind: Record<ActionResourceKind, ResourceKind> = {
  droplet: 'droplets',
  volume: 'volumes',
  app: 'apps',
  database: 'databases',
};

/** `/p/<project>/droplets/<id>`: where a resource's detail page lives. */
export const detailPath = (projectId: string, kind: ResourceKind, id: string) =>
  `/p/${projectId}/${resourceKinds[kind].path}/${id}`;

export const listPath = (projectId: string, kind: ResourceKind) =>
  `/p/${projectId}/${resourceKinds[kind].path}`;
