import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The tRPC error of the answer (the first, for a batch). */
  error(): { message: string; data: { code: string; httpStatus: number } };
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The client address to send from (any 127.x address works on Linux loopback). */
  localAddress?: string;
  timeoutMs?: number;
}

/**
 * One HTTP request on a fresh connection, from a chosen loopback address: what per-address limits
 * need, and what `fetch` cannot do.
 */
export const raw = (url: string, options: RawRequest = {}) =>
  new Promise<RawResponse>((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: false,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            error: () => {
              const parsed = JSON.parse(body) as unknown;
              const first = (Array.isArray(parsed) ? parsed[0] : parsed) as {
                error: ReturnType<RawResponse['error']>;
              };
              return first.error;
            },
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });

export interface HalfOpen {
  socket: Socket;
  /** Resolves with the milliseconds the connection stayed open. */
  closed: Promise<number>;
  isClosed(): boolean;
}

/** A connection that sends the start of a request and never finishes it (slowloris). */
export const halfOpen = (port: number, localAddress: string) =>
  new Promise<HalfOpen>((resolve) => {
    const opened = Date.now();
    let done = false;
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    const closed = new Promise<number>((settle) =>
      socket.once('close', () => {
        done = true;
        settle(Date.now() - opened);
      }),
    );
    const held = { socket, closed, isClosed: () => done };
    socket.on('error', () => {});
    // Read what the server sends (its 408), or its closing the connection goes unnoticed.
    socket.resume();
    socket.once('connect', () => {
      socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
      resolve(held);
    });
    socket.once('close', () => resolve(held));
  });

/** Whether this machine can send from `address` (Linux routes all of 127/8 to loopback). */
export const canSendFrom = (address: string) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: 9, localAddress: address });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code !== 'EADDRNOTAVAIL'));
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
  });

/** Fails the file at once, with the reason, where the loopback cannot send from `address`. */
export const requireSendFrom = async (address: string) => {
  if (!(await canSendFrom(address)))
    throw new Error(
      `these tests send from ${address}: the loopback must accept it (Linux's 127.0.0.0/8 does)`,
    );
};
