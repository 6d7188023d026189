// pods/log: what a simulated container writes — a start line with its image, a ready line, then a
// request-log-like line every `intervalMs` — with the log API's options (follow, tailLines,
// sinceSeconds, timestamps, container). Lines are derived from the container's start time, so that
// nothing is stored and every reader sees the same log.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, invalid } from './errors.ts';
import type { StoredObject } from './types.ts';

const PATHS = ['/', '/healthz', '/api/items', '/api/orders', '/static/app.js'];
const podLogOptions = { group: '', kind: 'PodLogOptions' };

interface LogLine {
  at: number;
  text: string;
}

export interface LogOptions {
  container?: string;
  follow: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  timestamps: boolean;
  /** Bytes to send at most (a line may be cut). */
  limitBytes?: number;
}

/** The query's log options, refused as kube-apiserver refuses them (400 unparsable, 422 out of range). */
export function parseLogOptions(pod: string, q: URLSearchParams): LogOptions {
  const int = (name: string): number | undefined => {
    const raw = q.get(name);
    if (raw === null) return undefined;
    if (!/^-?\d+$/.test(raw)) throw badRequest(`strconv.ParseInt: parsing "${raw}": invalid syntax`);
    return Number(raw);
  };
  const bool = (name: string): boolean => {
    const raw = q.get(name);
    if (raw === null || raw === '' || raw === 'false' || raw === '0') return false;
    if (raw === 'true' || raw === '1') return true;
    throw badRequest(`strconv.ParseBool: parsing "${raw}": invalid syntax`);
  };
  const tailLines = int('tailLines');
  const sinceSeconds = int('sinceSeconds');
  if (tailLines !== undefined && tailLines < 0)
    throw invalid(podLogOptions, pod, [
      { field: 'tailLines', message: `Invalid value: ${tailLines}: must be greater than or equal to 0` },
    ]);
  if (sinceSeconds !== undefined && sinceSeconds < 1)
    throw invalid(podLogOptions, pod, [
      { field: 'sinceSeconds', message: `Invalid value: ${sinceSeconds}: must be greater than 0` },
    ]);
  const limitBytes = int('limitBytes');
  if (limitBytes !== undefined && limitBytes < 1)
    throw invalid(podLogOptions, pod, [
      { field: 'limitBytes', message: `Invalid value: ${limitBytes}: must be greater than 0` },
    ]);
  if (sinceSeconds !== undefined && q.has('sinceTime'))
    throw invalid(podLogOptions, pod, [
      { field: '', message: 'Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified' },
    ]);
  return {
    container: q.get('container') || undefined,
    follow: bool('follow'),
    tailLines,
    sinceSeconds,
    timestamps: bool('timestamps'),
    limitBytes,
  };
}

interface Source {
  name: string;
  image: string;
  startedAt: number;
  crashed: boolean;
  node: string;
}

/** The container whose log is asked for, refused with the API server's words when there is none. */
function sourceOf(pod: StoredObject, container: string | undefined): Source {
  const name = pod.metadata.name;
  const containers = (pod.spec?.containers ?? []) as { name: string; image: string }[];
  if (!container && containers.length > 1) {
    throw badRequest(
      `a container name must be specified for pod ${name}, choose one of: [${containers.map((c) => c.name).join(' ')}]`,
    );
  }
  const c = containers.find((x) => x.name === (container ?? containers[0]?.name));
  if (!c) throw badRequest(`container ${container} is not valid for pod ${name}`);
  const status = (
    (pod.status?.containerStatuses ?? []) as {
      name: string;
      state?: { running?: { startedAt?: string }; waiting?: unknown };
    }[]
  ).find((s) => s.name === c.name);
  if (!status?.state?.running && !status?.state?.waiting) {
    throw badRequest(`container "${c.name}" in pod "${name}" is waiting to start: ContainerCreating`);
  }
  const started =
    status.state.running?.startedAt ?? (pod.status?.startTime as string | undefined) ?? undefined;
  return {
    name: c.name,
    image: c.image,
    startedAt: started ? Date.parse(started) : Date.now(),
    crashed: !!status.state.waiting,
    node: (pod.spec?.nodeName as string | undefined) ?? 'node',
  };
}

