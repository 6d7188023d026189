import type { Server, ServerOptions } from 'node:http';
import type { Limits } from './config.ts';
import { addressKey } from './http/client-address.ts';

type ConnectionLimits = Pick<
  Limits,
  | 'headersTimeoutMs'
  | 'requestTimeoutMs'
  | 'keepAliveTimeoutMs'
  | 'maxRequestsPerSocket'
  | 'maxConnections'
  | 'maxConnectionsPerAddress'
>;

/**
 * Node's timeouts for one connection. Node checks them only every `connectionsCheckingInterval`
 * (30 s by default, which is how half-sent headers used to survive ~80 s); once a second, a
 * connection that stalls is dropped within a second of its deadline.
 */
export const serverOptionsFor = (limits: ConnectionLimits): ServerOptions => ({
  headersTimeout: limits.headersTimeoutMs,
  requestTimeout: limits.requestTimeoutMs,
  keepAliveTimeout: limits.keepAliveTimeoutMs,
  connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
});

/**
 * Caps open connections, in all and per client address, so that connections held open on purpose
 * (slowloris) run out of room for their sender long before they do for everyone else. Sockets over
 * a cap are closed at once.
 */
export const capConnections = (server: Server, limits: ConnectionLimits) => {
  server.maxConnections = limits.maxConnections;
  server.maxRequestsPerSocket = limits.maxRequestsPerSocket;
  const perAddress = limits.maxConnectionsPerAddress;
  if (perAddress === 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket) => {
    const address = addressKey(socket.remoteAddress ?? 'unknown');
    const count = (open.get(address) ?? 0) + 1;
    if (count > perAddress) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
};
