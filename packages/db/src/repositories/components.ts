import { eq, sql } from 'drizzle-orm';
import type { ActionId, ComponentAction, ComponentName, StorageVariant } from '@uncloud/sdk';
import type { Db } from '../client.ts';
import { actions, components, settings } from '../schema.ts';

export type ComponentRow = typeof components.$inferSelect;
export type ComponentRecord = Partial<
  Pick<
    ComponentRow,
    'state' | 'installedVersion' | 'applied' | 'health' | 'action' | 'observedAt' | 'syncError'
  >
> & { observedGeneration?: number };

/**
 * What the cluster was last seen to hold that creates depend on: which CRDs it serves and its
 * default storage class. Written by the sync engine, read by the API to refuse a create that would
 * need a missing component; absent until the cluster was first looked at.
 */
export interface ClusterCapabilities {
  observedAt: string;
  /** CRD names found (`virtualmachines.kubevirt.io`, …) among those the provisioner looks for. */
  crds: string[];
  storageClasses: string[];
  defaultStorageClass: string | null;
  /** Components found in the cluster by their marks (a CRD served, a Deployment, a default class). */
  present: ComponentName[];
}

const CAPABILITIES = 'cluster_capabilities';

/** The provisioner's intent (administrators) and the facts the sync engine writes back. */
export const componentsRepository = {
  all: (db: Db): ComponentRow[] => db.select().from(components).all(),

  find: (db: Db, name: ComponentName): ComponentRow | undefined =>
    db.select().from(components).where(eq(components.name, name)).get(),

  /**
   * Asks for the component at `version`: a new row, or a change of intent (generation bumps). The
   * action is also a system action in the actions table (no project), listed and awaited as one.
   */
  desire(
    db: Db,
    name: ComponentName,
    intent: { desired: 'installed' | 'uninstalled'; version: string; variant: StorageVariant | null },
    action: ComponentAction,
  ): ComponentRow {
    db.insert(actions)
      .values({
        id: action.id as ActionId,
        projectId: null,
        resourceKind: 'component',
        resourceId: name,
        type: action.type,
        status: action.status,
        params: { version: intent.version, ...(intent.variant ? { variant: intent.variant } : {}) },
        createdAt: new Date(action.startedAt),
      })
      .run();
    return db
      .insert(components)
      .values({
        name,
        ...intent,
        action,
        state: intent.desired === 'installed' ? 'installing' : 'uninstalling',
      })
      .onConflictDoUpdate({
        target: components.name,
        set: {
          ...intent,
          action,
          state: intent.desired === 'installed' ? 'installing' : 'uninstalling',
          syncError: null,
          generation: sql`${components.generation} + 1`,
          updatedAt: new Date(),
        },
      })
      .returning()
      .get();
  },

  /** The engine's record of a pass: facts, state and the generation it applied. */
  record(db: Db, name: ComponentName, values: ComponentRecord): void {
    const { action } = values;
    db.transaction((tx) => {
      tx.update(components).set(values).where(eq(components.name, name)).run();
      // Its outcome, on the system action too.
      if (action)
        tx.update(actions)
          .set({
            status: action.status,
            error: action.error,
            completedAt: action.completedAt ? new Date(action.completedAt) : null,
          })
          .where(eq(actions.id, action.id as ActionId))
          .run();
    });
  },

  /** Forgets a component once its objects are gone. */
  remove(db: Db, name: ComponentName): void {
    db.delete(components).where(eq(components.name, name)).run();
  },

  capabilities(db: Db): ClusterCapabilities | null {
    const value = db
      .select({ value: settings.value })
      .from(settings)
      .where(eq(settings.key, CAPABILITIES))
      .get()?.value;
    return value ? (JSON.parse(value) as ClusterCapabilities) : null;
  },

  recordCapabilities(db: Db, capabilities: ClusterCapabilities): void {
    const value = JSON.stringify(capabilities);
    db.insert(settings)
      .values({ key: CAPABILITIES, value })
      .onConflictDoUpdate({ target: settings.key, set: { value } })
      .run();
  },
};
