// A self-signed certificate for the simulated API server, because kubectl only sends bearer tokens
// over TLS connections. The kubeconfig trusts it as the cluster's CA.
import { isIP } from 'node:net';
import { generate } from 'selfsigned';

export interface ServerCert {
  key: string;
  cert: string;
}

const TEN_YEARS_MS = 10 * 365 * 24 * 3600_000;

/** A self-signed P-256 certificate valid for `hosts` (IP addresses or DNS names) for ten years. */
export async function selfSignedCert(hosts: string[]): Promise<ServerCert> {
  const now = Date.now();
  const pems = await generate([{ name: 'commonName', value: 'uncloud-sim' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    // A minute back, so that a client whose clock is slightly behind accepts it at once.
    notBeforeDate: new Date(now - 60_000),
    notAfterDate: new Date(now + TEN_YEARS_MS),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: hosts.map((host) => {
          // An IPv6 address as a URL writes it (`[::1]`) is an address too: an IP SAN, not a DNS one.
          const h = /^\[.*\]$/.test(host) ? host.slice(1, -1) : host;
          return isIP(h) ? { type: 7 as const, ip: h } : { type: 2 as const, value: h };
        }),
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
