import { type KubeGateway, type KubeObject, isKubeError } from '@uncloud/kube';

export interface LeaseOptions {
  namespace: string;
  name: string;
  /** Who we are: unique per process. */
  identity: string;
  /** How long a holder keeps the lease without renewing it. */
  durationMs: number;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

// The gateway reads any kind as free-form JSON; a coordination.k8s.io Lease's spec is this.
const specOf = (lease: KubeObject) => (lease.spec ?? {}) as LeaseSpec;

// Lease times are MicroTime: RFC 3339 with microseconds.
const microTime = (date: Date) => date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/**
 * Leader election on a coordination.k8s.io Lease, as client-go's leaderelection does it: the holder
 * renews before the lease runs out; anyone may take it once it has; every write carries the
 * resourceVersion it read, so two contenders cannot both win.
 */
export const createLeaderElector = (gateway: KubeGateway, options: LeaseOptions) => {
  const seconds = Math.ceil(options.durationMs / 1000);
  const read = () => gateway.get('Lease', options.namespace, options.name);

  return {
    identity: options.identity,

    /** Takes or renews the lease; true while we hold it. */
    async tryAcquire(now = new Date()): Promise<boolean> {
      const current = await read();
      const spec = {
        holderIdentity: options.identity,
        leaseDurationSeconds: seconds,
        renewTime: microTime(now),
      };
      try {
        if (!current) {
          await gateway.create({
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: {
              name: options.name,
              namespace: options.namespace,
              labels: { 'app.kubernetes.io/managed-by': 'uncloud' },
            },
            spec: { ...spec, acquireTime: microTime(now), leaseTransitions: 0 },
          });
          return true;
        }
        const held = specOf(current);
        const holder = held.holderIdentity;
        const renewedAt = held.renewTime ? Date.parse(held.renewTime) : 0;
        const expired = renewedAt + (held.leaseDurationSeconds ?? seconds) * 1000 < now.getTime();
        if (holder && holder !== options.identity && !expired) return false;
        const taking = holder !== options.identity;
        await gateway.update({
          ...current,
          spec: {
            ...held,
            ...spec,
            ...(taking
              ? { acquireTime: microTime(now), leaseTransitions: (held.leaseTransitions ?? 0) + 1 }
              : {}),
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
      const current = await read().catch(() => null);
      if (!current || specOf(current).holderIdentity !== options.identity) return;
      await gateway
        .update({ ...current, spec: { ...specOf(current), holderIdentity: undefined, renewTime: undefined } })
        .catch(() => undefined);
    },
  };
};

export type LeaderElector = ReturnType<typeof createLeaderElector>;
