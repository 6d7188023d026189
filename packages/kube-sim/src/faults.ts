// Fault injection state (error answers, latency, forced write conflicts) and request counters.

export interface ErrorFault {
  /** HTTP status to answer: 500, 503 or 429 (others are allowed too). */
  status: number;
  /** Only requests whose path contains this string (or matches this RegExp). Default: all. */
  path?: string | RegExp;
  /** Only this HTTP method (GET, POST, ...). */
  method?: string;
  /** Answer this many requests, then stop. Default: until cleared. */
  count?: number;
  /** Retry-After header (seconds) for 429 and 503. Default 1. */
  retryAfterSeconds?: number;
}

export interface LatencyFault {
  ms: number;
  path?: string | RegExp;
  method?: string;
}

export interface RequestCount {
  verb: string;
  group: string;
  /** Plural resource, with the subresource when there is one ("pods", "deployments/status"). */
  resource: string;
  /** Kind served there ("" for paths that name no served resource). */
  kind: string;
  count: number;
}

function matches(rule: { path?: string | RegExp; method?: string }, method: string, path: string): boolean {
  if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) return false;
  if (rule.path === undefined) return true;
  return typeof rule.path === 'string' ? path.includes(rule.path) : rule.path.test(path);
}

export class FaultState {
  private errors: ErrorFault[] = [];
  private latency: LatencyFault[] = [];
  private conflicts = 0;

  addError(rule: ErrorFault): void {
    this.errors.push({ ...rule });
  }

  addLatency(rule: LatencyFault): void {
    this.latency.push({ ...rule });
  }

  failNextWrites(n: number): void {
    this.conflicts += n;
  }

  clear(): void {
    this.errors = [];
    this.latency = [];
    this.conflicts = 0;
  }

  /** The error to answer for this request, if any (consumes one use of a counted rule). */
  takeError(method: string, path: string): ErrorFault | undefined {
    const rule = this.errors.find((r) => matches(r, method, path));
    if (!rule) return undefined;
    if (rule.count !== undefined) {
      rule.count -= 1;
      if (rule.count <= 0) this.errors = this.errors.filter((r) => r !== rule);
    }
    return rule;
  }

  latencyFor(method: string, path: string): number {
    return this.latency.filter((r) => matches(r, method, path)).reduce((sum, r) => sum + r.ms, 0);
  }

  takeConflict(): boolean {
    if (this.conflicts <= 0) return false;
    this.conflicts -= 1;
    return true;
  }
}

export class RequestCounter {
  private counts = new Map<string, number>();

  record(verb: string, group: string, resource: string, kind: string): void {
    const key = `${verb}\u0000${group}\u0000${resource}\u0000${kind}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  snapshot(): RequestCount[] {
    return [...this.counts.entries()].map(([key, count]) => {
      const [verb, group, resource, kind] = key.split('\u0000') as [string, string, string, string];
      return { verb, group, resource, kind, count };
    });
  }

  /** Total requests, optionally of one verb, resource (plural, e.g. "deployments") and/or kind. */
  total(filter: { verb?: string; resource?: string; kind?: string } = {}): number {
    return this.snapshot()
      .filter(
        (c) =>
          (!filter.verb || c.verb === filter.verb) &&
          (!filter.resource || c.resource === filter.resource) &&
          (!filter.kind || c.kind === filter.kind),
      )
      .reduce((s, c) => s + c.count, 0);
  }

  reset(): void {
    this.counts.clear();
  }
}
