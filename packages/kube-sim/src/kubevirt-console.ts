// KubeVirt's serial console (and, by the same path ending in `/vnc`, its screen: kubevirt-vnc.ts), simulated: `GET /apis/subresources.kubevirt.io/v1/namespaces/<ns>/
// virtualmachineinstances/<name>/console` upgraded to a WebSocket (subprotocol `plain.kubevirt.io`,
// binary frames of raw serial bytes), as virt-api serves it to `virtctl console`. The guest prints a
// boot log and a login prompt, and echoes what is typed, as a getty does; each Enter prompts again.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { KUBEVIRT_SUBRESOURCES } from './kubevirt-subresources.ts';
import { attachVnc } from './kubevirt-vnc.ts';
import type { ObjectApi } from './object-api.ts';

const CONSOLE_PATH = new RegExp(
  `^/apis/${KUBEVIRT_SUBRESOURCES.replace(/\./g, '\\.')}/v1/namespaces/([^/]+)/virtualmachineinstances/([^/]+)/(console|vnc)$`,
);
export const CONSOLE_PROTOCOL = 'plain.kubevirt.io';

/** Whether a request asks for a VMI's serial console or its screen (`vnc`). */
export const isConsolePath = (path: string) => CONSOLE_PATH.test(path);

const bootLog = (hostname: string) =>
  [
    '[    0.000000] Linux version 6.1.0-28-amd64 (debian-kernel@lists.debian.org)',
    '[    0.000000] Command line: BOOT_IMAGE=/boot/vmlinuz root=/dev/vda1 ro console=ttyS0',
    '[    0.412233] virtio_blk virtio2: [vda] 20971520 512-byte logical blocks',
    '[    1.083117] EXT4-fs (vda1): mounted filesystem with ordered data mode',
    '[    2.511920] cloud-init[412]: Cloud-init v. 24.1 running init-local',
    '[  OK  ] Started ssh.service - OpenBSD Secure Shell server.',
    '[  OK  ] Reached target multi-user.target - Multi-User System.',
    '',
    `Debian GNU/Linux 12 ${hostname} ttyS0`,
    '',
    '',
  ].join('\r\n');

/** A status reply on a socket not upgraded (the VMI is missing, or not running). */
const refuse = (socket: Duplex, code: number, reason: string, message: string) => {
  const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code });
  socket.end(
    `HTTP/1.1 ${code} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
};

/** Serves console upgrades for one simulated cluster. */
export const createConsoleServer = (api: ObjectApi) => {
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has(CONSOLE_PROTOCOL) ? CONSOLE_PROTOCOL : false),
  });

  const attach = (ws: WebSocket, hostname: string) => {
    const prompt = `${hostname} login: `;
    ws.send(Buffer.from(bootLog(hostname) + prompt));
    ws.on('message', (data: Buffer) => {
      // Echo as a terminal in cooked mode would: Enter ends the line and prompts again.
      const text = data.toString('utf8');
      const out = text.replace(/\r\n?|\n/g, `\r\n${prompt}`);
      ws.send(Buffer.from(out));
    });
  };

  return {
    /** Upgrades a console request (already authenticated) or answers it with a Status. */
    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, path: string) {
      const [, namespace = '', name = '', subresource = 'console'] = CONSOLE_PATH.exec(path) ?? [];
      const vmiType = api.registry.get('kubevirt.io/virtualmachineinstances');
      const vmi = vmiType ? api.find(vmiType, namespace, name) : undefined;
      if (!vmi) {
        refuse(socket, 404, 'NotFound', `virtualmachineinstance.kubevirt.io "${name}" not found`);
        return;
      }
      if (vmi.status?.phase !== 'Running') {
        refuse(
          socket,
          400,
          'BadRequest',
          `Unable to connect to VirtualMachineInstance because phase is ${String(vmi.status?.phase ?? 'Pending')} instead of Running`,
        );
        return;
      }
      const hostname = String(vmi.spec?.hostname ?? name);
      wss.handleUpgrade(req, socket, head, (ws) =>
        subresource === 'vnc' ? attachVnc(ws, hostname) : attach(ws, hostname),
      );
    },
    close: () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
};
