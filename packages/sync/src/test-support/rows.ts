import type {
  AppRow,
  DatabaseBackupRow,
  DatabaseRow,
  DropletRow,
  FirewallRow,
  LoadBalancerRow,
  ProjectRow,
  QuotaRow,
  SnapshotRow,
  VolumeRow,
} from '@uncloud/db';
import type { BackupBucket, TagIndex } from '@uncloud/kube';
import {
  AppId,
  BucketId,
  DatabaseBackupId,
  DatabaseId,
  DropletId,
  FirewallId,
  LoadBalancerId,
  ProjectId,
  SnapshotId,
  SshKeyId,
  VolumeId,
} from '@uncloud/sdk';
import type { InboundRule } from '@uncloud/sdk';
import type { DatabaseFacts, IntentLookup } from '../kinds/lookup.ts';
import type { SyncSettings } from '../kinds/types.ts';

// Fixed ids (the shape newId makes) so that expected objects can be written out in tests.
export const ids = {
  project: ProjectId.parse('proj_aaaaaaaaaaaaaaaaaaaa'),
  droplet: DropletId.parse('dpl_bbbbbbbbbbbbbbbbbbbb'),
  volume: VolumeId.parse('vol_cccccccccccccccccccc'),
  app: AppId.parse('app_dddddddddddddddddddd'),
  database: DatabaseId.parse('db_eeeeeeeeeeeeeeeeeeee'),
  firewall: FirewallId.parse('fw_ffffffffffffffffffff'),
  sshKey: SshKeyId.parse('sk_gggggggggggggggggggg'),
  snapshot: SnapshotId.parse('snap_hhhhhhhhhhhhhhhhhhhh'),
  loadBalancer: LoadBalancerId.parse('lb_jjjjjjjjjjjjjjjjjjjj'),
};

export const settings: SyncSettings = {
  storageClass: 'fast',
  ingressClass: 'nginx',
  policyFlavour: 'kubernetes',
};

const at = new Date('2025-01-01T00:00:00Z');
const bookkeeping = {
  generation: 1,
  observedGeneration: 1,
  observedAt: at,
  syncError: null,
  createdAt: at,
  updatedAt: at,
  deletedAt: null,
};

export const projectRow = (patch: Partial<ProjectRow> = {}): ProjectRow => ({
  id: ids.project,
  name: 'shop',
  description: '',
  purpose: 'test',
  isDefault: false,
  state: 'active',
  namespace: 'uc-proj-aaaaaaaaaaaaaaaaaaaa',
  quotaUsed: null,
  ...bookkeeping,
  ...patch,
});

export const quotaRow = (patch: Partial<QuotaRow> = {}): QuotaRow => ({
  projectId: ids.project,
  droplets: 5,
  vcpus: 8,
  memoryMiB: 16384,
  volumeGiB: 100,
  apps: 10,
  databases: 2,
  reservedIps: 5,
  loadBalancers: 3,
  state: 'active',
  ...bookkeeping,
  ...patch,
});

export const dropletRow = (patch: Partial<DropletRow> = {}): DropletRow => ({
  id: ids.droplet,
  projectId: ids.project,
  name: 'web',
  size: 's-1vcpu-1gb',
  image: 'ubuntu-24-04',
  sshKeyIds: [],
  tags: [],
  userData: null,
  poweredOn: true,
  state: 'active',
  ip: null,
  publicIp: null,
  rootDisk: null,
  rootDiskSnapshotId: null,
  rootDiskVolumeSnapshot: null,
  node: null,
  phase: null,
  ...bookkeeping,
  ...patch,
});

/** A bound bucket that databases back up to. */
export const backupBucketId = BucketId.parse('bkt_iiiiiiiiiiiiiiiiiiii');
export const backupBucket: BackupBucket = {
  id: backupBucketId,
  bucketName: 'bkt-iiiiiiiiiiiiiiiiiiii',
  endpoint: 'http://rook-ceph-rgw-uncloud-objects.rook-ceph.svc:80',
};

export const databaseBackupRow = (patch: Partial<DatabaseBackupRow> = {}): DatabaseBackupRow => ({
  id: DatabaseBackupId.parse('dbb_jjjjjjjjjjjjjjjjjjjj'),
  projectId: ids.project,
  name: 'orders-1',
  databaseId: ids.database,
  databaseName: 'orders',
  engine: 'postgres',
  bucketId: backupBucketId,
  origin: 'manual',
  objectName: 'dbb-jjjjjjjjjjjjjjjjjjjj',
  state: 'pending',
  phase: null,
  startedAt: null,
  stoppedAt: null,
  beginWal: null,
  endWal: null,
  error: null,
  sizeBytes: null,
  sizeNote: null,
  source: null,
  dataLocation: null,
  dataDeletedAt: null,
  ...bookkeeping,
  ...patch,
});

export const snapshotRow = (patch: Partial<SnapshotRow> = {}): SnapshotRow => ({
  id: ids.snapshot,
  projectId: ids.project,
  name: 'before-upgrade',
  resourceKind: 'droplet',
  resourceId: ids.droplet,
  resourceName: 'web',
  sizeGiB: 25,
  dropletSize: 's-1vcpu-1gb',
  image: 'ubuntu-24-04',
  filesystem: null,
  state: 'active',
  volumeSnapshot: null,
  ...bookkeeping,
  ...patch,
});

