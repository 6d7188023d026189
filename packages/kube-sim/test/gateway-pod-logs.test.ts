// The gateway's pods/log calls against the simulated cluster (KWOK's pods write no logs, so this
// runs on the simulator alone): the recent text, a followed line stream, and refusals in words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubeGateway, isKubeError, loadKubeConfig, type KubeGateway } from '@uncloud/kube';
import { createNamespace, deployment, startSim, waitFor, type TestCluster } from './helpers.ts';

let t: TestCluster;
let gateway: KubeGateway;
let pod: string;
const ns = 'gateway-logs';

beforeAll(async () => {
  t = await startSim({ logIntervalMs: 50 });
  gateway = createKubeGateway(loadKubeConfig({ kubeconfigPath: t.kubeconfigPath }), { timeoutMs: 5000 });
  await createNamespace(t, ns);
  await waitFor(() => t.core.readNamespacedServiceAccount({ name: 'default', namespace: ns }));
  await t.apps.createNamespacedDeployment({ namespace: ns, body: deployment('web', { image: 'web:1' }) });
  pod = await waitFor(async () => {
    const pods = await gateway.list('Pod', { namespace: ns, labelSelector: 'app=web' });
    const running = pods.find((p) => (p as { status?: { phase?: string } }).status?.phase === 'Running');
    return running?.metadata.name;
  });
});
afterAll(async () => {
  gateway?.close();
  await t?.stop();
});

describe('the gateway reads pod logs', () => {
  it('reads the recent text, with timestamps and the last lines only', async () => {
    const text = await gateway.podLogs(ns, pod, { tailLines: 1, timestamps: true });
    expect(text).toMatch(/^\d{4}-\d\d-\d\dT\S+Z \S.*\n$/);
    const all = await gateway.podLogs(ns, pod, { container: 'web' });
    expect(all.split('\n')[0]).toBe('starting web:1');
  });

  it('follows: yields lines as they are written and ends quietly when aborted', async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    for await (const line of await gateway.followPodLogs(
      ns,
      pod,
      { tailLines: 0 },
      { signal: controller.signal },
    )) {
      lines.push(line);
      if (lines.length === 3) controller.abort();
    }
    expect(lines).toHaveLength(3);
    expect(lines.every((l) => l.startsWith('GET /'))).toBe(true);
  });

  it('refuses an unknown pod or container in words, and records the call for RBAC', async () => {
    const missing = await gateway.podLogs(ns, 'nope', {}).catch((e: unknown) => e);
    expect(isKubeError(missing, 'NotFound')).toBe(true);
    expect((missing as Error).message).toContain('read the log of');
    const follow = await gateway
      .followPodLogs(ns, 'nope', {}, { signal: AbortSignal.timeout(5000) })
      .catch((e: unknown) => e);
    expect(isKubeError(follow, 'NotFound')).toBe(true);
    const container = await gateway.podLogs(ns, pod, { container: 'db' }).catch((e: unknown) => e);
    expect(isKubeError(container, 'Invalid')).toBe(true);
    expect(gateway.callsMade()).toContainEqual({ kind: 'Pod', verb: 'log' });
  });
});
