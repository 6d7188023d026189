// KubeVirt's `vnc` subresource, simulated: the guest's screen over RFB 3.8 (RFC 6143), as virt-api
// relays QEMU's VNC server to `virtctl vnc` and noVNC — binary WebSocket frames of raw RFB bytes.
// The server offers security type None, announces a tiny 64×48 true-colour framebuffer named after
// the machine, and answers every FramebufferUpdateRequest with the whole screen in Raw encoding;
// pointer, key and cut-text messages are read and ignored, as by a guest at a login screen.
import type { WebSocket } from 'ws';

export const VNC_WIDTH = 64;
export const VNC_HEIGHT = 48;
const VERSION = 'RFB 003.008\n';
const SECURITY_NONE = 1;

/** Pixel format: 32 bits per pixel, depth 24, little-endian, true colour, 8 bits each of R, G, B. */
const pixelFormat = () => {
  const pf = Buffer.alloc(16);
  pf.writeUInt8(32, 0); // bits-per-pixel
  pf.writeUInt8(24, 1); // depth
  pf.writeUInt8(0, 2); // big-endian-flag
  pf.writeUInt8(1, 3); // true-colour-flag
  pf.writeUInt16BE(255, 4); // red-max
  pf.writeUInt16BE(255, 6); // green-max
  pf.writeUInt16BE(255, 8); // blue-max
  pf.writeUInt8(16, 10); // red-shift
  pf.writeUInt8(8, 11); // green-shift
  pf.writeUInt8(0, 12); // blue-shift
  return pf;
};

const serverInit = (name: string) => {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(VNC_WIDTH, 0);
  head.writeUInt16BE(VNC_HEIGHT, 2);
  const title = Buffer.from(name, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(title.length, 0);
  return Buffer.concat([head, pixelFormat(), length, title]);
};

/** The screen: a dark console with a lighter band where a login prompt would be. */
const framebufferUpdate = () => {
  const header = Buffer.alloc(4 + 12);
  header.writeUInt8(0, 0); // FramebufferUpdate
  header.writeUInt16BE(1, 2); // one rectangle
  header.writeUInt16BE(0, 4);
  header.writeUInt16BE(0, 6);
  header.writeUInt16BE(VNC_WIDTH, 8);
  header.writeUInt16BE(VNC_HEIGHT, 10);
  header.writeInt32BE(0, 12); // Raw encoding
  const pixels = Buffer.alloc(VNC_WIDTH * VNC_HEIGHT * 4);
  for (let y = 0; y < VNC_HEIGHT; y++)
    for (let x = 0; x < VNC_WIDTH; x++) {
      const lit = y >= 20 && y < 28 && x >= 4 && x < 44;
      pixels.writeUInt32LE(lit ? 0x00c0c0c0 : 0x00101418, (y * VNC_WIDTH + x) * 4);
    }
  return Buffer.concat([header, pixels]);
};

/** Bytes a client message of `type` takes, given what has arrived; undefined until it can be told. */
const clientMessageLength = (buf: Buffer): number | undefined => {
  switch (buf[0]) {
    case 0: // SetPixelFormat
      return 20;
    case 2: // SetEncodings
      return buf.length < 4 ? undefined : 4 + 4 * buf.readUInt16BE(2);
    case 3: // FramebufferUpdateRequest
      return 10;
    case 4: // KeyEvent
      return 8;
    case 5: // PointerEvent
      return 6;
    case 6: // ClientCutText
      return buf.length < 8 ? undefined : 8 + buf.readUInt32BE(4);
    default:
      return -1;
  }
};

/** Speaks RFB 3.8 as the server on an open WebSocket. */
export const attachVnc = (ws: WebSocket, name: string) => {
  let stage: 'version' | 'security' | 'init' | 'normal' = 'version';
  let pending = Buffer.alloc(0);
  ws.send(Buffer.from(VERSION));
  ws.on('message', (data: Buffer) => {
    pending = Buffer.concat([pending, data]);
    for (;;) {
      if (stage === 'version') {
        if (pending.length < 12) return;
        const version = pending.subarray(0, 12).toString('latin1');
        pending = pending.subarray(12);
        if (!/^RFB 003\.00[378]\n$/.test(version)) {
          ws.close(1002, 'unsupported RFB version');
          return;
        }
        ws.send(Buffer.from([1, SECURITY_NONE]));
        stage = 'security';
      } else if (stage === 'security') {
        if (pending.length < 1) return;
        const chosen = pending[0];
        pending = pending.subarray(1);
        if (chosen !== SECURITY_NONE) {
          const reason = Buffer.from('only security type None is offered');
          const failed = Buffer.alloc(8);
          failed.writeUInt32BE(1, 0);
          failed.writeUInt32BE(reason.length, 4);
          ws.send(Buffer.concat([failed, reason]));
          ws.close(1000);
          return;
        }
        ws.send(Buffer.from([0, 0, 0, 0])); // SecurityResult: OK
        stage = 'init';
      } else if (stage === 'init') {
        if (pending.length < 1) return;
        pending = pending.subarray(1); // ClientInit: shared-flag
        ws.send(serverInit(name));
        stage = 'normal';
      } else {
        if (pending.length < 1) return;
        const length = clientMessageLength(pending);
        if (length === -1) {
          ws.close(1002, `unknown RFB client message ${pending[0]}`);
          return;
        }
        if (length === undefined || pending.length < length) return;
        const type = pending[0];
        pending = pending.subarray(length);
        if (type === 3) ws.send(framebufferUpdate());
      }
    }
  });
};
