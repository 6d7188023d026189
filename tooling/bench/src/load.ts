import autocannon from 'autocannon';

export interface LoadResult {
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

/** Drives one URL with a fixed number of connections for a fixed time, as autocannon measures it. */
export const runLoad = async (
  name: string,
  url: string,
  {
    connections,
    durationSeconds,
    headers = {},
  }: { connections: number; durationSeconds: number; headers?: Record<string, string> },
): Promise<LoadResult> => {
  const result = await autocannon({ url, connections, duration: durationSeconds, headers });
  return {
    name,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
};
