import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { HealthCheckProtocol } from '@uncloud/sdk';
import type { ProbeResult } from './judge.ts';

/** One health check of one target: where to, and how. */
export interface ProbeTarget {
  /** The target's address on the pod network (its VM's). */
  ip: string;
  /** The target's namespace and VirtualMachine: where the API server's pod proxy finds it. */
  namespace: string;
  vm: string;
  port: number;
  protocol: HealthCheckProtocol;
  /** HTTP(S) only. */
  path: string | null;
  timeoutMs: number;
}

/** Checks a target once; never throws (a failure is a result with its reason). */
export type TargetProbe = (target: ProbeTarget) => Promise<ProbeResult>;

/** No answer at all: the error says nothing of the target that a checker elsewhere could not see. */
const NETWORK_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EHOSTDOWN']);

const failed = (error: NodeJS.ErrnoException, target: ProbeTarget): ProbeResult => ({
  ok: false,
  reason: describe(error, target),
  ...(NETWORK_CODES.has(error.code ?? '') ? { network: true } : {}),
});

const describe = (error: NodeJS.ErrnoException, target: ProbeTarget) => {
  switch (error.code) {
    case 'ECONNREFUSED':
      return `connection refused on port ${target.port}`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${target.ip} cannot be reached`;
    case 'ECONNRESET':
      return `connection reset on port ${target.port}`;
    default:
      return `${error.code ?? 'error'} on port ${target.port}: ${error.message}`;
  }
};

export const timedOut = (target: Pick<ProbeTarget, 'port' | 'timeoutMs'>): ProbeResult => ({
  ok: false,
  reason: `no answer on port ${target.port} within ${target.timeoutMs / 1000} s`,
  network: true,
});

const tcp = (target: ProbeTarget) =>
  new Promise<ProbeResult>((resolve) => {
    const socket = connect({ host: target.ip, port: target.port });
    const done = (result: ProbeResult) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(target.timeoutMs, () => done(timedOut(target)));
    socket.once('connect', () => done({ ok: true, reason: `TCP port ${target.port} accepts connections` }));
    socket.once('error', (error) => done(failed(error, target)));
  });

const http = (target: ProbeTarget) =>
  new Promise<ProbeResult>((resolve) => {
    const path = target.path ?? '/';
    const scheme = target.protocol.toUpperCase();
    const options = {
      host: target.ip,
      port: target.port,
      path,
      method: 'GET',
      headers: { 'user-agent': 'uncloud-health-check', connection: 'close' },
      timeout: target.timeoutMs,
      // The target's certificate is its own business: a check asks whether it answers.
      rejectUnauthorized: false,
    };
    const req = (target.protocol === 'https' ? httpsRequest : httpRequest)(options, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve({
        ok: status >= 200 && status < 400,
        reason: `${scheme} ${status} from ${path}`,
      });
    });
    req.once('timeout', () => {
      req.destroy();
      resolve(timedOut(target));
    });
    req.once('error', (error) => resolve(failed(error, target)));
    req.end();
  });

/**
 * Checks a target over the network from this process, as a load balancer's checker does: the
 * engine runs in the cluster (deploy/), where pod addresses are reachable, and the load balancer's
 * NetworkPolicy lets its namespace in on the check's port.
 */
export const networkProbe: TargetProbe = (target) => (target.protocol === 'tcp' ? tcp(target) : http(target));
