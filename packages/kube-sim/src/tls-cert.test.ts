import { X509Certificate } from 'node:crypto';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { createSimCluster } from './cluster.ts';
import { selfSignedCert } from './tls-cert.ts';

describe('the server certificate', () => {
  it('names IPv4 and IPv6 hosts (bare or bracketed) in IP SANs and names in DNS SANs', async () => {
    const { cert } = await selfSignedCert(['127.0.0.1', '::1', '[fd00::1]', 'localhost']);
    const x509 = new X509Certificate(cert);
    expect(x509.subjectAltName?.split(', ')).toEqual([
      'IP Address:127.0.0.1',
      'IP Address:0:0:0:0:0:0:0:1',
      'IP Address:FD00:0:0:0:0:0:0:1',
      'DNS:localhost',
    ]);
    expect(x509.checkIP('::1')).toBe('::1');
    expect(x509.checkHost('localhost')).toBe('localhost');
  });
});

describe('a simulated cluster on an IPv6 address', () => {
  it('is reached through its kubeconfig over verified TLS', async () => {
    const sim = createSimCluster({ host: '::1', profile: 'bare', controllerDelayMs: 0 });
    const info = await sim.start();
    try {
      expect(info.url).toMatch(/^https:\/\/\[::1\]:\d+$/);
      const kc = new KubeConfig();
      kc.loadFromFile(info.kubeconfigPath);
      const namespaces = await kc.makeApiClient(CoreV1Api).listNamespace();
      expect(namespaces.items.map((n) => n.metadata?.name)).toContain('default');
    } finally {
      await sim.stop();
    }
  });
});
