import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { openIntentStore, type IntentStore } from '@uncloud/db';
import type { Services } from '@uncloud/sdk/contract';
import { type BootstrapResult, bootstrap } from './bootstrap.ts';
import type { Config } from './config.ts';
import { createApp } from './http/app.ts';
import type { Logger } from './logger.ts';
import { createServices } from './services/index.ts';
import { createIntentEvents, type IntentEvents } from './services/deps.ts';

export interface RunningServer {
  url: string;
  port: number;
  store: IntentStore;
  services: Services;
  events: IntentEvents;
  bootstrap: BootstrapResult;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes SQLite. */
  close(graceMs?: number): Promise<void>;
}

export type ServerOptions = Pick<Config, 'port' | 'host' | 'databasePath' | 'adminToken' | 'webDir'>;

const listen = (server: Server, port: number, host: string) =>
  new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      resolve();
    });
    server.listen(port, host);
  });

export const startServer = async (options: ServerOptions, logger: Logger): Promise<RunningServer> => {
  const store = openIntentStore(options.databasePath);
  const boot = bootstrap(store, options.adminToken);
  const events = createIntentEvents();
  const services = createServices({ store, events });
  const app = createApp({ store, services, logger, webDir: options.webDir });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  try {
    await listen(server, options.port, options.host);
  } catch (error) {
    store.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;

  let closing: Promise<void> | undefined;
  const close = (graceMs = 10_000) =>
    (closing ??= new Promise<void>((resolve) => {
      const force = setTimeout(() => server.closeAllConnections(), graceMs);
      server.close(() => {
        clearTimeout(force);
        store.close();
        resolve();
      });
      server.closeIdleConnections();
    }));

  return { url: `http://${host}:${port}`, port, store, services, events, bootstrap: boot, close };
};
