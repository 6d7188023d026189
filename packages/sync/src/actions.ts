import {
  type ActionProgress,
  type ActionRow,
  type AppRow,
  type DatabaseRow,
  type Db,
  type DropletRow,
  type ReservedIpRow,
  type LoadBalancerRow,
  type ResourceRepository,
  type Revert,
  type VolumeRow,
  actionsRepository,
  appsRepository,
  databasesRepository,
  dropletsRepository,
  reservedIpsRepository,
  loadBalancersRepository,
  snapshotsRepository,
  volumesRepository,
} from '@uncloud/db';
import {
  type KubeGateway,
  type KubeObject,
  DATABASE_USER,
  credentialsSecretName,
  defaultRootDiskName,
  isKubeError,
  kinds,
  nextPasswordSecretName,
  parseQuantity,
  passwordResetJobName,
  namespaceName,
  objectName,
  restoredRootDiskName,
  virtualMachineRestoreManifest,
  withInstallation,
} from '@uncloud/kube';
import { type ActionKind, type ActionType, DropletId, SnapshotId, findDropletSize } from '@uncloud/sdk';
import { describeFailure } from './converge.ts';
import { credentialsSecret } from './kinds/database.ts';
import { statusOf } from './kinds/status.ts';
import { REVISION } from './kinds/types.ts';

/** Where an action stands after a look at intent and the cluster. */
export type ActionOutcome =
  | { status: 'in-progress' }
  // `requeue`: other resources the completed action changes (apps rolled by a password reset).
  | { status: 'completed'; requeue?: Revert[] }
  | { status: 'errored'; error: string };

/** A resource actions run on. */
type ResourceRow = DropletRow | VolumeRow | AppRow | DatabaseRow | ReservedIpRow | LoadBalancerRow;

interface StepContext {
  db: Db;
  gateway: KubeGateway;
  action: ActionRow;
  /** The resource, as the sync engine just recorded it. */
  row: ResourceRow;
  /** The installation whose label the objects an action creates carry (none when unset). */
  installationId: string | undefined;
}

type Step = (ctx: StepContext) => ActionOutcome | Promise<ActionOutcome>;

const inProgress: ActionOutcome = { status: 'in-progress' };
const completed: ActionOutcome = { status: 'completed' };
const when = (done: boolean): ActionOutcome => (done ? completed : inProgress);

/** The action's change of intent has been applied to the cluster without error. */
const applied = ({ action, row }: StepContext) =>
  action.generation === null || (row.observedGeneration >= action.generation && row.syncError === null);

const progressOf = (action: ActionRow): ActionProgress => action.progress ?? {};

const vmiOf = (gateway: KubeGateway, row: ResourceRow) =>
  gateway.get('VirtualMachineInstance', namespaceName(row.projectId), objectName(row.id));

/**
 * Restarts a droplet's running instance through KubeVirt's `restart` subresource (as `virtctl
 * restart` does), once; done when a new instance, not the one it replaced, is running.
 */
const restart: Step = async (ctx) => {
  const { gateway, action, row, db } = ctx;
  const progress = progressOf(action);
  const vmi = await vmiOf(gateway, row);
  if (progress.restartedInstanceUid === undefined) {
    if (!vmi?.metadata.uid)
      return { status: 'errored', error: 'the droplet is not running; power it on first' };
    await gateway.restartVirtualMachine(namespaceName(row.projectId), objectName(row.id));
    actionsRepository.setProgress(db, action.id, { ...progress, restartedInstanceUid: vmi.metadata.uid });
    return inProgress;
  }
  return when(vmi !== null && vmi.metadata.uid !== progress.restartedInstanceUid && row.state === 'active');
};

/**
 * A droplet snapshot is a snapshot row the sync engine drives (a VirtualMachineSnapshot): the action
 * is done when the snapshot is ready to use, and fails with the reason when it cannot be taken.
 */
