import {
  type ActionProgress,
  type ActionRow,
  type AppRow,
  type DatabaseRow,
  type Db,
  type DropletRow,
  type ResourceRepository,
  type Revert,
  type VolumeRow,
  actionsRepository,
  appsRepository,
  databasesRepository,
  dropletsRepository,
  volumesRepository,
} from '@uncloud/db';
import {
  type KubeGateway,
  type KubeObject,
  ACTION_ID,
  isKubeError,
  namespaceName,
  objectName,
  virtualMachineSnapshotManifest,
  withInstallation,
} from '@uncloud/kube';
import { type ActionKind, type ActionType, DropletId } from '@uncloud/sdk';
import { describeFailure } from './converge.ts';
import { statusOf } from './kinds/status.ts';

/** Where an action stands after a look at intent and the cluster. */
export type ActionOutcome =
  { status: 'in-progress' } | { status: 'completed' } | { status: 'errored'; error: string };

/** A resource actions run on. */
type ResourceRow = DropletRow | VolumeRow | AppRow | DatabaseRow;

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

const snapshotName = (action: ActionRow) => String(action.params.name);

/** Creates a KubeVirt VirtualMachineSnapshot once, then waits for it to be ready to use. */
const snapshot: Step = async ({ gateway, action, row, db, installationId }) => {
  if (!('poweredOn' in row)) return { status: 'errored', error: 'only droplets have snapshots' };
  const namespace = namespaceName(row.projectId);
  const progress = progressOf(action);
  if (!progress.snapshotCreated) {
    const unlabelled = virtualMachineSnapshotManifest({
      dropletId: row.id,
      projectId: row.projectId,
      dropletName: row.name,
      name: snapshotName(action),
      actionId: action.id,
    });
    const manifest = installationId ? withInstallation(unlabelled, installationId) : unlabelled;
    try {
      await gateway.create(manifest);
    } catch (error) {
      if (isKubeError(error, 'NotFound'))
        return {
          status: 'errored',
          error:
            'this cluster does not serve KubeVirt snapshots (snapshot.kubevirt.io VirtualMachineSnapshot); enable KubeVirt’s Snapshot feature gate and a storage class with CSI snapshot support',
        };
      const existing = isKubeError(error, 'Conflict')
        ? await gateway.get('VirtualMachineSnapshot', namespace, manifest.metadata.name)
        : null;
      if (!existing) throw error;
      if (existing.metadata.annotations?.[ACTION_ID] !== action.id)
        return {
          status: 'errored',
          error: `a snapshot named ${manifest.metadata.name} already exists in this project; take it again with another name`,
        };
    }
    actionsRepository.setProgress(db, action.id, { ...progress, snapshotCreated: true });
    return inProgress;
  }
  const current: KubeObject | null = await gateway.get(
    'VirtualMachineSnapshot',
    namespace,
    snapshotName(action),
  );
  if (!current) return { status: 'errored', error: 'the snapshot was deleted before it was ready' };
  const status = statusOf(current, 'VirtualMachineSnapshot');
  if (status.phase === 'Failed')
    return {
      status: 'errored',
      error: `KubeVirt could not take the snapshot: ${status.error?.message ?? 'no reason given'}`,
    };
  return when(status.readyToUse === true);
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

/** How each type of action is carried out and judged done, given what sync recorded. */
const steps: Record<ActionType, Step> = {
  powerOn: settledAs('active'),
  powerOff: settledAs('stopped'),
  resize: (ctx) =>
    'capacityGiB' in ctx.row
      ? when(applied(ctx) && (ctx.row.capacityGiB ?? 0) >= Number(ctx.action.params.sizeGiB))
      : settledAs('active', 'stopped')(ctx),
  reboot: restart,
  rebuild: (ctx) => {
    if (!applied(ctx)) return inProgress;
    return 'poweredOn' in ctx.row && ctx.row.poweredOn ? restart(ctx) : settledAs('stopped')(ctx);
  },
  snapshot,
  attach: dropletCaughtUp({
    status: 'errored',
    error: 'the droplet was deleted before the volume was attached',
  }),
  detach: dropletCaughtUp(completed),
  scale: rollout,
  deploy: rollout,
  redeploy: rollout,
  rollback: rollout,
  resetPassword: (ctx) => when(applied(ctx)),
};

/** Each kind's rows, seen through what they share: a resource row, and a patch of intent to revert. */
const repositories: Record<ActionKind, ResourceRepository<ResourceRow, unknown, Record<string, unknown>>> = {
  droplet: dropletsRepository,
  volume: volumesRepository,
  app: appsRepository,
  database: databasesRepository,
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
  /** Resources whose intent a failed action put back. */
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
  if (outcome.status === 'completed') actionsRepository.complete(db, action.id);
  if (outcome.status === 'errored')
    return { pending: false, reverted: failAction(db, action, outcome.error) };
  return { pending: outcome.status === 'in-progress', reverted: [] };
};
