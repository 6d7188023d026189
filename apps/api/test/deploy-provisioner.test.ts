import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { provisionerRules } from '@uncloud/kube';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

describe('the provisioner’s opt-in role (deploy/components/provisioner)', () => {
  const component = parseYaml(read('deploy/components/provisioner/kustomization.yaml')) as {
    kind: string;
    resources: string[];
  };
  const docs = component.resources.flatMap((file) =>
    parseAllDocuments(read(`deploy/components/provisioner/${file}`)).map(
      (d) =>
        d.toJSON() as {
          kind: string;
          metadata: { name: string };
          rules?: unknown;
          roleRef?: unknown;
          subjects?: unknown;
        },
    ),
  );

  it('is a kustomize component, not part of the default deploy', () => {
    expect(component.kind).toBe('Component');
    const base = parseYaml(read('deploy/kustomization.yaml')) as {
      resources: string[];
      components?: string[];
    };
    expect(JSON.stringify(base)).not.toContain('provisioner');
  });

  it('grants exactly the rules packages/kube declares, bound to Uncloud’s service account', () => {
    const role = docs.find((d) => d.kind === 'ClusterRole')!;
    expect(role.metadata.name).toBe('uncloud-provisioner');
    expect(role.rules).toEqual(provisionerRules);
    expect(docs.find((d) => d.kind === 'ClusterRoleBinding')).toMatchObject({
      roleRef: { kind: 'ClusterRole', name: 'uncloud-provisioner' },
      subjects: [{ kind: 'ServiceAccount', name: 'uncloud', namespace: 'uncloud' }],
    });
  });
});