const snapshot: Step = ({ db, action }) => {
  const id = SnapshotId.safeParse(action.params.snapshotId);
  const row = id.success ? snapshotsRepository.byId(db, id.data) : undefined;
  if (!row || row.state === 'deleting')
    return { status: 'errored', error: 'the snapshot was deleted before it was ready' };
  // The API missing (a 404 on the kind): KubeVirt's snapshot feature is not there.
  if (row.syncError && /does not serve|could not find/.test(row.syncError))
    return {
      status: 'errored',
      error:
        'this cluster does not serve KubeVirt snapshots (snapshot.kubevirt.io VirtualMachineSnapshot); enable KubeVirt’s Snapshot feature gate and a storage class with CSI snapshot support',
    };
  if (row.state === 'error')
    return {
      status: 'errored',
      error: row.syncError
        ? `KubeVirt could not take the snapshot: ${row.syncError}`
        : "KubeVirt took the snapshot without the droplet's root disk: the disk's storage class has no VolumeSnapshotClass (CSI snapshots); ask the cluster's administrator for one",
    };
  return when(row.state === 'active');
};

/**
 * Once a rebuild or restore has the droplet running on its new root disk, the old DataVolume (and
 * with it its claim) is deleted: KubeVirt keeps a VM's DataVolumes that left its templates.
 */
const dropOldRootDisk = async ({ db, gateway, action, row }: StepContext): Promise<ActionOutcome> => {
  const progress = progressOf(action);
  const old = typeof action.params.previousRootDisk === 'string' ? action.params.previousRootDisk : null;
  const current = 'rootDisk' in row ? (row.rootDisk ?? defaultRootDiskName(row.id)) : null;
  if (old && old !== current && !progress.oldRootDiskDeleted) {
    await gateway.delete({
      apiVersion: kinds.DataVolume.apiVersion,
      kind: 'DataVolume',
      metadata: { name: old, namespace: namespaceName(row.projectId) },
    });
    actionsRepository.setProgress(db, action.id, { ...progress, oldRootDiskDeleted: true });
  }
  return completed;
};

/** Waits for the change of intent, then for the droplet to run (or rest) on it, then drops the old disk. */
const onNewRootDisk: Step = async (ctx) => {
  if (!applied(ctx)) return inProgress;
  const outcome =
    'poweredOn' in ctx.row && ctx.row.poweredOn ? await restart(ctx) : await settledAs('stopped')(ctx);
  return outcome.status === 'completed' ? dropOldRootDisk(ctx) : outcome;
};

/**
 * Restores a powered-off droplet to a snapshot through a KubeVirt VirtualMachineRestore, made once.
 * Intent follows at once to the disk the restore gives the VM (`restore-<uid>-rootdisk`, cloned from
 * the snapshot's VolumeSnapshot), so that the engine applies what KubeVirt writes rather than undo
 * it; done when the restore is complete and the droplet stopped on its new disk.
 */
