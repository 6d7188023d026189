import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Metrics } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, deployment, startSim, waitFor, type TestCluster } from './helpers.ts';

const run = promisify(execFile);
let t: TestCluster;
const ns = 'ctl';
beforeAll(async () => {
  t = await startSim({ controllerDelayMs: 5 });
  await createNamespace(t, ns);
});
afterAll(() => t?.stop());

type Obj = {
  metadata: { name: string; uid: string; ownerReferences?: { uid: string; kind: string }[] };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown> & { conditions?: { type: string; status: string }[] };
};
const condition = (o: { status?: { conditions?: { type: string; status: string }[] } }, type: string) =>
  o.status?.conditions?.find((c) => c.type === type)?.status;

describe('simulated controllers', () => {
  it('marks a namespace Active and the node Ready with capacity', async () => {
    expect((await t.core.readNamespace({ name: ns })).status?.phase).toBe('Active');
    const node = await t.core.readNode({ name: 'uncloud-sim-1' });
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(node.status?.capacity?.cpu).toBeDefined();
  });

  it('rolls a Deployment out to ready pods with IPs and writes the deployment status', async () => {
    await t.apps.createNamespacedDeployment({ namespace: ns, body: deployment('web', { replicas: 3 }) });
    const d = await waitFor(async () => {
      const x = await t.apps.readNamespacedDeployment({ name: 'web', namespace: ns });
      return x.status?.availableReplicas === 3 &&
        condition(x, 'Progressing') === 'True' &&
        x.status.conditions?.find((c) => c.type === 'Progressing')?.reason === 'NewReplicaSetAvailable'
        ? x
        : undefined;
    });
    expect(d.status).toMatchObject({
      observedGeneration: 1,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    });
    expect(condition(d, 'Available')).toBe('True');
    const pods = (await t.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=web' })).items;
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.status?.phase).toBe('Running');
      expect(p.status?.podIP).toMatch(/^10\.42\.\d+\.\d+$/);
      expect(p.spec?.nodeName).toBe('uncloud-sim-1');
      expect(p.metadata?.ownerReferences?.[0]?.kind).toBe('ReplicaSet');
    }
  });

  it('rolls a new image out to a new ReplicaSet and scales the old one down', async () => {
    await t.apps.patchNamespacedDeployment({
      name: 'web',
      namespace: ns,
      body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.28' }],
    });
    await waitFor(async () => {
      const x = await t.apps.readNamespacedDeployment({ name: 'web', namespace: ns });
      return (
        x.status?.observedGeneration === 2 &&
        x.status.updatedReplicas === 3 &&
        x.status.replicas === 3 &&
        x.status.availableReplicas === 3
      );
    });
    const sets = (await t.apps.listNamespacedReplicaSet({ namespace: ns, labelSelector: 'app=web' })).items;
    expect(sets.map((s) => s.spec?.replicas).sort()).toEqual([0, 3]);
    const pods = (await t.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=web' })).items;
    expect(pods.every((p) => p.spec?.containers[0]?.image === 'nginx:1.28')).toBe(true);
  });

  it('serves pod logs and metrics.k8s.io usage for running pods and the node', async () => {
    const pod = (await t.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=web' })).items[0];
    const log = await t.core.readNamespacedPodLog({ name: pod?.metadata?.name ?? '', namespace: ns });
    expect(log).toContain('starting nginx');
    const metrics = new Metrics(t.kc);
    const pods = await metrics.getPodMetrics(ns);
    expect(pods.items.map((p) => p.metadata.name)).toContain(pod?.metadata?.name);
    expect(pods.items[0]?.containers[0]?.usage.cpu).toMatch(/^\d+n$/);
    const nodes = await metrics.getNodeMetrics();
    expect(nodes.items[0]?.metadata.name).toBe('uncloud-sim-1');
    expect(nodes.items[0]?.usage.memory).toMatch(/^\d+Ki$/);
  });

  it('never makes a pod of a `crashloop` image ready, and reports ProgressDeadlineExceeded', async () => {
    const broken = deployment('broken', { image: 'example/app:crashloop' });
    await t.apps.createNamespacedDeployment({
      namespace: ns,
      body: { ...broken, spec: { ...broken.spec, progressDeadlineSeconds: 1 } },
    });
    const pod = await waitFor(async () =>
      (await t.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=broken' })).items.find(
        (p) => p.status?.phase === 'Running',
      ),
    );
    expect(pod.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('CrashLoopBackOff');
    expect(condition(pod as never, 'Ready')).toBe('False');
    const d = await t.apps.readNamespacedDeployment({ name: 'broken', namespace: ns });
    expect(d.status?.availableReplicas ?? 0).toBe(0);
    expect(condition(d, 'Available')).toBe('False');
    const stalled = await waitFor(async () => {
      const x = await t.apps.readNamespacedDeployment({ name: 'broken', namespace: ns });
      return condition(x, 'Progressing') === 'False' ? x : undefined;
    });
    expect(stalled.status?.conditions?.find((c) => c.type === 'Progressing')?.reason).toBe(
      'ProgressDeadlineExceeded',
    );
  });

  it('restarts a crashing container with a doubling back-off, as kubectl shows it', async () => {
    await t.core.createNamespacedPod({
      namespace: ns,
      body: {
        metadata: { name: 'crasher' },
        spec: { containers: [{ name: 'app', image: 'example/app:crashloop' }] },
      },
    });
    const seen = new Set<string>();
    const pod = await waitFor(
      async () => {
        const p = await t.core.readNamespacedPod({ name: 'crasher', namespace: ns });
        const s = p.status?.containerStatuses?.[0];
        if (s?.state?.waiting)
          seen.add(`${s.restartCount} ${s.state.waiting.reason}: ${s.state.waiting.message}`);
        return (s?.restartCount ?? 0) >= 3 ? p : undefined;
      },
      { timeout: 15_000 },
    );
    expect([...seen].slice(0, 3)).toEqual([
      '1 CrashLoopBackOff: back-off 10s restarting failed container=app pod=crasher',
      '2 CrashLoopBackOff: back-off 20s restarting failed container=app pod=crasher',
      '3 CrashLoopBackOff: back-off 40s restarting failed container=app pod=crasher',
    ]);
    const status = pod.status?.containerStatuses?.[0];
    expect(status?.ready).toBe(false);
    expect(status?.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(condition(pod as never, 'Ready')).toBe('False');
    const { stdout } = await run('kubectl', [
      '--kubeconfig',
      t.kubeconfigPath,
      '-n',
      ns,
      'get',
      'pod',
      'crasher',
    ]);
    expect(stdout.split('\n')[1]).toMatch(/^crasher\s+0\/1\s+CrashLoopBackOff\s+[34] \(\d+s ago\)\s+\d+s$/);
  }, 20_000);

  it('gives a LoadBalancer Service and an Ingress an address', async () => {
    await t.core.createNamespacedService({
      namespace: ns,
      body: {
        metadata: { name: 'lb' },
        spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80 }] },
      },
    });
    const svc = await waitFor(async () => {
      const s = await t.core.readNamespacedService({ name: 'lb', namespace: ns });
      return s.status?.loadBalancer?.ingress?.[0]?.ip ? s : undefined;
    });
    expect(svc.spec?.clusterIP).toMatch(/^10\.43\./);
    await t.net.createNamespacedIngress({
      namespace: ns,
      body: {
        metadata: { name: 'web' },
        spec: {
          rules: [
            {
              host: 'shop.example.com',
              http: {
                paths: [
                  {
                    path: '/',
                    pathType: 'Prefix',
                    backend: { service: { name: 'lb', port: { number: 80 } } },
                  },
                ],
              },
            },
          ],
        },
      },
    });
    await waitFor(
      async () =>
        (await t.net.readNamespacedIngress({ name: 'web', namespace: ns })).status?.loadBalancer?.ingress?.[0]
          ?.ip,
    );
  });

  it('binds a PVC to a generated PV with the requested capacity, and expands it', async () => {
    await t.core.createNamespacedPersistentVolumeClaim({
      namespace: ns,
      body: {
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } },
      },
    });
    const pvc = await waitFor(async () => {
      const c = await t.core.readNamespacedPersistentVolumeClaim({ name: 'data', namespace: ns });
      return c.status?.phase === 'Bound' ? c : undefined;
    });
    expect(pvc.status?.capacity?.storage).toBe('5Gi');
    expect(pvc.spec?.storageClassName).toBe('local-path');
    const pv = await t.core.readPersistentVolume({ name: pvc.spec?.volumeName ?? '' });
    expect(pv.status?.phase).toBe('Bound');
    expect(pv.spec?.claimRef?.name).toBe('data');
    await t.core.patchNamespacedPersistentVolumeClaim({
      name: 'data',
      namespace: ns,
      body: [{ op: 'replace', path: '/spec/resources/requests/storage', value: '8Gi' }],
    });
    await waitFor(
      async () =>
        (await t.core.readNamespacedPersistentVolumeClaim({ name: 'data', namespace: ns })).status?.capacity
          ?.storage === '8Gi',
    );
  });

  it('runs a StatefulSet as ordered pods <name>-0.. and reports readyReplicas', async () => {
    const sts = deployment('db', { replicas: 2 });
    await t.apps.createNamespacedStatefulSet({
      namespace: ns,
      body: { ...sts, kind: 'StatefulSet', spec: { ...sts.spec, serviceName: 'db' } },
    });
    await waitFor(
      async () =>
        (await t.apps.readNamespacedStatefulSet({ name: 'db', namespace: ns })).status?.readyReplicas === 2,
    );
    const pods = (await t.core.listNamespacedPod({ namespace: ns, labelSelector: 'app=db' })).items
      .map((p) => p.metadata?.name)
      .sort();
    expect(pods).toEqual(['db-0', 'db-1']);
  });

  it('runs a KubeVirt VirtualMachine: an owned instance reaches Running with an IP and a node; Halted stops it; start and restart act on it', async () => {
    const vm = {
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachine',
      metadata: { name: 'vm1' },
      spec: {
        runStrategy: 'Always',
        template: {
          metadata: { labels: { 'kubevirt.io/domain': 'vm1' } },
          spec: { domain: { cpu: { cores: 1 }, memory: { guest: '1Gi' }, devices: {} } },
        },
      },
    };
    const vmApi = { group: 'kubevirt.io', version: 'v1', namespace: ns };
    await t.custom.createNamespacedCustomObject({ ...vmApi, plural: 'virtualmachines', body: vm });
    const running = (await waitFor(async () => {
      const v = (await t.custom.getNamespacedCustomObject({
        ...vmApi,
        plural: 'virtualmachines',
        name: 'vm1',
      })) as Obj;
      return v.status?.printableStatus === 'Running' && v.status.ready === true ? v : undefined;
    })) as Obj;
    expect(condition(running, 'Ready')).toBe('True');
    const vmi = (await t.custom.getNamespacedCustomObject({
      ...vmApi,
      plural: 'virtualmachineinstances',
      name: 'vm1',
    })) as Obj;
    expect(vmi.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'VirtualMachine',
      uid: running.metadata.uid,
    });
    expect(vmi.status?.phase).toBe('Running');
    expect(vmi.status?.nodeName).toBe('uncloud-sim-1');
    expect((vmi.status?.interfaces as { ipAddress: string }[])[0]?.ipAddress).toMatch(/^10\.42\./);
    const phases = (vmi.status?.phaseTransitionTimestamps as { phase: string }[]).map((p) => p.phase);
    expect(phases).toEqual(['Pending', 'Scheduling', 'Scheduled', 'Running']);
    await t.custom.patchNamespacedCustomObject({
      ...vmApi,
      plural: 'virtualmachines',
      name: 'vm1',
      body: [{ op: 'replace', path: '/spec/runStrategy', value: 'Halted' }],
    });
    await waitFor(
      async () =>
        (
          (await t.custom.getNamespacedCustomObject({
            ...vmApi,
            plural: 'virtualmachines',
            name: 'vm1',
          })) as Obj
        ).status?.printableStatus === 'Stopped',
    );
    const instances = (await t.custom.listNamespacedCustomObject({
      ...vmApi,
      plural: 'virtualmachineinstances',
    })) as { items: Obj[] };
    expect(instances.items).toHaveLength(0);
    const action = (name: string) =>
      fetch(
        `${t.info.httpUrl}/apis/subresources.kubevirt.io/v1/namespaces/${ns}/virtualmachines/vm1/${name}`,
        { method: 'PUT', headers: { authorization: `Bearer ${t.info.token}` } },
      );
    expect((await action('start')).status).toBe(202);
    await waitFor(
      async () =>
        (
          (await t.custom.getNamespacedCustomObject({
            ...vmApi,
            plural: 'virtualmachines',
            name: 'vm1',
          })) as Obj
        ).status?.printableStatus === 'Running',
    );
    const before = (await t.custom.getNamespacedCustomObject({
      ...vmApi,
      plural: 'virtualmachineinstances',
      name: 'vm1',
    })) as Obj;
    expect((await action('restart')).status).toBe(202);
    await waitFor(async () => {
      const after = (await t.custom.getNamespacedCustomObject({
        ...vmApi,
        plural: 'virtualmachineinstances',
        name: 'vm1',
      })) as Obj;
      return after.metadata.uid !== before.metadata.uid && after.status?.phase === 'Running';
    });
  });

  it('reports ErrorPvcNotFound for a VM whose volume claim is missing, then runs it with the volume attached', async () => {
    const vmApi = { group: 'kubevirt.io', version: 'v1', namespace: ns };
    await t.custom.createNamespacedCustomObject({
      ...vmApi,
      plural: 'virtualmachines',
      body: {
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachine',
        metadata: { name: 'vm-disk' },
        spec: {
          runStrategy: 'Always',
          template: {
            spec: {
              domain: {
                devices: {
                  disks: [
                    { name: 'root', disk: {} },
                    { name: 'data', disk: {} },
                  ],
                },
              },
              volumes: [
                { name: 'root', containerDisk: { image: 'quay.io/containerdisks/ubuntu:24.04' } },
                { name: 'data', persistentVolumeClaim: { claimName: 'vm-data' } },
              ],
            },
          },
        },
      },
    });
    await waitFor(
      async () =>
        (
          (await t.custom.getNamespacedCustomObject({
            ...vmApi,
            plural: 'virtualmachines',
            name: 'vm-disk',
          })) as Obj
        ).status?.printableStatus === 'ErrorPvcNotFound',
    );
    await t.core.createNamespacedPersistentVolumeClaim({
      namespace: ns,
      body: {
        metadata: { name: 'vm-data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } } },
      },
    });
    await waitFor(
      async () =>
        (
          (await t.custom.getNamespacedCustomObject({
            ...vmApi,
            plural: 'virtualmachines',
            name: 'vm-disk',
          })) as Obj
        ).status?.printableStatus === 'Running',
    );
    const vmi = (await t.custom.getNamespacedCustomObject({
      ...vmApi,
      plural: 'virtualmachineinstances',
      name: 'vm-disk',
    })) as Obj;
    expect(vmi.status?.volumeStatus).toEqual([
      { name: 'root', target: 'vda' },
      {
        name: 'data',
        target: 'vdb',
        persistentVolumeClaimInfo: expect.objectContaining({ claimName: 'vm-data' }),
      },
    ]);
  });

  it('brings a CloudNativePG Cluster to a healthy state with pods, services and the app secret', async () => {
    const api = { group: 'postgresql.cnpg.io', version: 'v1', namespace: ns, plural: 'clusters' };
    await t.custom.createNamespacedCustomObject({
      ...api,
      body: {
        apiVersion: 'postgresql.cnpg.io/v1',
        kind: 'Cluster',
        metadata: { name: 'pg' },
        spec: { instances: 2, storage: { size: '1Gi' } },
      },
    });
    const c = (await waitFor(async () => {
      const x = (await t.custom.getNamespacedCustomObject({ ...api, name: 'pg' })) as Obj;
      return x.status?.phase === 'Cluster in healthy state' ? x : undefined;
    })) as Obj;
    expect(c.status).toMatchObject({
      instances: 2,
      readyInstances: 2,
      currentPrimary: 'pg-1',
      writeService: 'pg-rw',
      readService: 'pg-r',
    });
    expect(condition(c, 'Ready')).toBe('True');
    const pods = (
      await t.core.listNamespacedPod({ namespace: ns, labelSelector: 'cnpg.io/cluster=pg' })
    ).items
      .map((p) => p.metadata?.name)
      .sort();
    expect(pods).toEqual(['pg-1', 'pg-2']);
    const services = (
      await t.core.listNamespacedService({ namespace: ns, labelSelector: 'cnpg.io/cluster=pg' })
    ).items
      .map((s) => s.metadata?.name)
      .sort();
    expect(services).toEqual(['pg-r', 'pg-ro', 'pg-rw']);
    const secret = await t.core.readNamespacedSecret({ name: 'pg-app', namespace: ns });
    const data = Object.fromEntries(
      Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]),
    );
    expect(data).toMatchObject({ username: 'app', host: 'pg-rw', port: '5432', dbname: 'app' });
    expect(data.uri).toBe(`postgresql://app:${data.password}@pg-rw.${ns}:5432/app`);
  });
});
