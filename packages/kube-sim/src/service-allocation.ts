// What the Service storage allocates and refuses beyond validation: node ports from 30000-32767
// for NodePort and LoadBalancer Services (a port outside the range, or one another Service holds,
// is 422), a cluster IP another Service holds (422), and on update the allocated values a client
// left out kept from the stored Service. The cluster IP itself is allocated with the other create
// defaults (defaults.ts).
import { forbiddenField, invalidValue } from './causes.ts';
import type { StatusCause } from './errors.ts';
import type { ObjectStore } from './store.ts';
import type { StoredObject } from './types.ts';

export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;

type Port = { port?: number; protocol?: string; name?: string; nodePort?: number };

const portsOf = (s: StoredObject | undefined): Port[] =>
  Array.isArray(s?.spec?.ports) ? (s?.spec?.ports as Port[]) : [];

const sameService = (a: StoredObject, b: StoredObject | undefined) =>
  !!b && a.metadata.namespace === b.metadata.namespace && a.metadata.name === b.metadata.name;

/** Node ports and cluster IPs held by Services other than `obj`. */
function held(store: ObjectStore, obj: StoredObject, old: StoredObject | undefined) {
  const nodePorts = new Set<number>();
  const clusterIps = new Set<string>();
  for (const s of store.list('/services')) {
    if (sameService(s, obj) && old) continue;
    for (const p of portsOf(s)) if (typeof p.nodePort === 'number') nodePorts.add(p.nodePort);
    for (const ip of (s.spec?.clusterIPs as string[] | undefined) ?? [s.spec?.clusterIP])
      if (ip && ip !== 'None') clusterIps.add(ip);
  }
  return { nodePorts, clusterIps };
}

/** On update, what the client left unset keeps its allocated value (the real patchAllocatedValues). */
function keepAllocated(spec: Record<string, unknown>, old: StoredObject): void {
  const before = old.spec ?? {};
  if (!spec.clusterIP && before.clusterIP && spec.type !== 'ExternalName') {
    spec.clusterIP = before.clusterIP;
    spec.clusterIPs ??= before.clusterIPs;
  }
  const wantsNodePorts = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
  if (!wantsNodePorts) return;
  for (const p of (spec.ports as Port[] | undefined) ?? []) {
    if (p.nodePort !== undefined) continue;
    const match = portsOf(old).find(
      (o) => o.port === p.port && (o.protocol ?? 'TCP') === (p.protocol ?? 'TCP'),
    );
    if (match?.nodePort !== undefined) p.nodePort = match.nodePort;
  }
}

/** Check and allocate a Service's node ports and cluster IP; the causes of a 422 when refused. */
export function allocateServicePorts(
  store: ObjectStore,
  obj: StoredObject,
  old?: StoredObject,
): StatusCause[] {
  const spec = obj.spec as Record<string, unknown> | undefined;
  if (!spec) return [];
  if (old) keepAllocated(spec, old);
  const type = (spec.type as string | undefined) ?? 'ClusterIP';
  const ports = (spec.ports as Port[] | undefined) ?? [];
  const wantsNodePorts = type === 'NodePort' || type === 'LoadBalancer';
  const causes: StatusCause[] = [];
  if (!wantsNodePorts) {
    ports.forEach((p, i) => {
      if (p.nodePort !== undefined && p.nodePort !== 0)
        causes.push(
          forbiddenField(`spec.ports[${i}].nodePort`, `may not be used when \`type\` is '${type}'`),
        );
    });
  }
  const ip = spec.clusterIP as string | undefined;
  const newIp = ip && ip !== 'None' && ip !== old?.spec?.clusterIP;
  const changed = wantsNodePorts || newIp;
  if (!changed) return causes;
  const taken = held(store, obj, old);
  if (newIp && taken.clusterIps.has(ip))
    causes.push(
      invalidValue('spec.clusterIPs', [ip], `failed to allocate IP ${ip}: provided IP is already allocated`),
    );
  if (!wantsNodePorts) return causes;
  const mine = new Set(portsOf(old).map((p) => p.nodePort));
  ports.forEach((p, i) => {
    if (p.nodePort === undefined || p.nodePort === 0 || mine.has(p.nodePort)) return;
    const field = `spec.ports[${i}].nodePort`;
    if (p.nodePort < NODE_PORT_MIN || p.nodePort > NODE_PORT_MAX)
      causes.push(
        invalidValue(
          field,
          p.nodePort,
          `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`,
        ),
      );
    else if (taken.nodePorts.has(p.nodePort))
      causes.push(invalidValue(field, p.nodePort, 'provided port is already allocated'));
    else taken.nodePorts.add(p.nodePort);
  });
  if (causes.length > 0) return causes;
  for (const p of ports) {
    if (p.nodePort !== undefined && p.nodePort !== 0) continue;
    const free = freePort(taken.nodePorts);
    if (free === undefined) break;
    p.nodePort = free;
    taken.nodePorts.add(free);
  }
  return causes;
}

/** A random free node port, as the real allocator picks one. */
function freePort(taken: Set<number>): number | undefined {
  const size = NODE_PORT_MAX - NODE_PORT_MIN + 1;
  const start = Math.floor(Math.random() * size);
  for (let i = 0; i < size; i++) {
    const port = NODE_PORT_MIN + ((start + i) % size);
    if (!taken.has(port)) return port;
  }
  return undefined;
}