const restore: Step = async (ctx) => {
  const { db, gateway, action, row, installationId } = ctx;
  if (!('poweredOn' in row)) return { status: 'errored', error: 'only droplets are restored' };
  const snapshotId = SnapshotId.safeParse(action.params.snapshotId);
  const snap = snapshotId.success ? snapshotsRepository.byId(db, snapshotId.data) : undefined;
  const progress = progressOf(action);
  const namespace = namespaceName(row.projectId);
  const name = `restore-${objectName(action.id)}`;
  if (progress.restoreUid === undefined) {
    if (!snap || snap.state !== 'active' || !snap.volumeSnapshot)
      return { status: 'errored', error: 'the snapshot was deleted before the droplet was restored' };
    const unlabelled = virtualMachineRestoreManifest({
      dropletId: row.id,
      projectId: row.projectId,
      dropletName: row.name,
      snapshotId: snap.id,
      actionId: action.id,
    });
    const manifest = installationId ? withInstallation(unlabelled, installationId) : unlabelled;
    let made: KubeObject | null;
    try {
      made = await gateway.create(manifest);
    } catch (error) {
      if (isKubeError(error, 'NotFound'))
        return {
          status: 'errored',
          error:
            'this cluster does not serve KubeVirt restores (snapshot.kubevirt.io VirtualMachineRestore); enable KubeVirt’s Snapshot feature gate',
        };
      if (!isKubeError(error, 'Conflict')) throw error;
      made = await gateway.get('VirtualMachineRestore', namespace, name);
    }
    const uid = made?.metadata.uid;
    if (!uid) return inProgress;
    dropletsRepository.update(db, row.projectId, row.id, {
      rootDisk: restoredRootDiskName(uid),
      rootDiskSnapshotId: snap.id,
      rootDiskVolumeSnapshot: snap.volumeSnapshot,
    });
    actionsRepository.setProgress(db, action.id, { ...progress, restoreUid: uid });
    return inProgress;
  }
  const current = await gateway.get('VirtualMachineRestore', namespace, name);
  if (!current) return { status: 'errored', error: 'the restore was deleted before it completed' };
  const status = statusOf(current, 'VirtualMachineRestore');
  const fresh = dropletsRepository.byId(db, row.id);
  if (
    status.complete !== true ||
    !fresh ||
    fresh.observedGeneration < fresh.generation ||
    fresh.syncError !== null ||
    fresh.state !== 'stopped'
  )
    return inProgress;
  return dropOldRootDisk({ ...ctx, row: fresh });
};

/** Attaching and detaching change the droplet's VM: done when the droplet has applied that. */
const dropletCaughtUp =
  (onDropletGone: ActionOutcome): Step =>
  ({ db, action }) => {
    const dropletId = DropletId.safeParse(action.params.dropletId);
    const droplet = dropletId.success ? dropletsRepository.byId(db, dropletId.data) : undefined;
    if (!droplet || droplet.state === 'deleting') return onDropletGone;
    return when(
      action.generation !== null &&
        droplet.observedGeneration >= action.generation &&
        droplet.syncError === null,
    );
  };

const settledAs =
  (...states: string[]): Step =>
  (ctx) =>
    when(applied(ctx) && states.includes(ctx.row.state));

/**
 * A rollout is done when every replica runs the new template and is ready. It fails when the
 * Deployment reports that it gave up (`ProgressDeadlineExceeded`: pods that never get ready, a
 * quota that refuses them); the revert then rolls the app back to what ran before.
 */
const rollout: Step = async (ctx) => {
  if (!applied(ctx)) return inProgress;
  if (ctx.row.state === 'active') return completed;
  const deployment = await ctx.gateway.get(
    'Deployment',
    namespaceName(ctx.row.projectId),
    objectName(ctx.row.id),
  );
  const conditions = statusOf(deployment, 'Deployment').conditions ?? [];
  const progressing = conditions.find((c) => c.type === 'Progressing');
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded')
    return {
      status: 'errored',
      error: `the rollout did not finish in time (${progressing.message ?? 'progress deadline exceeded'}); the app goes back to what it ran before`,
    };
  return inProgress;
};

/** The apps a database is attached to, to reconcile again (their pods roll to the new password). */
const appsAttachedTo = (db: Db, database: DatabaseRow): Revert[] =>
  appsRepository
    .all(db)
    .filter(
      (a) => a.projectId === database.projectId && a.databases.some((d) => d.databaseId === database.id),
    )
    .map((a) => ({ kind: 'app', id: a.id, patch: {} }));

/** Puts the revision the server now accepts on the row, and rolls the apps attached to it. */
const passwordInEffect = (ctx: StepContext, revision: number): ActionOutcome => {
  const row = ctx.row as DatabaseRow;
  databasesRepository.recordSync(ctx.db, row.id, {
    activePasswordRevision: revision,
    observedGeneration: row.observedGeneration,
    observedAt: row.observedAt ?? new Date(),
    syncError: row.syncError,
  });
  return { status: 'completed', requeue: appsAttachedTo(ctx.db, row) };
};

