import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import {
  type KubeGateway,
  createKubeGateway,
  isDeclaredCall,
  loadKubeConfig,
  namespaceName,
  ownerLabels,
  withInstallation,
} from '@uncloud/kube';
import { realClusterKubeconfig } from '@uncloud/kube-real/testing';
import type { ProjectId, UncloudClient } from '@uncloud/sdk';
import { sshPublicKeys, waitFor } from '@uncloud/testing';

// Real tier only (kube-real enforces RBAC): deploy/ applies under strict field validation and its
// Deployment becomes Available on a KWOK node; the sync engine, run with the deployed service
// account's token, converges every kind and collects an orphan (the ClusterRole is enough); with
// one verb taken out of it, the engine says which kind and verb it was refused.

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const adminKubeconfig = realClusterKubeconfig()!;
const NAMESPACE = 'uncloud';
const kubectl = async (args: string[], input?: string) => {
  const child = run('kubectl', ['--kubeconfig', adminKubeconfig, ...args], { timeout: 60_000 });
  if (input !== undefined) child.child.stdin!.end(input);
  return (await child).stdout;
};

/** A kubeconfig for the plane's API server that signs in with `token` (a service account's). */
const kubeconfigWithToken = (token: string) => {
  const admin = new KubeConfig();
  admin.loadFromFile(adminKubeconfig);
  const cluster = admin.getCurrentCluster()!;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ name: 'uncloud', token }],
    contexts: [{ name: 'uncloud', cluster: cluster.name, user: 'uncloud' }],
    currentContext: 'uncloud',
  });
  const path = join(mkdtempSync(join(tmpdir(), 'uncloud-sa-')), 'kubeconfig');
  writeFileSync(path, kc.exportConfig(), { mode: 0o600 });
  return path;
};

let admin: KubeGateway;
let stack: Stack;
let c: UncloudClient;
let projectId: ProjectId;
beforeAll(() => {
  admin = createKubeGateway(loadKubeConfig({ kubeconfigPath: adminKubeconfig }));
});
afterAll(async () => {
  await stack?.close();
  admin.close();
});