export const volumeRow = (patch: Partial<VolumeRow> = {}): VolumeRow => ({
  id: ids.volume,
  projectId: ids.project,
  name: 'data',
  sizeGiB: 10,
  filesystem: 'ext4',
  description: '',
  tags: [],
  dropletId: null,
  state: 'active',
  phase: null,
  capacityGiB: null,
  snapshotId: null,
  volumeSnapshot: null,
  ...bookkeeping,
  ...patch,
});

export const appRow = (patch: Partial<AppRow> = {}): AppRow => ({
  id: ids.app,
  projectId: ids.project,
  name: 'api',
  image: 'nginx:1.27',
  port: 8080,
  replicas: 2,
  env: {},
  domains: [],
  healthCheckPath: null,
  tags: [],
  previousImage: null,
  databases: [],
  restartedAt: null,
  state: 'active',
  readyReplicas: null,
  availableReplicas: null,
  updatedReplicas: null,
  url: null,
  ...bookkeeping,
  ...patch,
});

export const databaseRow = (patch: Partial<DatabaseRow> = {}): DatabaseRow => ({
  id: ids.database,
  projectId: ids.project,
  name: 'orders',
  engine: 'postgres',
  version: '16',
  size: 'db-s-1vcpu-1gb',
  nodes: 1,
  storageGiB: null,
  passwordRevision: 1,
  activePasswordRevision: 1,
  tags: [],
  state: 'active',
  readyNodes: null,
  primaryInstance: null,
  connectionHost: null,
  connectionPort: null,
  connectionDatabase: null,
  connectionUser: null,
  backupBucketId: null,
  backupSchedule: null,
  backupRetentionDays: null,
  restoreFrom: null,
  restoreLoadedAt: null,
  firstRecoverabilityPoint: null,
  lastSuccessfulBackup: null,
  ...bookkeeping,
  ...patch,
});

export const firewallRow = (patch: Partial<FirewallRow> = {}): FirewallRow => ({
  id: ids.firewall,
  projectId: ids.project,
  name: 'edge',
  inbound: [{ protocol: 'tcp', ports: '443', sources: ['0.0.0.0/0'] }],
  outbound: [],
  targets: ['tag:web'],
  allowDns: true,
  state: 'active',
  appliedTo: [],
  policyKind: null,
  ...bookkeeping,
  ...patch,
});

export const loadBalancerRow = (patch: Partial<LoadBalancerRow> = {}): LoadBalancerRow => ({
  id: ids.loadBalancer,
  projectId: ids.project,
  name: 'front',
  forwardingRules: [{ entryProtocol: 'http', entryPort: 80, targetPort: 8080, hostname: null }],
  healthCheck: {
    protocol: 'http',
    port: 8080,
    path: '/healthz',
    intervalSeconds: 10,
    timeoutSeconds: 5,
    healthyThreshold: 3,
    unhealthyThreshold: 3,
  },
  dropletIds: [ids.droplet],
  tag: null,
  stickySessions: false,
  tlsCertificate: null,
  redirectHttpToHttps: false,
  state: 'active',
  address: null,
  healthy: [],
  targetHealth: {},
  ...bookkeeping,
  ...patch,
});

/** Related intent from plain values: namespaces ready, attachments, keys, tags and quotas. */
export const fakeLookup = (
  facts: {
    namespaceReady?: boolean;
    volumes?: Record<string, VolumeId[]>;
    keys?: Record<string, string>;
    tags?: TagIndex;
    quota?: QuotaRow;
    firewalled?: string[];
    firewallInbound?: Record<string, InboundRule[]>;
    databases?: Record<string, DatabaseFacts>;
    droplets?: Record<string, { ip: string | null; state: string }>;
    /** Attached volumes' names and filesystems, by id (`data`, ext4 when not given). */
    volumeFacts?: Record<string, { name: string; filesystem: 'ext4' | 'xfs' }>;
    customImages?: Record<string, { sourceType: 'registry' | 'http'; url: string; checksum: string | null }>;
    /** Bound buckets, by id. */
    buckets?: Record<string, BackupBucket>;
    databaseRows?: Record<string, DatabaseRow>;
  } = {},
): IntentLookup => ({
  volume: (id) => facts.volumeFacts?.[id] ?? { name: 'data', filesystem: 'ext4' },
  customImage: (slug) => facts.customImages?.[slug],
  namespaceReady: () => facts.namespaceReady ?? true,
  volumesOf: (dropletId) => facts.volumes?.[dropletId] ?? [],
  sshPublicKey: (_projectId, keyId) => facts.keys?.[keyId],
  tagIndex: () => facts.tags ?? {},
  quota: () => facts.quota,
  firewalled: () => facts.firewalled ?? [],
  firewallInbound: (_projectId, id) => facts.firewallInbound?.[id] ?? null,
  database: (_projectId, id) => facts.databases?.[id],
  droplet: (_projectId, id) => facts.droplets?.[id],
  bucket: (_projectId, id) => facts.buckets?.[id],
  databaseRow: (_projectId, id) => facts.databaseRows?.[id],
});
