import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import { RESOURCE_ID, managedSelector, namespaceName } from '@uncloud/kube';
import type { ProjectId } from '@uncloud/sdk';
import { waitFor } from '@uncloud/testing';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

type Op =
  | { op: 'createApp'; slot: number; replicas: number }
  | { op: 'scaleApp'; slot: number; replicas: number }
  | { op: 'deleteApp'; slot: number }
  | { op: 'createVolume'; slot: number; sizeGiB: number }
  | { op: 'deleteVolume'; slot: number }
  | { op: 'refuse' }
  | { op: 'accept' }
  | { op: 'errors'; status: 500 | 503 | 429; count: number }
  | { op: 'conflicts'; count: number };

const slot = fc.integer({ min: 0, max: 3 });
const operation: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('createApp' as const), slot, replicas: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ op: fc.constant('scaleApp' as const), slot, replicas: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ op: fc.constant('deleteApp' as const), slot }),
  fc.record({ op: fc.constant('createVolume' as const), slot, sizeGiB: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ op: fc.constant('deleteVolume' as const), slot }),
  fc.constant({ op: 'refuse' as const }),
  fc.constant({ op: 'accept' as const }),
  fc.record({
    op: fc.constant('errors' as const),
    status: fc.constantFrom(500 as const, 503 as const, 429 as const),
    count: fc.integer({ min: 1, max: 5 }),
  }),
  fc.record({ op: fc.constant('conflicts' as const), count: fc.integer({ min: 1, max: 3 }) }),
);

let run = 0;

describe('convergence under faults', () => {
  it('ends, once faults stop, with Kubernetes holding exactly the intent', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 3, maxLength: 12 }), async (ops) => {
        const c = stack.client;
        const sim = stack.sim!;
        const project = await c.projects.create.mutate({ name: `prop-${run++}` });
        const projectId: ProjectId = project.id;
        await waitFor(async () => (await c.projects.get.query({ projectId })).state === 'active', {
          timeout: 10_000,
        });
        const apps = new Map<number, string>();
        const volumes = new Map<number, string>();
        // Names stay taken while a deleted resource is on its way out, so every create takes a new one.
        let created = 0;
        try {
          for (const step of ops) {
            switch (step.op) {
              case 'createApp':
                if (!apps.has(step.slot)) {
                  const app = await c.apps.create.mutate({
                    projectId,
                    name: `app-${created++}`,
                    image: 'nginx:1.27',
                    port: 80,
                    replicas: step.replicas,
                  });
                  apps.set(step.slot, app.id);
                }
                break;
              case 'scaleApp':
                if (apps.has(step.slot))
                  // A scale still running refuses the next with CONFLICT, and a scale to the replicas
                  // asked for already with BAD_REQUEST on `replicas`: either way intent keeps the earlier one.
                  await c.apps.scale
                    .mutate({ projectId, id: apps.get(step.slot)! as never, replicas: step.replicas })
                    .catch((error: unknown) => {
                      const data = (error as { data?: { code?: string; field?: string } }).data;
                      const unchanged = data?.code === 'BAD_REQUEST' && data.field === 'replicas';
                      if (data?.code !== 'CONFLICT' && !unchanged) throw error;
                    });
                break;
              case 'deleteApp':
                if (apps.has(step.slot)) {
                  await c.apps.delete.mutate({ projectId, id: apps.get(step.slot)! as never });
                  apps.delete(step.slot);
                }
                break;
              case 'createVolume':
                if (!volumes.has(step.slot)) {
                  const volume = await c.volumes.create.mutate({
                    projectId,
                    name: `vol-${created++}`,
                    sizeGiB: step.sizeGiB,
                  });
                  volumes.set(step.slot, volume.id);
                }
                break;
              case 'deleteVolume':
                if (volumes.has(step.slot)) {
                  await c.volumes.delete.mutate({ projectId, id: volumes.get(step.slot)! as never });
                  volumes.delete(step.slot);
                }
                break;
              case 'refuse':
                await sim.refuseConnections();
                break;
              case 'accept':
                await sim.acceptConnections();
                break;
              case 'errors':
                sim.injectError({ status: step.status, count: step.count, retryAfterSeconds: 0 });
                break;
              case 'conflicts':
                sim.failNextWrites(step.count);
                break;
            }
          }
        } finally {
          await sim.acceptConnections();
          sim.clearFaults();
        }
        await stack.api.sync!.resync();
        const namespace = namespaceName(projectId);
        await waitFor(
          async () => {
            const [appRows, volumeRows, deployments, claims] = await Promise.all([
              c.apps.list.query({ projectId }),
              c.volumes.list.query({ projectId }),
              stack.kube!.list('Deployment', { labelSelector: managedSelector('app'), namespace }),
              stack.kube!.list('PersistentVolumeClaim', {
                labelSelector: managedSelector('volume'),
                namespace,
              }),
            ]);
            const ids = (objects: { metadata: { labels?: Record<string, string> } }[]) =>
              objects.map((o) => o.metadata.labels![RESOURCE_ID]).sort();
            return (
              JSON.stringify(appRows.items.map((a) => a.id).sort()) ===
                JSON.stringify([...apps.values()].sort()) &&
              JSON.stringify(volumeRows.items.map((v) => v.id).sort()) ===
                JSON.stringify([...volumes.values()].sort()) &&
              JSON.stringify(ids(deployments)) === JSON.stringify([...apps.values()].sort()) &&
              JSON.stringify(ids(claims)) === JSON.stringify([...volumes.values()].sort()) &&
              [...appRows.items, ...volumeRows.items].every(
                (r) => r.state === 'active' && r.syncState === 'synced',
              )
            );
          },
          { timeout: 45_000, interval: 100, message: `convergence after ${JSON.stringify(ops)}` },
        );
        const appRows = await c.apps.list.query({ projectId });
        for (const app of appRows.items) {
          const deployment = (await stack.kube!.get(
            'Deployment',
            namespace,
            app.id.replace('_', '-'),
          )) as unknown as { spec: { replicas: number } };
          expect(deployment.spec.replicas).toBe(app.replicas);
        }
      }),
      { numRuns: 15, endOnFailure: true },
    );
  }, 240_000);
});