describe('deploy/ on a real cluster', () => {
  it('applies under strict validation and the Deployment becomes Available on a KWOK node', async () => {
    const manifests = await run('kubectl', ['kustomize', join(repo, 'deploy')]);
    // kubectl's `--validate=strict` is the API server's fieldValidation=Strict.
    await kubectl(
      ['apply', '--server-side', '--validate=strict', '--field-manager=deploy-test', '-f', '-'],
      manifests.stdout,
    );
    await kubectl([
      'create',
      'secret',
      'generic',
      'uncloud-admin-token',
      '-n',
      NAMESPACE,
      '--from-literal=token=a-long-enough-admin-token',
    ]);
    // Nothing provisions volumes here: a PersistentVolume bound to the claim stands in for one.
    await kubectl(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: 'uncloud-data' },
        spec: {
          capacity: { storage: '1Gi' },
          accessModes: ['ReadWriteOnce'],
          storageClassName: 'standard',
          hostPath: { path: '/var/lib/uncloud' },
          claimRef: { namespace: NAMESPACE, name: 'uncloud-data' },
        },
      }),
    );
    await kubectl([
      'wait',
      '-n',
      NAMESPACE,
      '--for=condition=Available',
      'deployment/uncloud',
      '--timeout=90s',
    ]);
    const pods = JSON.parse(
      await kubectl(['get', 'pods', '-n', NAMESPACE, '-l', 'app.kubernetes.io/name=uncloud', '-o', 'json']),
    ) as { items: { spec: { nodeName: string; serviceAccountName: string }; status: { phase: string } }[] };
    expect(pods.items).toHaveLength(1);
    expect(pods.items[0]).toMatchObject({
      spec: { nodeName: expect.stringMatching(/^kwok-node-/), serviceAccountName: 'uncloud' },
      status: { phase: 'Running' },
    });
  }, 120_000);

  it('gives the sync engine every permission it uses: every kind converges and an orphan goes', async () => {
    const token = (await kubectl(['create', 'token', 'uncloud', '-n', NAMESPACE, '--duration=1h'])).trim();
    stack = await startStack({ kubeconfig: kubeconfigWithToken(token), leaseNamespace: NAMESPACE });
    c = stack.client;
    const status = await waitFor(
      async () => {
        const s = await c.sync.status.query();
        return s.leader && s.lastResyncAt !== null && s;
      },
      { timeout: 30_000, message: 'the engine leading with the service account' },
    );
    expect(status.clusterSource).toBe('kubeconfig');

    projectId = (await c.projects.create.mutate({ name: 'rbac' })).id;
    const key = await c.sshKeys.create.mutate({
      projectId,
      name: 'k',
      publicKey: sshPublicKeys.ed25519.line,
    });
    const app = await c.apps.create.mutate({
      projectId,
      name: 'web',
      image: 'nginx:1.27',
      port: 80,
      domains: ['web.example.com'],
    });
    const created = {
      droplet: await c.droplets.create.mutate({
        projectId,
        name: 'vm',
        size: 's-1vcpu-1gb',
        image: 'debian-12',
        sshKeyIds: [key.id],
      }),
      volume: await c.volumes.create.mutate({ projectId, name: 'data', sizeGiB: 1 }),
      database: await c.databases.create.mutate({
        projectId,
        name: 'main',
        engine: 'postgres',
        size: 'db-s-1vcpu-1gb',
      }),
      cache: await c.databases.create.mutate({
        projectId,
        name: 'cache',
        engine: 'valkey',
        size: 'db-s-1vcpu-1gb',
      }),
      firewall: await c.firewalls.create.mutate({
        projectId,
        name: 'web',
        inbound: [{ protocol: 'tcp', ports: '443', sources: ['0.0.0.0/0'] }],
        targets: [app.id],
      }),
    };
    // Applied without a refusal: nothing runs KubeVirt, CloudNativePG or a provisioner here, so
    // those wait in `provisioning`; the app's pods run on KWOK, so it becomes active.
    const applied = (row: { generation: number; observedGeneration: number; syncError: string | null }) =>
      row.observedGeneration === row.generation && row.syncError === null;
    await waitFor(
      async () => {
        const rows = [
          await c.projects.get.query({ projectId }),
          await c.apps.get.query({ projectId, id: app.id }),
          await c.droplets.get.query({ projectId, id: created.droplet.id }),
          await c.volumes.get.query({ projectId, id: created.volume.id }),
          await c.databases.get.query({ projectId, id: created.database.id }),
          await c.databases.get.query({ projectId, id: created.cache.id }),
          await c.firewalls.get.query({ projectId, id: created.firewall.id }),
        ];
        return rows.every(applied) && rows[1]!.state === 'active';
      },
      { timeout: 40_000, message: 'every kind applied with the service account' },
    );

    // An object of this installation whose resource is gone: the next resync deletes it.
    const namespace = namespaceName(projectId);
    const orphan = withInstallation(
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: 'app-gonegonegonegonegone',
          namespace,
          labels: ownerLabels({ kind: 'app', id: 'app_gonegonegonegonegone', projectId, name: 'gone' }),
        },
        spec: { ports: [{ port: 80 }] },
      },
      status.installationId!,
    );
    await admin.create(orphan);
    // A resync judges the engine's cache: one that runs before the orphan's watch event arrived
    // sees nothing to collect, so resync until it is gone (the engine's own timer does the same).
    await waitFor(
      async () => {
        await stack.api.sync!.resync();
        return (await admin.get('Service', namespace, orphan.metadata.name)) === null;
      },
      { timeout: 15_000, message: 'the orphan deleted' },
    );

    // Everything the engine did is in the table the ClusterRole and Role are derived from.
    const calls = stack.api.cluster!.gateway.callsMade();
    expect(calls.filter((call) => !isDeclaredCall(call.kind, call.verb))).toEqual([]);
    expect(calls.length).toBeGreaterThan(10);
  }, 120_000);

  it('reports a clear Forbidden naming the kind and the verb when the role lacks one', async () => {
    const role = JSON.parse(await kubectl(['get', 'clusterrole', 'uncloud', '-o', 'json'])) as {
      rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    };
    const index = role.rules.findIndex((r) => r.resources.includes('deployments'));
    await kubectl([
      'patch',
      'clusterrole',
      'uncloud',
      '--type=json',
      `-p=${JSON.stringify([
        {
          op: 'replace',
          path: `/rules/${index}/verbs`,
          value: role.rules[index]!.verbs.filter((v) => v !== 'patch'),
        },
      ])}`,
    ]);
    const app = await c.apps.create.mutate({
      projectId: projectId,
      name: 'refused',
      image: 'nginx:1.27',
      port: 80,
    });
    const failed = await waitFor(
      async () => {
        const row = await c.apps.get.query({ projectId: projectId, id: app.id });
        return row.syncError !== null && row;
      },
      { timeout: 30_000, message: 'the app refused' },
    );
    expect(failed.syncError).toMatch(
      /Kubernetes refused the app's Deployment: .*cannot patch resource "deployments"/,
    );
    expect(failed.syncError).toContain('check its RBAC');
  }, 60_000);
});
