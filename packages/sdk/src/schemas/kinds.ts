/**
 * The one registry of the resource kinds a project holds. Every kind union and every per-kind list
 * in Uncloud derives from this table (ids, action kinds, the sync engine's kinds, the project's
 * resource counts, the dashboard's pages, sidebar and overview), so adding a kind starts here and
 * the compiler points at every place that still needs it. See docs/architecture.md, "Adding a kind".
 */
export interface ResourceKindInfo {
  /** The id prefix (`dpl` in `dpl_…`). */
  prefix: string;
  /** The indefinite article that goes with `label`. */
  article: 'a' | 'an';
  /** One of them, in a sentence: "droplet", "SSH key". */
  label: string;
  /** Several, in a sentence: "droplets", "SSH keys". */
  plural: string;
  /** The sync engine drives it into a Kubernetes object, so it has a state and a sync state. */
  reconciled: boolean;
  /** Its number counts against a project's quota. */
  countsAgainstQuota: boolean;
  /** It has lifecycle actions (`act_…`). */
  hasActions: boolean;
  /** The dashboard's sidebar group it is listed in. */
  navGroup: NavGroup;
}

export type NavGroup = 'compute' | 'storage' | 'networking';

export const resourceKinds = {
  droplet: {
    prefix: 'dpl',
    article: 'a',
    label: 'droplet',
    plural: 'droplets',
    reconciled: true,
    countsAgainstQuota: true,
    hasActions: true,
    navGroup: 'compute',
  },
  app: {
    prefix: 'app',
    article: 'an',
    label: 'app',
    plural: 'apps',
    reconciled: true,
    countsAgainstQuota: true,
    hasActions: true,
    navGroup: 'compute',
  },
  volume: {
    prefix: 'vol',
    article: 'a',
    label: 'volume',
    plural: 'volumes',
    reconciled: true,
    countsAgainstQuota: true,
    hasActions: true,
    navGroup: 'storage',
  },
  database: {
    prefix: 'db',
    article: 'a',
    label: 'database',
    plural: 'databases',
    reconciled: true,
    countsAgainstQuota: true,
    hasActions: true,
    navGroup: 'storage',
  },
  firewall: {
    prefix: 'fw',
    article: 'a',
    label: 'firewall',
    plural: 'firewalls',
    reconciled: true,
    countsAgainstQuota: false,
    hasActions: false,
    navGroup: 'networking',
  },
  snapshot: {
    prefix: 'snap',
    article: 'a',
    label: 'snapshot',
    plural: 'snapshots',
    reconciled: true,
    countsAgainstQuota: false,
    hasActions: false,
    navGroup: 'storage',
  },
  databaseBackup: {
    prefix: 'dbb',
    article: 'a',
    label: 'database backup',
    plural: 'database backups',
    reconciled: true,
    // Backups live in a bucket of the project's object storage, outside every Kubernetes quota;
    // retention bounds how many there are (see docs/databases.md).
    countsAgainstQuota: false,
    hasActions: false,
    navGroup: 'storage',
  },
  bucket: {
    prefix: 'bkt',
    article: 'a',
    label: 'bucket',
    plural: 'buckets',
    reconciled: true,
    // Buckets claim no quota'd Kubernetes resource (an ObjectBucketClaim is not a PVC), and the
    // quota model counts what Kubernetes counts; the object store's own quotas bound their size.
    countsAgainstQuota: false,
    hasActions: false,
    navGroup: 'storage',
  },
  loadBalancer: {
    prefix: 'lb',
    article: 'a',
    label: 'load balancer',
    plural: 'load balancers',
    reconciled: true,
    countsAgainstQuota: true,
    hasActions: true,
    navGroup: 'networking',
  },
  reservedIp: {
    prefix: 'rip',
    article: 'a',
    label: 'reserved IP',
    plural: 'reserved IPs',
    reconciled: true,
    countsAgainstQuota: true,
    // Assigning, unassigning and moving between droplets are actions with progress, as on DigitalOcean.
    hasActions: true,
    navGroup: 'networking',
  },
  sshKey: {
    prefix: 'sk',
    article: 'an',
    label: 'SSH key',
    plural: 'SSH keys',
    reconciled: false,
    countsAgainstQuota: false,
    hasActions: false,
    navGroup: 'networking',
  },
} as const satisfies Record<string, ResourceKindInfo>;

type Registry = typeof resourceKinds;

/** Every kind of resource a project holds: `droplet`, `sshKey`, … */
export type ResourceKind = keyof Registry;

type KindsWith<Flag extends keyof ResourceKindInfo> = {
  [K in ResourceKind]: Registry[K][Flag] extends true ? K : never;
}[ResourceKind];

/** Kinds the sync engine drives into Kubernetes. */
export type ReconciledKind = KindsWith<'reconciled'>;
/** Kinds with lifecycle actions. */
export type ActionKind = KindsWith<'hasActions'>;
/** Kinds whose number a project's quota limits. */
export type QuotaKind = KindsWith<'countsAgainstQuota'>;

/**
 * What a change of intent names, and what the sync engine reconciles: the project itself (its
 * namespace) and every reconciled kind. `quota` is the project's ResourceQuota, a part of the project.
 */
export type IntentKind = 'project' | ReconciledKind;
export type ManagedKind = IntentKind | 'quota';

/** The tRPC router of a kind: `droplets`, `sshKeys`. */
export type RouterOf<K extends ResourceKind> = `${K}s`;
export const routerOf = <K extends ResourceKind>(kind: K): RouterOf<K> => `${kind}s`;

/** Every kind, in the registry's order (the order the dashboard shows them in). */
export const allResourceKinds = Object.keys(resourceKinds) as ResourceKind[];

const kindsWith = <Flag extends keyof ResourceKindInfo>(flag: Flag) =>
  allResourceKinds.filter((kind) => resourceKinds[kind][flag] === true) as KindsWith<Flag>[];

export const reconciledKinds = kindsWith('reconciled');
export const actionKinds = kindsWith('hasActions');

/** "a droplet", "an SSH key". */
export const withArticle = (kind: ResourceKind) =>
  `${resourceKinds[kind].article} ${resourceKinds[kind].label}`;