/**
 * A password reset is done when the server accepts the new password. PostgreSQL: CloudNativePG has
 * applied the credentials Secret as it now is to the role (it records the Secret's resourceVersion
 * in `status.managedRolesStatus.passwordStatus`). MySQL and Valkey: the engine's reset Job has
 * succeeded; then its password goes into the credentials Secret, which apps and `credentials` read.
 */
const resetPassword: Step = async (ctx) => {
  if (!applied(ctx)) return inProgress;
  const row = ctx.row as DatabaseRow;
  const revision = row.passwordRevision;
  if (row.activePasswordRevision >= revision) return completed;
  const namespace = namespaceName(row.projectId);
  if (row.engine === 'postgres') {
    const [cluster, secret] = await Promise.all([
      ctx.gateway.get('Cluster', namespace, objectName(row.id)),
      ctx.gateway.get('Secret', namespace, credentialsSecretName(row)),
    ]);
    const roles = statusOf(cluster, 'Cluster').managedRolesStatus;
    const refused = roles?.cannotReconcile?.[DATABASE_USER];
    if (refused?.length)
      return { status: 'errored', error: `CloudNativePG could not set the password: ${refused.join('; ')}` };
    const appliedVersion = roles?.passwordStatus?.[DATABASE_USER]?.resourceVersion;
    const wanted = secret?.metadata.annotations?.[REVISION] === String(revision);
    return wanted && appliedVersion !== undefined && appliedVersion === secret?.metadata.resourceVersion
      ? passwordInEffect(ctx, revision)
      : inProgress;
  }
  const job = await ctx.gateway.get('Job', namespace, passwordResetJobName(row, revision));
  const conditions = statusOf(job, 'Job').conditions ?? [];
  const failed = conditions.find((c) => c.type === 'Failed' && c.status === 'True');
  if (failed)
    return {
      status: 'errored',
      error: `the database server did not take the new password (${failed.message ?? failed.reason ?? 'the reset Job failed'}); the old password still works — reset again`,
    };
  if (!conditions.some((c) => c.type === 'Complete' && c.status === 'True')) return inProgress;
  const stored = await ctx.gateway.get('Secret', namespace, nextPasswordSecretName(row, revision));
  const data = (stored as { data?: Record<string, string> } | null)?.data;
  const next = data?.password ? { password: Buffer.from(data.password, 'base64').toString() } : null;
  if (!next?.password)
    return { status: 'errored', error: 'the new password went missing before it was saved; reset again' };
  const secret = credentialsSecret(row, { revision, password: next.password });
  await ctx.gateway.apply(ctx.installationId ? withInstallation(secret, ctx.installationId) : secret);
  return passwordInEffect(ctx, revision);
};

/** How each type of action is carried out and judged done, given what sync recorded. */
const steps: Record<ActionType, Step> = {
  powerOn: settledAs('active'),
  powerOff: settledAs('stopped'),
  resize: (ctx) =>
    'capacityGiB' in ctx.row
      ? when(applied(ctx) && (ctx.row.capacityGiB ?? 0) >= Number(ctx.action.params.sizeGiB))
      : 'poweredOn' in ctx.row
        ? growRootDisk(ctx)
        : settledAs('active', 'stopped')(ctx),
  reboot: restart,
  rebuild: onNewRootDisk,
  snapshot,
  restore,
  attach: dropletCaughtUp({
    status: 'errored',
    error: 'the droplet was deleted before the volume was attached',
  }),
  detach: dropletCaughtUp(completed),
  scale: rollout,
  deploy: rollout,
  redeploy: rollout,
  rollback: rollout,
  resetPassword: (ctx) => resetPassword(ctx),
  // The Service now selects the new droplet (or none) and still holds the address.
  assign: settledAs('active'),
  unassign: settledAs('active'),
  // The load balancer's objects (its EndpointSlice) now list the droplets it sends to.
  addDroplets: settledAs('active'),
  removeDroplets: settledAs('active'),
};

