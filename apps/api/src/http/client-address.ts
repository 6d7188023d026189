import type { Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';

/**
 * The key that per-client limits count under: an IPv4 address as it is, an IPv6 address by its
 * /64 (one subscriber usually holds a whole /64, so counting single addresses would count nothing).
 */
export const addressKey = (address: string): string => {
  const plain = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain);
  if (mapped) return mapped[1]!;
  if (!plain.includes(':')) return plain;
  const [head = '', tail] = plain.split('::');
  const front = head ? head.split(':') : [];
  const back = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? front
      : [...front, ...Array<string>(Math.max(0, 8 - front.length - back.length)).fill('0'), ...back];
  return `${groups
    .slice(0, 4)
    .map((group) => (Number.parseInt(group, 16) || 0).toString(16))
    .join(':')}::/64`;
};

/**
 * Who is calling, for per-client limits. Behind a reverse proxy (`UNCLOUD_TRUST_PROXY`) that is the
 * last `X-Forwarded-For` entry, the one the proxy itself appended; earlier entries are the
 * client's to forge.
 */
export const clientAddress = (
  c: Context<{ Bindings: Partial<HttpBindings> }>,
  trustProxy: boolean,
): string => {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return addressKey(forwarded);
  }
  return addressKey(c.env?.incoming?.socket.remoteAddress ?? 'unknown');
};
