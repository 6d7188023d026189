// Validation of NetworkPolicy as the API server's Go code does it: ports, protocols and CIDRs.
// (CiliumNetworkPolicy is checked against Cilium's own CRD schema and CEL rules.)
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
        message: `Unsupported value: ${JSON.stringify(p.protocol)}: supported values: "TCP", "UDP", "SCTP"`,
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
