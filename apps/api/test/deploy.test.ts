import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { rbacRules, uncloudCalls } from '@uncloud/kube';
import { loadConfig } from '../src/config.ts';

// What the image and the deploy/ manifests promise, checked statically (Docker cannot run here;
// the real tier applies the manifests to a real control plane: deploy-real.test.ts).

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** The Dockerfile's stages: name and instructions (continuation lines joined). */
const stages = () => {
  const lines = read('Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const result: { name: string; lines: string[] }[] = [];
  for (const line of lines) {
    const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) result.push({ name: from[1] ?? String(result.length), lines: [] });
    else result.at(-1)?.lines.push(line);
  }
  return result;
};

interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [field: string]: unknown;
}
const kustomization = parseYaml(read('deploy/kustomization.yaml')) as {
  namespace: string;
  resources: string[];
};
const docs: Doc[] = kustomization.resources.flatMap((file) =>
  parseAllDocuments(read(`deploy/${file}`)).map((d) => d.toJS() as Doc),
);
const one = (kind: string, name?: string) => {
  const found = docs.filter((d) => d.kind === kind && (!name || d.metadata.name === name));
  expect(found, `${kind} ${name ?? ''}`).toHaveLength(1);
  return found[0]!;
};

interface Container {
  env: { name: string; value?: string; valueFrom?: Record<string, Record<string, string>> }[];
  readinessProbe: { httpGet: { path: string } };
  livenessProbe: { httpGet: { path: string } };
  resources: { requests: Record<string, string> };
  securityContext: Record<string, unknown>;
  volumeMounts: { name: string; mountPath: string }[];
}
const deployment = one('Deployment') as Doc & {
  spec: {
    replicas: number;
    strategy: { type: string };
    template: {
      spec: {
        serviceAccountName: string;
        securityContext: Record<string, unknown>;
        containers: Container[];
        volumes: { name: string; persistentVolumeClaim?: { claimName: string } }[];
      };
    };
  };
};
const pod = deployment.spec.template.spec;
const container = pod.containers[0]!;
const env = (name: string) => container.env.find((e) => e.name === name);

describe('the image', () => {
  it('builds in stages and runs as a user of its own, never root', () => {
    const all = stages();
    expect(all.length).toBeGreaterThanOrEqual(2);
    const runtime = all.at(-1)!;
    const user = runtime.lines.find((l) => l.startsWith('USER'));
    expect(user).toBeDefined();
    const uid = user!.split(/\s+/)[1]!.split(':')[0]!;
    expect(uid).toMatch(/^\d+$/);
    expect(Number(uid)).toBeGreaterThan(0);
    // The manifests run it as that user too.
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: Number(uid) });
  });

  it('ships production dependencies only, and installs nothing in the stage that runs', () => {
    const all = stages();
    const runtime = all.at(-1)!;
    const modulesFrom = /COPY --from=(\S+) \S*node_modules/.exec(runtime.lines.join('\n'))?.[1];
    expect(modulesFrom).toBeDefined();
    const deps = all.find((s) => s.name === modulesFrom)!;
    const installs = deps.lines.filter((l) => /npm (ci|install)\b/.test(l));
    expect(installs.length).toBeGreaterThan(0);
    for (const install of installs) expect(install).toMatch(/--omit=dev\b/);
    expect(runtime.lines.filter((l) => /npm (ci|install)\b/.test(l))).toEqual([]);
  });

  it('serves the built dashboard and starts the server', () => {
    const runtime = stages().at(-1)!;
    expect(runtime.lines.some((l) => /^COPY --from=\S+ \S*apps\/web\/dist\b/.test(l))).toBe(true);
    expect(runtime.lines.find((l) => l.startsWith('CMD'))).toContain('apps/api/src/main.ts');
    expect(read('.dockerignore').split('\n')).toContain('**/node_modules');
  });
});

describe('the deploy/ manifests', () => {
  it('run one replica, replaced (never two at once on one SQLite file)', () => {
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy.type).toBe('Recreate');
  });

  it('probe /healthz and /readyz, request resources and drop privileges', () => {
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'memory']);
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
  });

  it('keep the SQLite file on the PersistentVolumeClaim and take the admin token from a Secret', () => {
    const dataDir = env('UNCLOUD_DATA_DIR')!.value!;
    const mount = container.volumeMounts.find((m) => m.mountPath === dataDir)!;
    const volume = pod.volumes.find((v) => v.name === mount.name)!;
    expect(volume.persistentVolumeClaim?.claimName).toBe(one('PersistentVolumeClaim').metadata.name);
    expect(env('UNCLOUD_ADMIN_TOKEN')!.valueFrom!.secretKeyRef).toMatchObject({ key: 'token' });
  });

  it('configure a server that manages the cluster it runs in', () => {
    const serviceAccountDir = mkdtempSync(join(tmpdir(), 'uncloud-sa-'));
    writeFileSync(join(serviceAccountDir, 'token'), 'token');
    const values = Object.fromEntries(
      container.env.map((e) => [
        e.name,
        e.value ?? (e.valueFrom?.fieldRef ? 'uncloud' : 'a-long-enough-token'),
      ]),
    );
    const config = loadConfig({ ...values, KUBERNETES_SERVICE_HOST: '10.96.0.1' }, { serviceAccountDir });
    expect(config.cluster.mode).toBe('in-cluster');
    expect(config.dataDir).toBe('/var/lib/uncloud');
    expect(pod.serviceAccountName).toBe(one('ServiceAccount').metadata.name);
  });

  it('grant exactly the calls Uncloud makes: the cluster-wide ones and the Lease in its namespace', () => {
    const clusterRole = one('ClusterRole') as Doc & { rules: unknown };
    const role = one('Role') as Doc & { rules: unknown };
    expect(clusterRole.rules).toEqual(rbacRules(uncloudCalls.cluster));
    expect(role.rules).toEqual(rbacRules(uncloudCalls.ownNamespace));
    for (const binding of [one('ClusterRoleBinding'), one('RoleBinding')] as (Doc & {
      subjects: { kind: string; name: string; namespace: string }[];
    })[]) {
      expect(binding.subjects).toEqual([
        { kind: 'ServiceAccount', name: pod.serviceAccountName, namespace: kustomization.namespace },
      ]);
    }
    // The lease goes where the Role allows it: the pod's own namespace.
    expect(env('UNCLOUD_LEASE_NAMESPACE')!.valueFrom!.fieldRef).toEqual({ fieldPath: 'metadata.namespace' });
  });

  it('offer the Ingress as a component pointing at the Service', () => {
    const component = parseYaml(read('deploy/components/ingress/kustomization.yaml')) as {
      kind: string;
      resources: string[];
    };
    expect(component.kind).toBe('Component');
    const ingress = parseYaml(read(`deploy/components/ingress/${component.resources[0]}`)) as {
      spec: {
        rules: { http: { paths: { backend: { service: { name: string; port: { name: string } } } }[] } }[];
      };
    };
    const service = one('Service') as Doc & { spec: { ports: { name: string }[] } };
    expect(ingress.spec.rules[0]!.http.paths[0]!.backend.service).toEqual({
      name: service.metadata.name,
      port: { name: service.spec.ports[0]!.name },
    });
  });
});
