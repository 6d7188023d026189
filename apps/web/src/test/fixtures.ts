import type { Action, ApiToken, App, Database, Droplet, User, Volume } from '@uncloud/sdk';
import { projectId } from './fake-api.ts';

/** API-shaped resources for component tests; each takes the fields the test cares about. */

const now = () => new Date().toISOString();

const reconciled = (state: string) => ({
  generation: 1,
  observedGeneration: state === 'active' || state === 'stopped' ? 1 : 0,
  observedAt: state === 'pending' ? null : now(),
  syncState: state === 'active' || state === 'stopped' ? 'synced' : 'pending',
  syncError: null,
  createdAt: now(),
  updatedAt: now(),
  deletedAt: null,
});

export const dropletId = 'dpl_0123456789abcdefghij' as Droplet['id'];
export const volumeId = 'vol_0123456789abcdefghij' as Volume['id'];
export const appId = 'app_0123456789abcdefghij' as App['id'];
export const databaseId = 'db_0123456789abcdefghij' as Database['id'];

export const droplet = (over: Partial<Droplet> = {}): Droplet =>
  ({
    id: dropletId,
    projectId,
    name: 'web-1',
    size: 's-1vcpu-1gb',
    vcpus: 1,
    memoryMiB: 1024,
    diskGiB: 25,
    image: 'ubuntu-24-04',
    sshKeyIds: [],
    tags: ['web'],
    userData: null,
    userDataRedacted: false,
    volumeIds: [],
    poweredOn: (over.state ?? 'active') !== 'stopped',
    ip: '10.0.0.7',
    publicIp: null,
    reservedIp: null,
    node: 'node-1',
    phase: 'Running',
    ...reconciled(over.state ?? 'active'),
    state: 'active',
    ...over,
  }) as Droplet;

export const volume = (over: Partial<Volume> = {}): Volume =>
  ({
    id: volumeId,
    projectId,
    name: 'data',
    sizeGiB: 10,
    filesystem: 'ext4',
    description: '',
    tags: [],
    dropletId: null,
    phase: 'Bound',
    capacityGiB: 10,
    ...reconciled(over.state ?? 'active'),
    state: 'active',
    ...over,
  }) as Volume;

export const app = (over: Partial<App> = {}): App =>
  ({
    id: appId,
    projectId,
    name: 'api',
    image: 'nginx:1.27',
    port: 80,
    replicas: 2,
    env: { MODE: 'prod' },
    envRedacted: false,
    domains: [],
    healthCheckPath: null,
    tags: [],
    readyReplicas: 2,
    availableReplicas: 2,
    updatedReplicas: 2,
    previousImage: null,
    url: null,
    databases: [],
    ...reconciled(over.state ?? 'active'),
    state: 'active',
    ...over,
  }) as App;

export const database = (over: Partial<Database> = {}): Database =>
  ({
    id: databaseId,
    projectId,
    name: 'main',
    engine: 'postgres',
    version: '16',
    size: 'db-s-1vcpu-1gb',
    nodes: 1,
    storageGiB: 10,
    tags: [],
    readyNodes: 1,
    primary: 'main-1',
    connection: { host: 'main-rw.uc-shop.svc', port: 5432, database: 'app', user: 'app' },
    backups: null,
    recoverability: null,
    restoredFrom: null,
    note: null,
    ...reconciled(over.state ?? 'active'),
    state: 'active',
    ...over,
  }) as Database;

export const action = (over: Partial<Action> & Pick<Action, 'type' | 'resourceId'>): Action =>
  ({
    id: 'act_0123456789abcdefghij',
    projectId,
    resourceKind: 'droplet',
    status: 'in-progress',
    params: {},
    error: null,
    startedAt: now(),
    completedAt: null,
    ...over,
  }) as Action;

export const user = (over: Omit<Partial<User>, 'id'> & { id?: string } = {}): User =>
  ({
    id: 'usr_0123456789abcdefghij',
    name: 'ada',
    email: null,
    isAdmin: false,
    createdAt: now(),
    disabledAt: null,
    ...over,
  }) as User;

export const page = <T>(items: T[]) => ({ data: { items, nextCursor: null } });

export const conflict = (message: string) => ({
  error: { message, status: 409, data: { code: 'CONFLICT' } },
});

export const apiToken = (
  over: Omit<Partial<ApiToken>, 'id' | 'projectIds'> & { id?: string; projectIds?: string[] | null } = {},
): ApiToken =>
  ({
    id: 'tok_0123456789abcdefghij',
    name: 'laptop',
    prefix: 'uc_AbCd1234',
    createdAt: now(),
    lastUsedAt: null,
    expiresAt: null,
    readOnly: false,
    projectIds: null,
    current: false,
    ...over,
  }) as ApiToken;
