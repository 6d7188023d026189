import { startStack, type Stack } from '@uncloud/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliUser, type CliRun } from './run-cli.ts';

const shown = (r: CliRun) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;

describe('uncloud app logs', () => {
  let stack: Stack;
  let user: ReturnType<typeof cliUser>;
  const ok = async (args: string[]) => {
    const result = await user.run(args);
    expect(result.code, shown(result)).toBe(0);
    return result;
  };

  beforeAll(async () => {
    stack = await startStack();
    user = cliUser();
    await ok(['auth', 'login', '--url', stack.url, '--token', stack.adminToken]);
    await ok(['project', 'create', 'store', '--wait']);
    await ok(['project', 'use', 'store']);
    await ok(['app', 'create', 'shop', '--image', 'shop:2.0', '--port', '8080', '--wait']);
    const app = stack.client;
    const projectId = (await app.projects.list.query({})).items.find((p) => p.name === 'store')!.id;
    const shop = (await app.apps.list.query({ projectId })).items.find((a) => a.name === 'shop')!;
    await app.waitFor(app.apps, { projectId, id: shop.id }, (a) => (a.readyReplicas ?? 0) >= 1, {
      timeoutMs: 15_000,
    });
  });
  afterAll(() => stack?.close());

  it('prints the recent lines as text: pod, time, line', async () => {
    const logs = await ok(['app', 'logs', 'shop']);
    const first = logs.stdout.split('\n')[0]!;
    expect(first).toMatch(/^\S+ \d{4}-\d\d-\d\dT\S+Z starting shop:2\.0$/);
    const json = JSON.parse(
      (await ok(['app', 'logs', 'shop', '--tail-lines', '1', '-o', 'json'])).stdout,
    ) as {
      replicas: unknown[];
      lines: unknown[];
    };
    expect(json.replicas).toHaveLength(1);
    expect(json.lines).toHaveLength(1);
  });

  it('follows with --follow, printing new lines until interrupted', async () => {
    const stop = new AbortController();
    const following = await user.run(['app', 'logs', 'shop', '--follow'], {
      signal: stop.signal,
      onStdout: (out) => {
        if (/ GET \/\S* 200 /.test(out)) stop.abort();
      },
    });
    expect(following.code, shown(following)).toBe(0);
    expect(following.stdout).toMatch(/^\S+ \S+Z GET \//m);
  });
});
