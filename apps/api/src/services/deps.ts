import type { IntentStore } from '@uncloud/db';
import type { KubeObject, PodLogOptions } from '@uncloud/kube';
import type { ManagedKind, ResourceKind, SyncStatus } from '@uncloud/sdk';
import type { UserLimits } from '../config.ts';
import type { RegistryApi } from '../registry/registry-api.ts';
import type { Logger } from '../logger.ts';
import type { StreamRegistry } from './events.ts';
import type { ReservedIpSettings } from './reserved-ips.ts';

/** The kinds of intent the sync engine reconciles (the registry's, the project and its quota). */
export type IntentKind = ManagedKind;

export interface IntentChange {
  /** What changed: a kind the engine reconciles, or one it does not (an SSH key), for the streams. */
  kind: IntentKind | ResourceKind;
  id: string;
  projectId: string;
  /**
   * Who wrote: the API (intent, the default) or the sync engine (runtime facts, state, action
   * progress). The engine acts on the API's changes only; change streams report both.
   */
  origin?: 'api' | 'sync';
}

/**
 * Tells interested parties (the sync engine, the change streams) that a resource's row changed,
 * after the transaction that changed it committed, so that they can act at once instead of at the
 * next resync or scan.
 */
export interface IntentEvents {
  emit(change: IntentChange): void;
  subscribe(listener: (change: IntentChange) => void): () => void;
}

export const createIntentEvents = (): IntentEvents => {
  const listeners = new Set<(change: IntentChange) => void>();
  return {
    emit: (change) => listeners.forEach((listener) => listener(change)),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
};

/** What the services may ask of the runtime side. */
export interface RuntimeView {
  /** True while Kubernetes cannot be reached: runtime facts in SQLite may be out of date. */
  isStale(): boolean;
  /** A Secret's decoded data, or null when it does not exist; UNAVAILABLE without a cluster. */
  readSecret(namespace: string, name: string): Promise<Record<string, string> | null>;
  /**
   * Writes a Secret at once, labelled with this installation: for secrets Uncloud answers once and
   * must never store (a bucket's access key); UNAVAILABLE without a cluster or when it cannot be
   * reached.
   */
  writeSecret(secret: KubeObject): Promise<void>;
  /** The pods matching a label selector in a namespace; UNAVAILABLE without a reachable cluster. */
  listPods(namespace: string, labelSelector: string): Promise<KubeObject[]>;
  /** A pod's recent log with timestamps; NOT_FOUND when the pod is gone, UNAVAILABLE as above. */
  podLogs(namespace: string, pod: string, options: PodLogOptions): Promise<string>;
  /** A pod's log lines (with timestamps) as they are written, until `signal` aborts or the pod goes. */
  followPodLogs(
    namespace: string,
    pod: string,
    options: PodLogOptions,
    signal: AbortSignal,
  ): Promise<AsyncIterable<string>>;
  /**
   * What a VirtualMachineInstance's serial console prints from when it is opened until it has been
   * quiet for `quietMs` (or `maxMs` have passed), then closed; CONFLICT when it is not running.
   */
  consoleOutput(
    namespace: string,
    name: string,
    options: { quietMs: number; maxMs: number },
  ): Promise<string>;
  syncStatus(): SyncStatus;
}

/** Uncloud's private registry, as the registry service sees it. */
export interface RegistryServiceDeps {
  /** Uncloud's registry in image names; undefined: this installation offers none. */
  host: string | undefined;
  /** Reads the registry's repositories and tags; undefined without a registry. */
  api: RegistryApi | undefined;
}

export interface ServiceDeps {
  store: IntentStore;
  events: IntentEvents;
  runtime: RuntimeView;
  /** What one user may create (projects owned, API tokens); administrators are exempt. */
  userLimits: UserLimits;
  /** Period of CPU and memory sampling (default 15 s): a sample older than that is not current. */
  usageIntervalMs?: number;
  /** For what a service must not fail a call over (an audit event it could not write). */
  logger: Logger;
  /** The open streams (change feeds, followed logs), counted against one set of limits. */
  streams?: StreamRegistry;
  /** The administrator's pool of reserved IPs and the region (default: none, so none are offered). */
  reservedIps?: ReservedIpSettings;
  /** Uncloud's private registry: its host and its API (default: none, so none is offered). */
  registry?: RegistryServiceDeps;
}
