import {
  accountsRepository,
  type Db,
  appsRepository,
  dropletsRepository,
  newId,
  projectsRepository,
  quotasRepository,
  volumesRepository,
} from '@uncloud/db';
import { FIELD_MANAGER, managedSelector, withInstallation, type KubeObject } from '@uncloud/kube';
import type { StoredObject } from '@uncloud/kube-sim';
import { directLookup, reconcilers } from '@uncloud/sync';
import { dropletSizes } from '@uncloud/sdk';
import { waitFor } from '@uncloud/testing';
import { elapsedMs } from './stats.ts';
import type { BenchStack } from './stack.ts';

/** How a fleet of resources splits between kinds. */
export const fleetMix = { droplet: 0.4, volume: 0.3, app: 0.3 } as const;

export interface Fleet {
  resources: number;
  projects: { id: string; droplets: number }[];
  counts: { droplets: number; volumes: number; apps: number };
  /** Objects the resources map to. */
  objects: number;
  /** Inserting the intent rows, in one transaction. */
  seedMs: number;
  /** Creating their objects in the cluster until its controllers settle. */
  createMs: number;
  /** From the resync that found them to every resource recorded `active`. */
  adoptMs: number;
}

const reconciledTables = ['projects', 'droplets', 'volumes', 'apps'] as const;

/** Rows not yet converged (not active, or their generation not applied), over the given tables. */
const unconverged = (stack: BenchStack, tables: readonly string[]) =>
  tables.reduce(
    (sum, table) =>
      sum +
      (stack.api.store.sqlite
        .prepare(
          `select count(*) from ${table} where state != 'active' or observed_generation != generation or sync_error is not null`,
        )
        .pluck()
        .get() as number),
    0,
  );

/**
 * Beyond a few thousand objects the simulated cluster's controllers take minutes to settle (the
 * simulation persists its whole store every 200 ms and recounts quota usage on every change), so
 * above this many resources the rest are created with their controllers paused, carrying the
 * status the controllers wrote on live objects of the same kind (and, for virtual machines, the
 * running instance the engine reads): exactly what a resync lists on a cluster at rest.
 */
const LIVE = 1000;

