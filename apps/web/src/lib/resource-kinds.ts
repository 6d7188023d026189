import {
  allResourceKinds,
  resourceKinds as registry,
  routerOf,
  type ResourceKind as Kind,
  type RouterOf,
} from '@uncloud/sdk';
import {
  AppWindowIcon,
  ArchiveIcon,
  DatabaseBackupIcon,
  DatabaseIcon,
  GlobeIcon,
  HardDriveIcon,
  KeyRoundIcon,
  NetworkIcon,
  CameraIcon,
  ServerIcon,
  ShieldIcon,
  type LucideIcon,
} from 'lucide-react';

/** The project-scoped resources, keyed by their tRPC router (`droplets`, `sshKeys`). */
export type ResourceKind = RouterOf<Kind>;

export interface ResourceKindView {
  /** The registry's kind (`droplet`). */
  kind: Kind;
  /** One of them, in a sentence. */
  noun: string;
  /** Several of them, in a sentence ("SSH keys"). */
  plural: string;
  /** The list page's title. */
  title: string;
  /** The list page, inside the project (`ssh-keys`). */
  path: string;
  icon: LucideIcon;
  hasActions: boolean;
  /** Reconciled into Kubernetes, so rows have a state. */
  stateful: boolean;
  /** Holds data that a delete destroys: its name must be typed to confirm. */
  typedDelete: boolean;
}

/** Each kind's icon; a kind added to the registry without one is a compile error. */
const icons: Record<Kind, LucideIcon> = {
  droplet: ServerIcon,
  app: AppWindowIcon,
  volume: HardDriveIcon,
  database: DatabaseIcon,
  firewall: ShieldIcon,
  loadBalancer: NetworkIcon,
  reservedIp: GlobeIcon,
  snapshot: CameraIcon,
  bucket: ArchiveIcon,
  databaseBackup: DatabaseBackupIcon,
  sshKey: KeyRoundIcon,
};

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const viewOf = (kind: Kind): ResourceKindView => {
  const info = registry[kind];
  return {
    kind,
    noun: info.label,
    plural: info.plural,
    title: capitalised(info.plural),
    path: kebab(routerOf(kind)),
    icon: icons[kind],
    hasActions: info.hasActions,
    stateful: info.reconciled,
    typedDelete: kind === 'database' || kind === 'volume' || kind === 'bucket',
  };
};

/** The dashboard's view of the SDK's kind registry, keyed by router, in the registry's order. */
export const resourceKinds = Object.fromEntries(
  allResourceKinds.map((kind) => [routerOf(kind), viewOf(kind)]),
) as Record<ResourceKind, ResourceKindView>;

/** Every resource kind's view, in the registry's order. */
export const resourceKindViews: readonly ResourceKindView[] = allResourceKinds.map(viewOf);

/** `/p/<project>/droplets/<id>`: where a resource's detail page lives. */
export const detailPath = (projectId: string, kind: ResourceKind, id: string) =>
  `/p/${projectId}/${resourceKinds[kind].path}/${id}`;

export const listPath = (projectId: string, kind: ResourceKind) =>
  `/p/${projectId}/${resourceKinds[kind].path}`;
