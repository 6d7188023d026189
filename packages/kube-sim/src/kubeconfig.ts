// The kubeconfig the simulated cluster writes: one cluster (trusting its self-signed certificate),
// one user with a bearer token.
import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';

export function kubeconfigYaml(server: string, token: string, caPem: string, name = 'uncloud-sim'): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name, cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } },
    ],
    users: [{ name: `${name}-admin`, user: { token } }],
    contexts: [{ name, context: { cluster: name, user: `${name}-admin`, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  });
}

export async function writeKubeconfig(
  path: string,
  server: string,
  token: string,
  caPem: string,
): Promise<void> {
  await writeFile(path, kubeconfigYaml(server, token, caPem), { mode: 0o600 });
}