const copyLive = (stack: BenchStack, objects: KubeObject[]) => {
  const { sim } = stack;
  const typeOf = (apiVersion: string, kind: string) => {
    const type = sim.registry.byKind(apiVersion, kind);
    if (!type) throw new Error(`the simulated cluster does not serve ${apiVersion} ${kind}`);
    return type;
  };
  const template = (apiVersion: string, kind: string) => {
    const live = sim.api.list(typeOf(apiVersion, kind), undefined, { labelSelector: managedSelector() })
      .items[0];
    if (!live) throw new Error(`no live ${kind} to copy the status of`);
    return live as unknown as KubeObject & { status?: unknown; spec?: unknown };
  };
  const templates = new Map<string, KubeObject & { status?: unknown }>();
  const vmi = template('kubevirt.io/v1', 'VirtualMachineInstance');
  sim.pauseControllers();
  for (const object of objects) {
    const key = `${object.apiVersion} ${object.kind}`;
    if (!templates.has(key)) templates.set(key, template(object.apiVersion, object.kind));
    const status = templates.get(key)!.status;
    const created = sim.api.create(
      typeOf(object.apiVersion, object.kind),
      object.metadata.namespace ?? '',
      { ...structuredClone(object), ...(status ? { status: structuredClone(status) } : {}) } as StoredObject,
      { fieldManager: FIELD_MANAGER, keepStatus: true },
    );
    if (object.kind !== 'VirtualMachine') continue;
    const spec = (
      object as unknown as {
        spec: { template: { metadata?: { labels?: Record<string, string> }; spec: unknown } };
      }
    ).spec.template;
    sim.api.create(
      typeOf('kubevirt.io/v1', 'VirtualMachineInstance'),
      object.metadata.namespace ?? '',
      {
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachineInstance',
        metadata: {
          name: object.metadata.name,
          namespace: object.metadata.namespace,
          labels: { ...spec.metadata?.labels },
          ownerReferences: [
            {
              apiVersion: 'kubevirt.io/v1',
              kind: 'VirtualMachine',
              name: object.metadata.name,
              uid: created.metadata.uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: structuredClone(spec.spec),
        status: structuredClone(vmi.status),
      } as StoredObject,
      { keepStatus: true },
    );
  }
};

/** VirtualMachineInstances the simulated cluster runs. */
const runningInstances = (stack: BenchStack) => {
  const type = stack.sim.registry.byKind('kubevirt.io/v1', 'VirtualMachineInstance');
  if (!type) throw new Error('the simulated cluster does not serve VirtualMachineInstance');
  return stack.sim.api
    .list(type, undefined, { labelSelector: managedSelector() })
    .items.filter((o) => (o as { status?: { phase?: string } }).status?.phase === 'Running').length;
};

/** Until the simulated cluster stops changing (its controllers are done) for a little while. */
const waitForQuiet = async (stack: BenchStack, timeoutMs: number) => {
  let last = -1;
  let since = performance.now();
  await waitFor(
    () => {
      const version = stack.sim.store.resourceVersion;
      if (version !== last) [last, since] = [version, performance.now()];
      return elapsedMs(since) > 300;
    },
    { timeout: timeoutMs, interval: 50, message: 'the simulated cluster to settle' },
  );
};

let lastProgress = 0;
const progress = (stack: BenchStack) => {
  if (performance.now() - lastProgress < 2000) return;
  lastProgress = performance.now();
  const rows = reconciledTables.map((table) => ({
    table,
    states: stack.api.store.sqlite
      .prepare(`select state, count(*) n, count(sync_error) errors from ${table} group by state`)
      .all(),
  }));
  console.error(JSON.stringify({ rows, status: stack.sync.status() }));
};

const bigQuota = {
  droplets: 100_000,
  vcpus: 1_000_000,
  memoryMiB: 1_000_000_000,
  volumeGiB: 1_000_000,
  apps: 100_000,
  databases: 100,
};

/**
 * Brings `resources` resources (droplets, volumes and apps, spread over `projectCount` projects)
 * to `active`: intent rows go straight into SQLite in one transaction, as the API would write them,
 * then the engine creates every object in the cluster itself, so the objects are exactly what it
 * makes. Returns once everything converged.
 */
export const seedFleet = async (
  stack: BenchStack,
  { resources, projectCount, timeoutMs }: { resources: number; projectCount: number; timeoutMs: number },
): Promise<Fleet> => {
  const { store } = stack.api;
  const counts = {
    droplets: Math.round(resources * fleetMix.droplet),
    volumes: Math.round(resources * fleetMix.volume),
    apps: 0,
  };
  counts.apps = resources - counts.droplets - counts.volumes;

  // Projects first: their namespaces must exist before anything in them converges.
  const run = Math.random().toString(36).slice(2, 7);
  const projectIds = store.transaction((db) => {
    const admin = accountsRepository.listUsers(db).find((u) => u.isAdmin)!;
    return Array.from({ length: projectCount }, (_, p) => {
      const row = projectsRepository.insert(db, {
        id: newId('project'),
        name: `fleet-${run}-${p}`,
        description: '',
        purpose: 'Benchmark',
      });
      projectsRepository.putMember(db, row.id, admin.id, 'owner');
      quotasRepository.insert(db, { projectId: row.id, ...bigQuota });
      return row.id;
    });
  });
  await stack.sync.resync();
  await waitFor(() => unconverged(stack, ['projects']) === 0, {
    timeout: 60_000,
    interval: 50,
    message: 'the fleet projects to be active',
  });

  const seedStarted = performance.now();
  const perProject = new Map(projectIds.map((id) => [id, 0]));
  // The objects the engine itself would create for each row.
  const objects: KubeObject[] = [];
  const copied: KubeObject[] = [];
  // The controllers bring up at most LIVE resources; the rest copy their statuses (see below).
  const liveShare = Math.min(1, LIVE / resources);
  const add = (count: number, i: number, ...made: KubeObject[]) =>
    (i < Math.ceil(count * liveShare) ? objects : copied).push(...made);
  const settings = { storageClass: undefined, ingressClass: undefined, policyFlavour: 'cilium' as const };
  // Labelled with the stack's installation, as the engine labels what it writes: otherwise the
  // adopting pass would find every object unlabelled and re-apply it.
  const installationId = stack.sync.status().installationId;
  const desiredOf = (db: Db, kind: 'droplet' | 'volume' | 'app', row: { id: string }) => {
    const desired = reconcilers[kind].desired(directLookup(db), row as never, settings);
    if ('waitingFor' in desired) throw new Error(`${row.id} is waiting for ${desired.waitingFor}`);
    return installationId
      ? desired.objects.map((object) => withInstallation(object, installationId))
      : desired.objects;
  };
  store.transaction((db) => {
    const projectOf = (i: number) => projectIds[i % projectIds.length]!;
    for (let i = 0; i < counts.droplets; i++) {
      const projectId = projectOf(i);
      perProject.set(projectId, perProject.get(projectId)! + 1);
      const row = dropletsRepository.insert(db, {
        id: newId('droplet'),
        projectId,
        name: `vm-${i}`,
        size: dropletSizes[i % 3]!.slug,
        image: 'ubuntu-24-04',
        sshKeyIds: [],
        tags: i % 2 ? ['web'] : ['web', 'env:prod'],
        userData: null,
      });
      add(counts.droplets, i, ...desiredOf(db, 'droplet', row));
    }
    for (let i = 0; i < counts.volumes; i++) {
      const row = volumesRepository.insert(db, {
        id: newId('volume'),
        projectId: projectOf(i),
        name: `data-${i}`,
        sizeGiB: 10,
        filesystem: 'ext4',
        description: '',
        tags: [],
      });
      add(counts.volumes, i, ...desiredOf(db, 'volume', row));
    }
    for (let i = 0; i < counts.apps; i++) {
      const row = appsRepository.insert(db, {
        id: newId('app'),
        projectId: projectOf(i),
        name: `app-${i}`,
        image: 'nginx:1.27',
        port: 80,
        replicas: 1,
        env: {},
        domains: [],
        healthCheckPath: null,
        tags: [],
      });
      add(counts.apps, i, ...desiredOf(db, 'app', row));
    }
    // As if the engine had applied this generation before: what is left is to observe it.
    for (const table of ['droplets', 'volumes', 'apps'])
      stack.api.store.sqlite.prepare(`update ${table} set observed_generation = generation`).run();
  });
  const seedMs = elapsedMs(seedStarted);

  // Creating 10 000 objects through the gateway costs a TLS handshake each (see the report), so
  // they go into the simulated cluster's API in-process, as field manager `uncloud`; its
  // controllers then bring them up as they would.
  const createStarted = performance.now();
  for (const object of objects) {
    const type = stack.sim.registry.byKind(object.apiVersion, object.kind);
    if (!type) throw new Error(`the simulated cluster does not serve ${object.apiVersion} ${object.kind}`);
    stack.sim.api.create(type, object.metadata.namespace ?? '', structuredClone(object) as never, {
      fieldManager: FIELD_MANAGER,
    });
  }
  await waitForQuiet(stack, timeoutMs);
  // A quiet spell is not the end when a controller waits on a timer (a pod retried for a node):
  // the copies below need every live VirtualMachine's instance running.
  const liveVms = objects.filter((o) => o.kind === 'VirtualMachine').length;
  await waitFor(() => runningInstances(stack) >= liveVms, {
    timeout: timeoutMs,
    interval: 500,
    message: `${liveVms} VirtualMachineInstances to run`,
  });
  if (copied.length > 0) copyLive(stack, copied);
  await waitForQuiet(stack, timeoutMs);
  const createMs = elapsedMs(createStarted);

  // One resync adopts them: observes every object and records the resources as active.
  const adoptStarted = performance.now();
  await stack.sync.resync();
  await waitFor(
    () => {
      if (process.env.BENCH_DEBUG) progress(stack);
      return unconverged(stack, reconciledTables) === 0;
    },
    { timeout: timeoutMs, interval: 50, message: `${resources} resources to be active` },
  );
  const adoptMs = elapsedMs(adoptStarted);
  // Nothing left in flight: the measured pass must not overlap the tail of the convergence.
  await stack.sync.queue.idle();
  await waitForQuiet(stack, timeoutMs);
  return {
    resources,
    projects: projectIds.map((id) => ({ id, droplets: perProject.get(id)! })),
    counts,
    objects: objects.length + copied.length,
    seedMs,
    createMs,
    adoptMs,
  };
};
