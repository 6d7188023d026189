import { type KubeGateway, isKubeError } from '@uncloud/kube';

export interface LeaseOptions {
  namespace: string;
  name: string;
  /** Who we are: unique per process. */
  identity: string;
  /** How long a holder keeps the lease without renewing it. */
  durationMs: number;
}

interface Lease {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: { name: string; namespace: string; resourceVersion?: string; labels?: Record<string, string> };
  spec: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

// Lease times are MicroTime: RFC 3339 with microseconds.
const microTime = (date: Date) => date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/**
 * Leader election on a coordination.k8s.io Lease, as client-go's leaderelection does it: the holder
 * renews before the lease runs out; anyone may take it once it has; every write carries the
 * resourceVersion it read, so two contenders cannot both win.
 */
export const createLeaderElector = (gateway: KubeGateway, options: LeaseOptions) => {
  const path = `/apis/coordination.k8s.io/v1/namespaces/${options.namespace}/leases`;
  const seconds = Math.ceil(options.durationMs / 1000);

  return {
    identity: options.identity,

    /** Takes or renews the lease; true while we hold it. */
    async tryAcquire(now = new Date()): Promise<boolean> {
      const current = await gateway
        .request<Lease>('GET', `${path}/${options.name}`)
        .catch((error: unknown) => {
          if (isKubeError(error, 'NotFound')) return null;
          throw error;
        });
      const spec = {
        holderIdentity: options.identity,
        leaseDurationSeconds: seconds,
        renewTime: microTime(now),
      };
      try {
        if (!current) {
          await gateway.request('POST', path, {
            body: {
              apiVersion: 'coordination.k8s.io/v1',
              kind: 'Lease',
              metadata: {
                name: options.name,
                namespace: options.namespace,
                labels: { 'app.kubernetes.io/managed-by': 'uncloud' },
              },
              spec: { ...spec, acquireTime: microTime(now), leaseTransitions: 0 },
            },
          });
          return true;
        }
        const holder = current.spec.holderIdentity;
        const renewedAt = current.spec.renewTime ? Date.parse(current.spec.renewTime) : 0;
        const expired = renewedAt + (current.spec.leaseDurationSeconds ?? seconds) * 1000 < now.getTime();
        if (holder && holder !== options.identity && !expired) return false;
        const taking = holder !== options.identity;
        await gateway.request('PUT', `${path}/${options.name}`, {
          body: {
            ...current,
            spec: {
              ...current.spec,
              ...spec,
              ...(taking
                ? { acquireTime: microTime(now), leaseTransitions: (current.spec.leaseTransitions ?? 0) + 1 }
                : {}),
            },
          },
        });
        return true;
      } catch (error) {
        // Someone else wrote the lease between our read and our write: they won this round.
        if (isKubeError(error, 'Conflict')) return false;
        throw error;
      }
    },

    /** Gives the lease up at shutdown so another process can take over at once. */
    async release(): Promise<void> {
      const current = await gateway.request<Lease>('GET', `${path}/${options.name}`).catch(() => null);
      if (current?.spec.holderIdentity !== options.identity) return;
      await gateway
        .request('PUT', `${path}/${options.name}`, {
          body: { ...current, spec: { ...current.spec, holderIdentity: undefined, renewTime: undefined } },
        })
        .catch(() => undefined);
    },
  };
};

export type LeaderElector = ReturnType<typeof createLeaderElector>;
