import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { networkProbe } from './probe.ts';

const servers: { close(): unknown }[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

const listen = async (server: Server | ReturnType<typeof createTcpServer>) => {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};
const http = (status: number) =>
  createHttpServer((req, res) => {
    res.statusCode = req.url === '/healthz' ? status : 404;
    res.end();
  });
/** A port nothing listens on: one that was just closed. */
const closedPort = async () => {
  const server = createTcpServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
};
const target = { ip: '127.0.0.1', namespace: 'uc-p', vm: 'web', path: null, timeoutMs: 1000 };

describe('networkProbe', () => {
  it('passes a TCP check on a listening port and fails one on a closed port', async () => {
    const open = await listen(createTcpServer((socket) => socket.end()));
    expect(await networkProbe({ ...target, port: open, protocol: 'tcp' })).toEqual({
      ok: true,
      reason: `TCP port ${open} accepts connections`,
    });
    const closed = await closedPort();
    expect(await networkProbe({ ...target, port: closed, protocol: 'tcp' })).toEqual({
      ok: false,
      reason: `connection refused on port ${closed}`,
    });
  });

  it.each([
    [200, true],
    [301, true],
    [503, false],
  ])('judges an HTTP check by its status: %i', async (status, ok) => {
    const port = await listen(http(status));
    expect(await networkProbe({ ...target, port, protocol: 'http', path: '/healthz' })).toEqual({
      ok,
      reason: `HTTP ${status} from /healthz`,
    });
  });

  it('fails a check that gets no answer in time, as a network-level failure (a refusal is not one)', async () => {
    // Accepts the connection, never answers the request.
    const port = await listen(createTcpServer(() => undefined));
    expect(await networkProbe({ ...target, port, protocol: 'http', path: '/', timeoutMs: 200 })).toEqual({
      ok: false,
      reason: `no answer on port ${port} within 0.2 s`,
      network: true,
    });
  });
});