/**
 * A droplet resized to a size with a larger disk grows its root disk's claim (KubeVirt leaves a
 * DataVolume as it was created; the claim's storage class must allow expansion): done when the
 * claim's capacity is the size's disk and the droplet has settled.
 */
const growRootDisk: Step = async (ctx) => {
  const { gateway, row } = ctx;
  if (!applied(ctx) || !('poweredOn' in row)) return inProgress;
  if (row.state !== 'active' && row.state !== 'stopped') return inProgress;
  const claim = row.rootDisk ?? defaultRootDiskName(row.id);
  const namespace = namespaceName(row.projectId);
  const wanted = findDropletSize(row.size).diskGiB;
  const pvc = await gateway.get('PersistentVolumeClaim', namespace, claim);
  if (!pvc) return inProgress;
  const requested = parseQuantity(
    (pvc.spec as { resources?: { requests?: { storage?: string } } } | undefined)?.resources?.requests
      ?.storage ?? '',
  );
  if ((requested ?? 0) < wanted * 2 ** 30)
    await gateway.apply({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: claim, namespace },
      spec: { resources: { requests: { storage: `${wanted}Gi` } } },
    });
  const capacity = parseQuantity(statusOf(pvc, 'PersistentVolumeClaim').capacity?.storage ?? '');
  return when((capacity ?? 0) >= wanted * 2 ** 30);
};

/** Each kind's rows, seen through what they share: a resource row, and a patch of intent to revert. */
const repositories: Record<ActionKind, ResourceRepository<ResourceRow, unknown, Record<string, unknown>>> = {
  droplet: dropletsRepository,
  volume: volumesRepository,
  app: appsRepository,
  database: databasesRepository,
  reservedIp: reservedIpsRepository,
  loadBalancer: loadBalancersRepository,
};

/**
 * Ends an action in failure and puts intent back to what the cluster still runs, so the resource
 * does not keep retrying a change Kubernetes refused. Returns the resources to reconcile again.
 */
export const failAction = (db: Db, action: ActionRow, error: string): Revert[] => {
  const reverts = progressOf(action).revert ?? [];
  for (const { kind, id, patch } of reverts) {
    const repository = repositories[kind];
    const current = repository.byId(db, id);
    if (current && current.state !== 'deleting') repository.update(db, action.projectId, id, patch);
  }
  actionsRepository.fail(db, action.id, error);
  return reverts;
};

export interface AdvanceResult {
  /** The action still runs: look again soon. */
  pending: boolean;
  /** Resources to reconcile again: those whose intent a failed action put back, or that a completed one changed. */
  reverted: Revert[];
}

/**
 * Moves the action running on a resource forward after its reconcile: performs its one-off step
 * (restart, snapshot) and completes it when intent and the cluster show the result.
 */
export const advanceAction = async (
  db: Db,
  gateway: KubeGateway,
  resourceId: string,
  installationId?: string,
): Promise<AdvanceResult> => {
  const action = actionsRepository.inProgressOn(db, resourceId);
  if (!action) return { pending: false, reverted: [] };
  const row = repositories[action.resourceKind].byId(db, action.resourceId);
  if (!row || row.state === 'deleting') {
    actionsRepository.fail(
      db,
      action.id,
      `the ${action.resourceKind} was deleted before the action finished`,
    );
    return { pending: false, reverted: [] };
  }
  let outcome: ActionOutcome;
  try {
    outcome = await steps[action.type]({ db, gateway, action, row, installationId });
  } catch (error) {
    const failure = describeFailure(error);
    if (failure.unavailable || failure.reason === 'Conflict') throw failure;
    outcome = { status: 'errored', error: failure.message };
  }
  if (outcome.status === 'completed') {
    actionsRepository.complete(db, action.id);
    return { pending: false, reverted: outcome.requeue ?? [] };
  }
  if (outcome.status === 'errored')
    return { pending: false, reverted: failAction(db, action, outcome.error) };
  return { pending: outcome.status === 'in-progress', reverted: [] };
};
