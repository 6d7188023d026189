/**
 * Failed token authentications per client address, as token buckets: `burst` failures in a row,
 * then `perMinute` more per minute. An address whose bucket is empty is refused before its token
 * is even looked at, so guessing tokens (a weak `UNCLOUD_ADMIN_TOKEN`, say) cannot go faster than
 * that; callers that authenticate never spend anything.
 */
export interface AuthLimiter {
  /** Whole seconds until `address` may try again; 0 when it may try now. */
  retryAfter(address: string): number;
  /** Counts one failed authentication from `address`. */
  failed(address: string): void;
  /** Addresses with failures on record (bounded by `maxAddresses`). */
  size(): number;
}

export interface AuthLimiterOptions {
  burst: number;
  perMinute: number;
  /** Most addresses remembered at once; the oldest are forgotten first. */
  maxAddresses?: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export const createAuthLimiter = ({
  burst,
  perMinute,
  maxAddresses = 10_000,
  now = Date.now,
}: AuthLimiterOptions): AuthLimiter => {
  const buckets = new Map<string, Bucket>();
  const msPerToken = 60_000 / perMinute;
  const level = (bucket: Bucket, t: number) => Math.min(burst, bucket.tokens + (t - bucket.at) / msPerToken);

  // Full buckets are the same as none; past the bound, the least recently failed go first.
  const prune = (t: number) => {
    for (const [address, bucket] of buckets) if (level(bucket, t) >= burst) buckets.delete(address);
    for (const address of buckets.keys()) {
      if (buckets.size <= maxAddresses * 0.9) break;
      buckets.delete(address);
    }
  };

  return {
    retryAfter: (address) => {
      const bucket = buckets.get(address);
      if (!bucket) return 0;
      const tokens = level(bucket, now());
      return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) * msPerToken) / 1000);
    },
    failed: (address) => {
      const t = now();
      const bucket = buckets.get(address);
      const tokens = bucket ? level(bucket, t) : burst;
      buckets.delete(address);
      buckets.set(address, { tokens: Math.max(0, tokens - 1), at: t });
      if (buckets.size > maxAddresses) prune(t);
    },
    size: () => buckets.size,
  };
};
