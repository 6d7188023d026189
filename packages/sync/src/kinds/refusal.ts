import type { KubeObject } from '@uncloud/kube';

/**
 * The sentence a resource's `syncError` carries when a controller in the cluster could not create
 * its pods or claims (a `FailedCreate`): what was refused, in Kubernetes' words, and what to do.
 */
export const refusalSentence = (
  owner: 'app' | 'database' | 'droplet',
  message: string | undefined,
): string => {
  const why = message ?? 'no reason given';
  const quota = /exceeded quota/.test(why);
  const what = owner === 'droplet' ? "droplet's VM pod" : `${owner}'s pods`;
  return `Kubernetes refused the ${what}: ${why} — ${
    quota
      ? "the project's quota in the cluster is used up; free room or ask an administrator to raise it, and it starts by itself"
      : 'it stays down until that changes'
  }`;
};

/**
 * The newest `FailedCreate` warning among `events` about one of `names` (a StatefulSet, a Job, a
 * CloudNativePG Cluster): controllers report a refused pod or claim only as such an Event.
 */
export const latestFailedCreate = (events: KubeObject[], names: string[]): string | undefined => {
  const about = (
    events as (KubeObject & {
      reason?: string;
      type?: string;
      message?: string;
      lastTimestamp?: string;
      eventTime?: string;
      involvedObject?: { name?: string };
    })[]
  )
    .filter(
      (e) =>
        e.kind === 'Event' &&
        e.reason === 'FailedCreate' &&
        e.type === 'Warning' &&
        names.includes(e.involvedObject?.name ?? ''),
    )
    .sort((a, b) =>
      (a.lastTimestamp ?? a.eventTime ?? '').localeCompare(b.lastTimestamp ?? b.eventTime ?? ''),
    );
  return about.at(-1)?.message;
};
