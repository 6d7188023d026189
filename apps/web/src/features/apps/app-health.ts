import type { App } from '@uncloud/sdk';

export interface Rollout {
  desired: number;
  /** Replicas running the latest template. */
  updated: number;
  /** Ready replicas, old and new: above `desired` while a rollout surges. */
  ready: number;
  available: number;
  /** True while old and new replicas run side by side or the new ones are not all ready yet. */
  inProgress: boolean;
}

/** How far the latest template has rolled out, from the Deployment's counts the API reports. */
export const rolloutOf = (app: App): Rollout => {
  const desired = app.replicas;
  const updated = app.updatedReplicas ?? 0;
  const ready = app.readyReplicas ?? 0;
  const available = app.availableReplicas ?? 0;
  const inProgress =
    app.updatedReplicas !== null &&
    app.state !== 'active' &&
    app.state !== 'deleting' &&
    (updated !== desired || ready !== desired || available !== desired);
  return { desired, updated, ready, available, inProgress };
};

/**
 * The app's health, kept apart from its rollout: an app that still answers on available replicas
 * while a new version rolls out is active, not "provisioning". The API's `state` stays the
 * rollout's (it says active only once every replica runs the new version).
 */
export const appHealth = (app: App): string =>
  app.state === 'provisioning' && rolloutOf(app).inProgress && (app.availableReplicas ?? 0) > 0
    ? 'active'
    : app.state;
