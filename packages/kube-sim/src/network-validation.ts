// Validation of network policies (NetworkPolicy and CiliumNetworkPolicy): ports, protocols and
// CIDRs, as the API server (or Cilium's CRD schema) refuses them.
import { isIP } from 'node:net';
import type { StatusCause } from './errors.ts';
import { invalidValue, required } from './causes.ts';

type Obj = Record<string, unknown>;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

export function validCidr(cidr: unknown): boolean {
  if (typeof cidr !== 'string') return false;
  const [ip, bits, ...rest] = cidr.split('/');
  if (rest.length > 0 || ip === undefined || bits === undefined || !/^\d+$/.test(bits)) return false;
  const family = isIP(ip);
  return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
}

function validPort(port: unknown): boolean {
  if (typeof port === 'number') return Number.isInteger(port) && port >= 1 && port <= 65535;
  return typeof port === 'string' && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(port) && port.length <= 15;
}

function peers(field: string, entries: Obj[], causes: StatusCause[]): void {
  entries.forEach((peer, i) => {
    const block = peer.ipBlock as { cidr?: unknown; except?: unknown[] } | undefined;
    if (!block) return;
    if (!validCidr(block.cidr))
      causes.push(invalidValue(`${field}[${i}].ipBlock.cidr`, block.cidr ?? '', 'must be a valid CIDR'));
    (block.except ?? []).forEach((e, j) => {
      if (!validCidr(e))
        causes.push(invalidValue(`${field}[${i}].ipBlock.except[${j}]`, e, 'must be a valid CIDR'));
    });
  });
}

function k8sPorts(field: string, ports: Obj[], causes: StatusCause[]): void {
  ports.forEach((p, i) => {
    if (p.protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(String(p.protocol))) {
      causes.push({
        reason: 'FieldValueNotSupported',
        field: `${field}[${i}].protocol`,
        message: `Unsupported value: ${JSON.stringify(p.protocol)}: supported values: "SCTP", "TCP", "UDP"`,
      });
    }
    if (p.port !== undefined && !validPort(p.port))
      causes.push(invalidValue(`${field}[${i}].port`, p.port, 'must be between 1 and 65535, inclusive'));
  });
}

export function validateNetworkPolicy(spec: Obj | undefined): StatusCause[] {
  if (!spec) return [required('spec')];
  const causes: StatusCause[] = [];
  if (spec.podSelector === undefined) causes.push(required('spec.podSelector'));
  list(spec.ingress).forEach((rule, i) => {
    peers(`spec.ingress[${i}].from`, list(rule.from), causes);
    k8sPorts(`spec.ingress[${i}].ports`, list(rule.ports), causes);
  });
  list(spec.egress).forEach((rule, i) => {
    peers(`spec.egress[${i}].to`, list(rule.to), causes);
    k8sPorts(`spec.egress[${i}].ports`, list(rule.ports), causes);
  });
  for (const [i, t] of ((spec.policyTypes as unknown[]) ?? []).entries()) {
    if (t !== 'Ingress' && t !== 'Egress')
      causes.push({
        reason: 'FieldValueNotSupported',
        field: `spec.policyTypes[${i}]`,
        message: `Unsupported value: ${JSON.stringify(t)}: supported values: "Ingress", "Egress"`,
      });
  }
  return causes;
}

const CILIUM_PROTOCOLS = ['TCP', 'UDP', 'SCTP', 'ICMP', 'ICMPv6', 'ANY'];

function ciliumRule(field: string, rule: Obj, causes: StatusCause[]): void {
  for (const key of ['fromCIDR', 'toCIDR']) {
    ((rule[key] as unknown[]) ?? []).forEach((c, i) => {
      if (!validCidr(c) && isIP(String(c)) === 0)
        causes.push(invalidValue(`${field}.${key}[${i}]`, c, 'must be a valid CIDR or IP address'));
    });
  }
  for (const key of ['fromCIDRSet', 'toCIDRSet']) {
    list(rule[key]).forEach((c, i) => {
      if (c.cidr !== undefined && !validCidr(c.cidr))
        causes.push(invalidValue(`${field}.${key}[${i}].cidr`, c.cidr, 'must be a valid CIDR'));
    });
  }
  list(rule.toPorts).forEach((tp, i) => {
    list(tp.ports).forEach((p, j) => {
      const f = `${field}.toPorts[${i}].ports[${j}]`;
      const n = Number(p.port);
      if (!/^\d+$/.test(String(p.port ?? '')) || n > 65535)
        causes.push(invalidValue(`${f}.port`, p.port ?? '', 'must be a port number between 0 and 65535'));
      if (p.protocol !== undefined && !CILIUM_PROTOCOLS.includes(String(p.protocol))) {
        causes.push({
          reason: 'FieldValueNotSupported',
          field: `${f}.protocol`,
          message: `Unsupported value: ${JSON.stringify(p.protocol)}: supported values: ${CILIUM_PROTOCOLS.map((x) => `"${x}"`).join(', ')}`,
        });
      }
    });
  });
}

export function validateCiliumNetworkPolicy(obj: Obj): StatusCause[] {
  const specs = obj.spec ? [obj.spec as Obj] : list(obj.specs);
  if (specs.length === 0) return [required('spec')];
  const causes: StatusCause[] = [];
  specs.forEach((spec, s) => {
    const base = obj.spec ? 'spec' : `specs[${s}]`;
    if (spec.endpointSelector === undefined && spec.nodeSelector === undefined)
      causes.push(required(`${base}.endpointSelector`));
    list(spec.ingress).forEach((r, i) => ciliumRule(`${base}.ingress[${i}]`, r, causes));
    list(spec.egress).forEach((r, i) => ciliumRule(`${base}.egress[${i}]`, r, causes));
  });
  return causes;
}
