import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { HealthCheckProtocol } from '@uncloud/sdk';
import type { ProbeResult } from './judge.ts';

/** One health check of one target: where to, and how. */
export interface ProbeTarget {
  /** The target's address on the pod network (its VM's). */
  ip: string;
  port: number;
  protocol: HealthCheckProtocol;
  /** HTTP(S) only. */
  path: string | null;
  timeoutMs: number;
}

/** Checks a target once; never throws (a failure is a result with its reason). */
export type TargetProbe = (target: ProbeTarget) => Promise<ProbeResult>;

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

const timedOut = (target: ProbeTarget) =>
  `no answer on port ${target.port} within ${target.timeoutMs / 1000} s`;

const tcp = (target: ProbeTarget) =>
  new Promise<ProbeResult>((resolve) => {
    const socket = connect({ host: target.ip, port: target.port });
    const done = (result: ProbeResult) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(target.timeoutMs, () => done({ ok: false, reason: timedOut(target) }));
    socket.once('connect', () => done({ ok: true, reason: `TCP port ${target.port} accepts connections` }));
    socket.once('error', (error) => done({ ok: false, reason: describe(error, target) }));
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
      resolve({ ok: false, reason: timedOut(target) });
    });
    req.once('error', (error) => resolve({ ok: false, reason: describe(error, target) }));
    req.end();
  });

/**
 * Checks a target over the network from this process, as a load balancer's checker does: the
 * engine runs in the cluster (deploy/), where pod addresses are reachable, and the load balancer's
 * NetworkPolicy lets its namespace in on the check's port.
 */
export const networkProbe: TargetProbe = (target) => (target.protocol === 'tcp' ? tcp(target) : http(target));
