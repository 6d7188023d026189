import type { Db, SyncRecord } from '@uncloud/db';
import {
  CREATE_ONLY,
  REVISION,
  type KindName,
  type IngressSettings,
  type KubeObject,
  type PolicyFlavour,
  type PullCredential,
  withInstallation,
} from '@uncloud/kube';
import type { IntentKind, ProjectId } from '@uncloud/sdk';
import { contains } from '../drift.ts';
import type { IntentId } from '../keys.ts';
import type { IntentLookup } from './lookup.ts';

export type { IntentKind };

/** Cluster facts the manifests depend on, from configuration. */
export interface SyncSettings {
  storageClass: string | undefined;
  ingressClass: string | undefined;
  policyFlavour: PolicyFlavour;
  /** How load balancers' Ingresses ask for certificates and redirects, over defaultIngressSettings. */
  loadBalancerIngress?: Partial<Omit<IngressSettings, 'className'>>;
  /** The namespace the engine runs in (in a cluster), let in on load balancers' health-check ports. */
  checkerNamespace?: string;
  /**
   * This installation's id, labelled on every object written (`uncloud.dev/installation`); orphan
   * collection only considers objects carrying it. Unset: no label, and every managed object is ours.
   */
  installationId?: string;
  /**
   * Where buckets are reached with S3 clients (default: the object store's Service in the cluster,
   * `OBJECT_STORE_ENDPOINT`); an installation whose store is reached from outside says where.
   */
  objectStoreEndpoint?: string;
  /**
   * Credentials for an app's private image (Uncloud's registry, or one the project gave), read
   * when its objects are computed; undefined: a public image, pulled without.
   */
  pullCredentialFor?: (projectId: ProjectId, image: string) => PullCredential | undefined;
}

/** The columns every reconciled row shares. */
export interface ReconciledRow {
  id: IntentId;
  state: string;
  generation: number;
  observedGeneration: number;
  observedAt: Date | null;
  syncError: string | null;
  deletedAt: Date | null;
}

export const waitingForNamespace = { waitingFor: "the project's namespace" };

/** Desired objects, or why they cannot be computed yet (the project's namespace is not there). */
export type Desired = { objects: KubeObject[] } | { waitingFor: string };

export interface Observation<Row extends ReconciledRow = ReconciledRow> {
  state: Row['state'];
  /** Runtime columns to write back. */
  values: Partial<Row>;
  /**
   * Why the resource cannot come up although its objects were written (state `error`): a
   * controller the cluster runs was refused what it needs, such as pods over the quota.
   */
  error?: string;
}

/**
 * One kind of intent, as the sync engine sees it (controller-runtime's Reconcile, split in halves):
 * `desired` computes the objects intent wants (loading related intent, then a pure manifest
 * function), `observe` turns the objects that exist into runtime facts and a state (pure).
 */
export interface KindReconciler<Row extends ReconciledRow = ReconciledRow> {
  kind: IntentKind;
  /** Kinds of the objects this resource owns: created, applied, pruned, deleted. */
  ownedKinds: KindName[];
  /** Kinds read only to observe runtime (made by controllers, owned through them). */
  runtimeKinds: KindName[];
  find(db: Db, id: Row['id']): Row | undefined;
  all(db: Db): Row[];
  /** The namespace the resource's objects live in (undefined for cluster-scoped ones). */
  namespaceOf(row: Row): string | undefined;
  desired(lookup: IntentLookup, row: Row, settings: SyncSettings): Desired;
  observe(row: Row, objects: KubeObject[], settings?: SyncSettings): Observation<Row>;
  /**
   * Names of objects whose `FailedCreate` warnings `observe` reads, for kinds whose controllers
   * report a refused pod or claim only as an Event (StatefulSets, operators). The engine lists those
   * Events of the namespace with the objects when this returns names; none while nothing waits.
   */
  failuresAbout?(row: Row): string[];
  /** The reason of those Events (default `FailedCreate`; a load balancer's is `AllocationFailed`). */
  failureReason?: string;
  /**
   * Objects that a controller makes for the resource without Uncloud's labels (the backups a
   * schedule takes), which intent takes in as resources of their own: the engine lists them by
   * `labelSelector` in the resource's namespace after each reconcile and `take` inserts rows for
   * those it does not know yet, returning their keys. Undefined: nothing to take in now.
   */
  adopts?(row: Row): { kind: KindName; labelSelector: string } | undefined;
  take?(db: Db, row: Row, objects: KubeObject[]): { kind: IntentKind; id: string; projectId: string }[];
  record(db: Db, id: Row['id'], values: SyncRecord<Row>): void;
  remove(db: Db, id: Row['id']): void;
  /** Records that rows were observed unchanged, in one statement. */
  touch(db: Db, ids: Row['id'][], at: Date): void;
}

/** What intent wants for a row, each object labelled with the installation that writes it. */
export const desiredOf = <Row extends ReconciledRow>(
  reconciler: KindReconciler<Row>,
  lookup: IntentLookup,
  row: Row,
  settings: SyncSettings,
): Desired => {
  const desired = reconciler.desired(lookup, row, settings);
  const { installationId } = settings;
  if ('waitingFor' in desired || !installationId) return desired;
  return { objects: desired.objects.map((o) => withInstallation(o, installationId)) };
};

// Created once, never re-applied unless older than intent's revision (packages/kube, manifests/meta.ts).
export { CREATE_ONLY, REVISION };

/**
 * On a desired object: an object of this name that a controller made (without Uncloud's labels)
 * may be taken over by applying this one, which adds the labels (a schedule's backup, taken in).
 */
export const ADOPT = 'uncloud.dev/adopt';

/** Whether two objects are the same object: kind, namespace and name. */
export const sameObject = (a: KubeObject, b: KubeObject) =>
  a.kind === b.kind &&
  a.metadata.name === b.metadata.name &&
  (a.metadata.namespace ?? '') === (b.metadata.namespace ?? '');

/** Whether an existing object already is what intent wants, judged as converge judges it. */
export const upToDate = (have: KubeObject, want: KubeObject) =>
  want.metadata.annotations?.[CREATE_ONLY] === 'true'
    ? // Only an older revision is replaced: a password reset writes the newer one itself, before
      // intent records that it took effect.
      Number(have.metadata.annotations?.[REVISION] ?? 0) >= Number(want.metadata.annotations[REVISION])
    : contains(have, want);

export const byKind = (objects: KubeObject[], kind: string) => objects.filter((o) => o.kind === kind);
export const firstOf = (objects: KubeObject[], kind: string) => objects.find((o) => o.kind === kind);
