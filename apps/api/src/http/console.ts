import type { UpgradeWebSocket, WSContext } from 'hono/ws';
import { type Context, Hono, type Next } from 'hono';
import type WebSocket from 'ws';
import { DropletId, ProjectId, isDomainError } from '@uncloud/sdk';
import type { Services } from '@uncloud/sdk/contract';
import type { Logger } from '../logger.ts';
import { bearer } from './call-context.ts';

/** What a droplet offers over a socket: its serial console, or its screen (RFB, for a VNC viewer). */
export type ConsoleKind = 'console' | 'vnc';

/** Opens a droplet's serial console or screen in the cluster (its VirtualMachineInstance's). */
export type ConsoleOpener = (
  projectId: ProjectId,
  dropletId: DropletId,
  kind: ConsoleKind,
) => Promise<WebSocket>;

const words: Record<ConsoleKind, { noun: string; procedure: string }> = {
  console: { noun: 'console', procedure: 'droplets.console' },
  vnc: { noun: 'screen', procedure: 'droplets.vnc' },
};

export interface ConsoleDeps {
  services: Services;
  logger: Logger;
  /** Absent when the API runs without a cluster. */
  open: ConsoleOpener | undefined;
}

/** The subprotocol the dashboard speaks; the server always picks it (the first one offered). */
export const CONSOLE_SUBPROTOCOL = 'uncloud.console.v1';
/**
 * A browser cannot set headers on a WebSocket, so the token may travel as a second offered
 * subprotocol, `bearer.<base64url token>` (Kubernetes does the same). It is never echoed back.
 */
const TOKEN_PROTOCOL = 'bearer.';

const tokenOf = (authorization: string | undefined, protocols: string | undefined) => {
  const header = bearer(authorization);
  if (header) return header;
  const offered = (protocols ?? '').split(',').map((p) => p.trim());
  const encoded = offered.find((p) => p.startsWith(TOKEN_PROTOCOL))?.slice(TOKEN_PROTOCOL.length);
  return encoded ? Buffer.from(encoded, 'base64url').toString() : null;
};

const statusOf = { UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404 } as const;

/**
 * `GET /api/console/:projectId/droplets/:dropletId`, upgraded to a WebSocket: the droplet's serial
 * console, proxied byte for byte to KubeVirt's `console` subresource. Who may: a project member or
 * owner with a token that may write (a console is a way into the machine). Refusals are answered
 * before the upgrade with the HTTP status; once open, a cluster that refuses closes the socket with
 * code 4000 and the reason in words.
 */
export const consoleRoutes = (deps: ConsoleDeps, upgradeWebSocket: UpgradeWebSocket) =>
  new Hono()
    .get('/api/console/:projectId/droplets/:dropletId', ...socketRoute(deps, upgradeWebSocket, 'console'))
    .get('/api/vnc/:projectId/droplets/:dropletId', ...socketRoute(deps, upgradeWebSocket, 'vnc'));

/**
 * The same door for the screen: `GET /api/vnc/:projectId/droplets/:dropletId`, proxied byte for
 * byte to KubeVirt's `vnc` subresource (RFB), for a VNC viewer such as noVNC.
 */
const socketRoute = (
  { services, logger, open }: ConsoleDeps,
  upgradeWebSocket: UpgradeWebSocket,
  kind: ConsoleKind,
) => {
  const { noun, procedure } = words[kind];
  return [
    async (c: Context, next: Next) => {
      if (c.req.header('upgrade')?.toLowerCase() !== 'websocket')
        return c.json({ message: `Open the ${noun} as a WebSocket` }, 426);
      const projectId = ProjectId.safeParse(c.req.param('projectId'));
      const dropletId = DropletId.safeParse(c.req.param('dropletId'));
      if (!projectId.success || !dropletId.success) return c.json({ message: 'No such droplet' }, 404);
      const token = tokenOf(c.req.header('authorization'), c.req.header('sec-websocket-protocol'));
      try {
        const caller = token ? await services.auth.authenticate(token) : null;
        if (!caller) return c.json({ message: 'Send a valid API token' }, 401);
        if (caller.readOnly) return c.json({ message: `A read-only token cannot open a ${noun}` }, 403);
        const scope = await services.projects.access(caller, projectId.data);
        if (scope.role === 'viewer')
          return c.json({ message: `Opening a ${noun} needs the member role in the project` }, 403);
        await services.droplets.get(scope, { projectId: projectId.data, id: dropletId.data });
        await services.audit.record({
          caller,
          procedure,
          projectId: projectId.data,
          resourceId: dropletId.data,
          errorCode: null,
          requestId: null,
        });
      } catch (error) {
        if (isDomainError(error) && error.code in statusOf)
          return c.json({ message: error.message }, statusOf[error.code as keyof typeof statusOf]);
        throw error;
      }
      if (!open) return c.json({ message: `This server runs without a cluster: there is no ${noun}` }, 503);
      return next();
    },
    upgradeWebSocket(async (c) => {
      // Both checked by the middleware above, which lets no request through without a cluster.
      const projectId = ProjectId.parse(c.req.param('projectId'));
      const dropletId = DropletId.parse(c.req.param('dropletId'));
      let upstream: WebSocket | undefined;
      let refusal: string | undefined;
      try {
        if (!open) throw new Error('no cluster');
        upstream = await open(projectId, dropletId, kind);
      } catch (error) {
        refusal = error instanceof Error ? error.message : `the cluster refused the ${noun}`;
        logger.info({ component: 'console', kind, dropletId, err: error }, `${noun} refused`);
      }
      return {
        onOpen(_event, ws: WSContext) {
          if (!upstream) {
            ws.close(4000, `The ${noun} is not available: ${refusal ?? ''}`.slice(0, 120));
            return;
          }
          upstream.on('message', (data: Buffer) => ws.send(new Uint8Array(data)));
          upstream.on('close', () => ws.close(1000, `The ${noun} closed`));
          upstream.on('error', () => ws.close(1011, `The ${noun} connection failed`));
        },
        onMessage(event) {
          const data = event.data;
          if (!upstream || upstream.readyState !== upstream.OPEN) return;
          upstream.send(typeof data === 'string' ? Buffer.from(data) : Buffer.from(data as ArrayBuffer));
        },
        onClose() {
          upstream?.close();
        },
      };
    }),
  ] as const;
};