const requestLine = (s: Source, k: number): string => {
  const path = PATHS[k % PATHS.length];
  const ms = 1 + ((k * 7) % 40);
  return `GET ${path} 200 ${ms}ms (request ${k}, ${s.name})`;
};

/** Line `i` of the log (0: start, 1: ready or crash, then requests), written at its time. */
const lineAt = (s: Source, intervalMs: number, i: number): LogLine => {
  if (i === 0) return { at: s.startedAt, text: `starting ${s.image}` };
  if (i === 1)
    return {
      at: s.startedAt,
      text: s.crashed
        ? 'fatal: simulated crash (image tag "crashloop")'
        : `${s.name} is ready (simulated container on ${s.node})`,
    };
  const k = i - 1;
  return { at: s.startedAt + k * intervalMs, text: requestLine(s, k) };
};

/** How many lines exist at `now` (a crashed container writes only its two lines). */
const countAt = (s: Source, intervalMs: number, now: number): number =>
  s.crashed ? 2 : 2 + Math.max(0, Math.floor((now - s.startedAt) / intervalMs));

const render = (line: LogLine, timestamps: boolean): string =>
  timestamps ? `${new Date(line.at).toISOString()} ${line.text}\n` : `${line.text}\n`;

/**
 * Answer a pods/log GET. With `follow` the answer streams (chunked) a line as the container writes
 * it, until the client hangs up or the pod is gone (`podExists` turns false).
 */
export function sendLog(
  req: IncomingMessage,
  res: ServerResponse,
  pod: StoredObject,
  opts: LogOptions,
  deps: { intervalMs: number; podExists: () => boolean },
): void {
  const s = sourceOf(pod, opts.container);
  const now = Date.now();
  const total = countAt(s, deps.intervalMs, now);
  let first = 0;
  if (opts.sinceSeconds !== undefined) {
    // Line i ≥ 2 is written at startedAt + (i - 1) · interval: the first one not older than `from`.
    const from = now - opts.sinceSeconds * 1000;
    if (s.startedAt < from)
      first = Math.min(total, Math.max(2, 1 + Math.ceil((from - s.startedAt) / deps.intervalMs)));
  }
  if (opts.tailLines !== undefined) first = Math.max(first, total - opts.tailLines);
  const text = [];
  for (let i = first; i < total; i += 1) text.push(render(lineAt(s, deps.intervalMs, i), opts.timestamps));
  let budget = opts.limitBytes ?? Infinity;
  /** The part of `chunk` within limitBytes (the rest of the budget is spent on it). */
  const within = (chunk: string): string => {
    const bytes = Buffer.from(chunk);
    const kept = bytes.subarray(0, Math.min(bytes.length, budget));
    budget -= kept.length;
    return kept.toString();
  };
  const body = within(text.join(''));
  if (!opts.follow || s.crashed || budget <= 0) {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
  res.write(body);
  let next = total;
  const tick = (): void => {
    if (!deps.podExists()) {
      stop();
      res.end();
      return;
    }
    const upTo = countAt(s, deps.intervalMs, Date.now());
    const chunk = [];
    for (; next < upTo; next += 1) chunk.push(render(lineAt(s, deps.intervalMs, next), opts.timestamps));
    if (chunk.length > 0) res.write(within(chunk.join('')));
    if (budget <= 0) {
      stop();
      res.end();
    }
  };
  // Check a few times per interval so that a new line goes out soon after it is written.
  const timer = setInterval(tick, Math.max(20, Math.floor(deps.intervalMs / 4)));
  const stop = (): void => clearInterval(timer);
  req.on('close', stop);
  res.on('close', stop);
}
