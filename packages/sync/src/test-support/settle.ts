import type { KubeObject } from '@uncloud/kube';

/** What controllers would report once an object runs: a namespace active, a rollout complete. */
export const settle = (object: KubeObject) => {
  if (object.kind === 'Namespace') object.status = { phase: 'Active' };
  if (object.kind === 'Deployment') {
    const replicas = (object.spec as { replicas: number }).replicas;
    object.metadata.generation = 1;
    object.status = {
      observedGeneration: 1,
      replicas,
      readyReplicas: replicas,
      updatedReplicas: replicas,
      availableReplicas: replicas,
    };
  }
};
