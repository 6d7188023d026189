// The /_sim/ control API: the fault-injection handle over HTTP for tests in other processes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, notFoundPath } from './errors.ts';
import type { ErrorFault, LatencyFault, RequestCount } from './faults.ts';
import type { GuestProbe, GuestProbeResult, PortAnswer } from './guest-network.ts';
import { parseJsonBody, readBody, sendJson } from './http-util.ts';

export interface ObjectRef {
  /** Resource key "group/plural", e.g. "kubevirt.io/virtualmachineinstances" or "/pods". */
  resource: string;
  namespace?: string;
  name: string;
}

/** What the control API drives; SimCluster implements it. */
export interface SimControl {
  refuseConnections(durationMs?: number): Promise<void>;
  injectError(rule: ErrorFault): void;
  addLatency(rule: LatencyFault): void;
  failNextWrites(count: number): void;
  expireWatches(): void;
  expireContinueTokens(): void;
  holdObject(ref: ObjectRef): void;
  releaseObject(ref: ObjectRef): void;
  clearFaults(): void;
  pauseControllers(): void;
  resumeControllers(): void;
  requestCounts(): RequestCount[];
  resetRequestCounts(): void;
  state(): Record<string, unknown>;
  /** A running guest's boot disk, as the guest sees it (see disks.ts). */
  readonly guest: {
    write(namespace: string, vm: string, path: string, text: string): void;
    read(namespace: string, vm: string, path: string): string | undefined;
  };
  /** What the running guests answer on the network (see guest-network.ts). */
  readonly network: {
    serve(namespace: string, vm: string, port: number, answer: PortAnswer | undefined): void;
    probe(target: GuestProbe): GuestProbeResult;
  };
}

const isPortAnswer = (value: unknown): value is PortAnswer => {
  const answer = value as PortAnswer | undefined;
  return (
    answer?.kind === 'closed' ||
    answer?.kind === 'silent' ||
    (answer?.kind === 'http' &&
      Number.isInteger(answer.status) &&
      answer.status >= 100 &&
      answer.status < 600)
  );
};

type Body = Record<string, unknown>;

export async function handleControl(
  sim: SimControl,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const method = req.method ?? 'GET';
  const body = ((parseJsonBody(await readBody(req)) ?? {}) as Body) ?? {};
  const ok = (extra: Record<string, unknown> = {}) => sendJson(req, res, 200, { ok: true, ...extra });
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  switch (route) {
    case 'GET /_sim/state':
      return sendJson(req, res, 200, sim.state());
    case 'GET /_sim/requests': {
      const counts = sim.requestCounts();
      return sendJson(req, res, 200, { counts, total: counts.reduce((s, c) => s + c.count, 0) });
    }
    case 'DELETE /_sim/requests':
      sim.resetRequestCounts();
      return ok();
    case 'POST /_sim/faults/errors':
      if (typeof body.status !== 'number') throw badRequest('status (number) is required');
      sim.injectError(body as unknown as ErrorFault);
      return ok();
    case 'POST /_sim/faults/latency':
      if (typeof body.ms !== 'number') throw badRequest('ms (number) is required');
      sim.addLatency(body as unknown as LatencyFault);
      return ok();
    case 'POST /_sim/faults/conflicts':
      sim.failNextWrites(typeof body.count === 'number' ? body.count : 1);
      return ok();
    case 'POST /_sim/faults/refuse': {
      const durationMs = typeof body.durationMs === 'number' ? body.durationMs : 1000;
      ok({ durationMs });
      res.on('finish', () => void sim.refuseConnections(durationMs));
      return;
    }
    case 'POST /_sim/faults/expire-watches':
      sim.expireWatches();
      return ok();
    case 'POST /_sim/faults/expire-continue':
      sim.expireContinueTokens();
      return ok();
    case 'POST /_sim/faults/hold':
    case 'DELETE /_sim/faults/hold': {
      if (typeof body.resource !== 'string' || typeof body.name !== 'string')
        throw badRequest('resource and name are required');
      const ref = {
        resource: body.resource,
        name: body.name,
        namespace: typeof body.namespace === 'string' ? body.namespace : undefined,
      };
      if (method === 'POST') sim.holdObject(ref);
      else sim.releaseObject(ref);
      return ok();
    }
    case 'DELETE /_sim/faults':
      sim.clearFaults();
      return ok();
    case 'POST /_sim/guest/write':
    case 'POST /_sim/guest/read': {
      // A file on a running guest's boot disk: { namespace, vm, path, text? } → { text }.
      const { namespace, vm, path: file, text } = body;
      if (typeof namespace !== 'string' || typeof vm !== 'string' || typeof file !== 'string')
        throw badRequest('namespace, vm and path are required');
      try {
        if (route.endsWith('write')) {
          if (typeof text !== 'string') throw badRequest('text is required');
          sim.guest.write(namespace, vm, file, text);
          return ok();
        }
        return ok({ text: sim.guest.read(namespace, vm, file) ?? null });
      } catch (error) {
        if (error instanceof Error && /not running|not bound/.test(error.message))
          throw badRequest(error.message);
        throw error;
      }
    }
    case 'POST /_sim/guest/serve': {
      // What a running guest's port answers: { namespace, vm, port, answer: {kind…} | null }.
      const { namespace, vm, port, answer } = body;
      if (typeof namespace !== 'string' || typeof vm !== 'string' || !Number.isInteger(port))
        throw badRequest('namespace, vm and port are required');
      if (answer !== null && !isPortAnswer(answer))
        throw badRequest(
          'answer must be {"kind":"closed"}, {"kind":"silent"}, {"kind":"http","status":N} or null',
        );
      try {
        sim.network.serve(namespace, vm, port as number, answer ?? undefined);
      } catch (error) {
        if (error instanceof Error && /not running/.test(error.message)) throw badRequest(error.message);
        throw error;
      }
      return ok();
    }
    case 'POST /_sim/network/probe': {
      // A health check of a guest by address: { ip, port, protocol, path?, timeoutMs? } → { ok, reason }.
      const { ip, port, protocol, path: probePath, timeoutMs } = body;
      if (
        typeof ip !== 'string' ||
        !Number.isInteger(port) ||
        !['tcp', 'http', 'https'].includes(protocol as string)
      )
        throw badRequest('ip, port and protocol (tcp, http or https) are required');
      return sendJson(
        req,
        res,
        200,
        sim.network.probe({
          ip,
          port: port as number,
          protocol: protocol as GuestProbe['protocol'],
          path: typeof probePath === 'string' ? probePath : null,
          ...(typeof timeoutMs === 'number' ? { timeoutMs } : {}),
        }),
      );
    }
    case 'POST /_sim/controllers/pause':
      sim.pauseControllers();
      return ok();
    case 'POST /_sim/controllers/resume':
      sim.resumeControllers();
      return ok();
    default:
      throw notFoundPath();
  }
}
