import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createNamespace, startSim, waitFor, type TestCluster } from './helpers.ts';

let t: TestCluster;
const ns = 'console';
beforeAll(async () => {
  t = await startSim({ controllerDelayMs: 5 });
  await createNamespace(t, ns);
});
afterAll(() => t?.stop());

const consoleUrl = (name: string) =>
  `${t.info.httpUrl.replace(/^http/, 'ws')}/apis/subresources.kubevirt.io/v1/namespaces/${ns}/virtualmachineinstances/${name}/console`;

const open = (name: string, token = t.info.token) =>
  new WebSocket(consoleUrl(name), 'plain.kubevirt.io', { headers: { authorization: `Bearer ${token}` } });

/** Collects what the console prints until it contains `text`. */
const readUntil = (ws: WebSocket, text: string) =>
  new Promise<string>((resolve, reject) => {
    let seen = '';
    ws.on('message', (data: Buffer) => {
      seen += data.toString();
      if (seen.includes(text)) resolve(seen);
    });
    ws.on('error', reject);
  });

/** The HTTP status a refused upgrade answered with. */
const refusedWith = (ws: WebSocket) =>
  new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));

describe("a VMI's serial console", () => {
  it('prints the boot log and a login prompt, and echoes what is typed', async () => {
    await t.custom.createNamespacedCustomObject({
      group: 'kubevirt.io',
      version: 'v1',
      namespace: ns,
      plural: 'virtualmachines',
      body: {
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachine',
        metadata: { name: 'vm1' },
        spec: {
          runStrategy: 'Always',
          template: {
            spec: {
              domain: { devices: {}, resources: { requests: { memory: '64Mi' } } },
            },
          },
        },
      },
    });
    await waitFor(async () => {
      const vmi = (await t.custom
        .getNamespacedCustomObject({
          group: 'kubevirt.io',
          version: 'v1',
          namespace: ns,
          plural: 'virtualmachineinstances',
          name: 'vm1',
        })
        .catch(() => undefined)) as { status?: { phase?: string } } | undefined;
      return vmi?.status?.phase === 'Running';
    });
    const ws = open('vm1');
    expect(ws.protocol === '' || ws.protocol === 'plain.kubevirt.io').toBe(true);
    const boot = await readUntil(ws, 'vm1 login: ');
    expect(boot).toContain('Linux version');
    expect(ws.protocol).toBe('plain.kubevirt.io');
    const echoed = readUntil(ws, 'root\r\nvm1 login: ');
    ws.send(Buffer.from('root\r'));
    expect(await echoed).toContain('root');
    ws.close();
  });

  it('refuses an instance that does not exist with 404, and a wrong token with 401', async () => {
    expect(await refusedWith(open('nope'))).toBe(404);
    expect(await refusedWith(open('vm1', 'wrong'))).toBe(401);
  });
});
