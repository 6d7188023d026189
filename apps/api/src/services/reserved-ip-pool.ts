import { Address4 } from 'ip-address';

/** The region an installation names itself when its administrator names none (UNCLOUD_REGION). */
export const DEFAULT_REGION = 'local';

/**
 * The addresses an administrator lets Uncloud hand out as reserved IPs (`UNCLOUD_RESERVED_IP_POOL`):
 * IPv4 CIDRs (`203.0.113.0/24`), ranges (`203.0.113.10-203.0.113.20`) and single addresses,
 * separated by commas. A CIDR wider than /31 leaves out its network and broadcast addresses. The
 * cluster's load balancer must be able to give every one of them on request: a MetalLB
 * IPAddressPool (best with `autoAssign: false`, so that ordinary Services never take them) or a
 * CiliumLoadBalancerIPPool covering the same addresses.
 */
export interface ReservedIpPool {
  /** The entries as written, for messages. */
  readonly description: string;
  readonly size: number;
  contains(ip: string): boolean;
  /** The lowest address of the pool not in `taken`; undefined when every one is. */
  firstFree(taken: ReadonlySet<string>): string | undefined;
}

interface Block {
  first: bigint;
  last: bigint;
}

const parseAddress = (text: string, entry: string): bigint => {
  if (!Address4.isValid(text) || text.includes('/'))
    throw new Error(`"${entry}" is not an IPv4 address, range (a-b) or CIDR (a/n)`);
  return new Address4(text).bigInt();
};

const parseEntry = (entry: string): Block => {
  if (entry.includes('/')) {
    if (!Address4.isValid(entry)) throw new Error(`"${entry}" is not an IPv4 CIDR`);
    const cidr = new Address4(entry);
    const first = cidr.startAddress().bigInt();
    const last = cidr.endAddress().bigInt();
    // Network and broadcast addresses are nobody's to take on a routed subnet.
    return cidr.subnetMask < 31 ? { first: first + 1n, last: last - 1n } : { first, last };
  }
  const [from, to, ...rest] = entry.split('-').map((part) => part.trim());
  if (rest.length > 0 || from === undefined) throw new Error(`"${entry}" is not an IPv4 range (a-b)`);
  const first = parseAddress(from, entry);
  const last = to === undefined ? first : parseAddress(to, entry);
  if (last < first) throw new Error(`"${entry}" ends before it starts`);
  return { first, last };
};

const asText = (n: bigint) => Address4.fromBigInt(n).correctForm();

/** Parses the pool's text; throws an Error naming the entry that is wrong. Empty: no reserved IPs. */
export const parseReservedIpPool = (text: string): ReservedIpPool => {
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const blocks = entries.map(parseEntry).sort((a, b) => (a.first < b.first ? -1 : 1));
  blocks.forEach((block, i) => {
    const next = blocks[i + 1];
    if (next && next.first <= block.last)
      throw new Error(`"${asText(next.first)}" is in two entries; list each address once`);
  });
  return {
    description: entries.join(', '),
    size: blocks.reduce((n, b) => n + Number(b.last - b.first + 1n), 0),
    contains: (ip) => {
      if (!Address4.isValid(ip) || ip.includes('/')) return false;
      const n = new Address4(ip).bigInt();
      return blocks.some((b) => n >= b.first && n <= b.last);
    },
    firstFree: (taken) => {
      for (const block of blocks)
        for (let n = block.first; n <= block.last; n++) {
          const ip = asText(n);
          if (!taken.has(ip)) return ip;
        }
      return undefined;
    },
  };
};
