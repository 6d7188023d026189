import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiError,
  createNamespace,
  deployment,
  knownDifference,
  startClusterUnderTest,
  waitFor,
  type ClusterClients,
} from './helpers.ts';

let t: ClusterClients;
beforeAll(async () => {
  t = await startClusterUnderTest({ profile: 'bare' });
  await createNamespace(t, 'crud');
  // Object semantics only: no simulated controller writes status underneath these tests.
  t.sim?.pauseControllers();
});
afterAll(() => t?.stop());

/**
 * The object without its resourceVersion: an unconditional PUT. On a real cluster the controllers
 * write Deployment status underneath these tests, which would turn a conditional PUT into a 409.
 */
const unconditional = <T extends { metadata?: { resourceVersion?: string } }>(object: T): T => ({
  ...object,
  metadata: { ...object.metadata, resourceVersion: undefined },
});

describe('object semantics through client-node', () => {
  it('create returns uid, resourceVersion, creationTimestamp and generation 1, and GET returns the same object', async () => {
    const created = await t.core.createNamespacedConfigMap({
      namespace: 'crud',
      body: { metadata: { name: 'cfg', labels: { a: 'b' } }, data: { k: 'v' } },
    });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.resourceVersion).toMatch(/^\d+$/);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    // kube-apiserver sets no generation on kinds without a spec (a ConfigMap); the simulator sets
    // 1 on every object.
    expect(created.metadata?.generation).toBe(knownDifference(t, { sim: 1, real: undefined }));
    const got = await t.core.readNamespacedConfigMap({ name: 'cfg', namespace: 'crud' });
    expect(got).toEqual(created);
  });

  it('answers 409 AlreadyExists for a duplicate create and 404 NotFound for an unknown name, as Status bodies', async () => {
    await t.core.createNamespacedSecret({
      namespace: 'crud',
      body: { metadata: { name: 'dup' }, stringData: { a: 'b' } },
    });
    const dup = await apiError(
      t.core.createNamespacedSecret({ namespace: 'crud', body: { metadata: { name: 'dup' } } }),
    );
    expect(dup.code).toBe(409);
    expect(dup.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'AlreadyExists',
      code: 409,
      message: 'secrets "dup" already exists',
    });
    const missing = await apiError(t.core.readNamespacedSecret({ name: 'nope', namespace: 'crud' }));
    expect(missing.code).toBe(404);
    expect(missing.body).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: 'secrets "nope" not found',
      details: { name: 'nope', kind: 'secrets' },
    });
  });

  it('stores stringData of a Secret base64-encoded in data', async () => {
    const s = await t.core.readNamespacedSecret({ name: 'dup', namespace: 'crud' });
    expect(s.data).toEqual({ a: Buffer.from('b').toString('base64') });
    expect(s.type).toBe('Opaque');
  });

  it('rejects a bad name, a bad label and a missing required field with 422 Invalid naming the field', async () => {
    const badName = await apiError(
      t.core.createNamespacedConfigMap({ namespace: 'crud', body: { metadata: { name: 'Bad_Name' } } }),
    );
    expect(badName.code).toBe(422);
    expect(badName.body.reason).toBe('Invalid');
    expect(badName.body.details?.causes?.[0]?.field).toBe('metadata.name');
    const badLabel = await apiError(
      t.core.createNamespacedConfigMap({
        namespace: 'crud',
        body: { metadata: { name: 'ok', labels: { 'bad key!': 'x' } } },
      }),
    );
    expect(badLabel.code).toBe(422);
    expect(badLabel.body.details?.causes?.[0]?.field).toBe('metadata.labels');
    const noContainers = await apiError(
      t.core.createNamespacedPod({
        namespace: 'crud',
        body: { metadata: { name: 'p' }, spec: { containers: [] } },
      }),
    );
    expect(noContainers.code).toBe(422);
    expect(noContainers.body.details?.causes?.[0]).toMatchObject({
      field: 'spec.containers',
      reason: 'FieldValueRequired',
    });
    const nsName = await apiError(t.core.createNamespace({ body: { metadata: { name: 'a.b' } } }));
    expect(nsName.body.details?.causes?.[0]?.field).toBe('metadata.name');
  });

  it('refuses a Deployment whose selector does not match its template, and a selector change', async () => {
    const d = deployment('sel');
    d.spec.template.metadata.labels = { app: 'other' };
    const err = await apiError(t.apps.createNamespacedDeployment({ namespace: 'crud', body: d }));
    expect(err.code).toBe(422);
    expect(err.body.details?.causes?.[0]?.field).toBe('spec.template.metadata.labels');
    const good = await t.apps.createNamespacedDeployment({ namespace: 'crud', body: deployment('sel2') });
    good.spec!.selector = { matchLabels: { app: 'sel2', extra: 'x' } };
    good.spec!.template.metadata!.labels = { app: 'sel2', extra: 'x' };
    const immutable = await apiError(
      t.apps.replaceNamespacedDeployment({ name: 'sel2', namespace: 'crud', body: unconditional(good) }),
    );
    expect(immutable.code).toBe(422);
    expect(immutable.body.details?.causes?.[0]?.field).toBe('spec.selector');
  });

  it('answers 409 Conflict to a PUT with a stale resourceVersion and succeeds with the current one', async () => {
    const cm = await t.core.createNamespacedConfigMap({
      namespace: 'crud',
      body: { metadata: { name: 'put' }, data: { v: '1' } },
    });
    const first = await t.core.replaceNamespacedConfigMap({
      name: 'put',
      namespace: 'crud',
      body: { ...cm, data: { v: '2' } },
    });
    expect(Number(first.metadata?.resourceVersion)).toBeGreaterThan(Number(cm.metadata?.resourceVersion));
    const stale = await apiError(
      t.core.replaceNamespacedConfigMap({
        name: 'put',
        namespace: 'crud',
        body: { ...cm, data: { v: '3' } },
      }),
    );
    expect(stale.code).toBe(409);
    expect(stale.body.reason).toBe('Conflict');
    expect(stale.body.message).toContain('the object has been modified');
    const ok = await t.core.replaceNamespacedConfigMap({
      name: 'put',
      namespace: 'crud',
      body: { ...first, data: { v: '3' } },
    });
    expect(ok.data).toEqual({ v: '3' });
  });

  it('does not bump resourceVersion for a write that changes nothing', async () => {
    const cm = await t.core.readNamespacedConfigMap({ name: 'put', namespace: 'crud' });
    const same = await t.core.replaceNamespacedConfigMap({ name: 'put', namespace: 'crud', body: cm });
    expect(same.metadata?.resourceVersion).toBe(cm.metadata?.resourceVersion);
  });

  it('bumps generation on spec changes only, and changes status only through /status', async () => {
    const created = await t.apps.createNamespacedDeployment({ namespace: 'crud', body: deployment('gen') });
    expect(created.metadata?.generation).toBe(1);
    // A real deployment controller annotates a new Deployment with its revision. Start from that
    // version, so that the PUTs below keep the annotation: on kube-apiserver a Deployment's
    // annotation change bumps its generation too (the simulator's does not: a known difference).
    const d =
      t.kind === 'real'
        ? await waitFor(async () => {
            const read = await t.apps.readNamespacedDeployment({ name: 'gen', namespace: 'crud' });
            return read.metadata?.annotations?.['deployment.kubernetes.io/revision'] ? read : undefined;
          })
        : created;
    const labelled = await t.apps.replaceNamespacedDeployment({
      name: 'gen',
      namespace: 'crud',
      body: unconditional({ ...d, metadata: { ...d.metadata, labels: { app: 'gen', x: 'y' } } }),
    });
    expect(labelled.metadata?.generation).toBe(1);
    const scaled = await t.apps.replaceNamespacedDeployment({
      name: 'gen',
      namespace: 'crud',
      body: unconditional({ ...labelled, spec: { ...labelled.spec!, replicas: 3 } }),
    });
    expect(scaled.metadata?.generation).toBe(2);
    const ignored = await t.apps.replaceNamespacedDeployment({
      name: 'gen',
      namespace: 'crud',
      body: unconditional({ ...scaled, status: { replicas: 42 } }),
    });
    expect(ignored.status?.replicas).not.toBe(42);
    const viaStatus = await t.apps.replaceNamespacedDeploymentStatus({
      name: 'gen',
      namespace: 'crud',
      body: unconditional({ ...ignored, spec: { ...ignored.spec!, replicas: 9 }, status: { replicas: 42 } }),
    });
    expect(viaStatus.status?.replicas).toBe(42);
    expect(viaStatus.spec?.replicas).toBe(3);
    expect(viaStatus.metadata?.generation).toBe(2);
  });

  it('reads an application/yaml request body as the object', async () => {
    const yaml = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: from-yaml',
      'data:',
      '  greeting: hello',
      '  multi: |',
      '    line one',
      '    line two',
      '',
    ].join('\n');
    const res = await t.request('/api/v1/namespaces/crud/configmaps', {
      method: 'POST',
      body: yaml,
      contentType: 'application/yaml',
    });
    expect(res.status).toBe(201);
    const created = res.body as { metadata: { name: string }; data: Record<string, string> };
    expect(created.metadata.name).toBe('from-yaml');
    expect(created.data).toEqual({ greeting: 'hello', multi: 'line one\nline two\n' });
  });

  it('fills generateName with a random suffix', async () => {
    const cm = await t.core.createNamespacedConfigMap({
      namespace: 'crud',
      body: { metadata: { generateName: 'gen-' } },
    });
    expect(cm.metadata?.name).toMatch(/^gen-[a-z0-9]{5}$/);
  });

  it('changes nothing under dryRun=All', async () => {
    const dry = await t.core.createNamespacedConfigMap({
      namespace: 'crud',
      dryRun: 'All',
      body: { metadata: { name: 'dry' } },
    });
    expect(dry.metadata?.name).toBe('dry');
    expect((await apiError(t.core.readNamespacedConfigMap({ name: 'dry', namespace: 'crud' }))).code).toBe(
      404,
    );
  });

  it('refuses creates in a namespace that does not exist with 404', async () => {
    const err = await apiError(
      t.core.createNamespacedConfigMap({ namespace: 'ghost', body: { metadata: { name: 'x' } } }),
    );
    expect(err.code).toBe(404);
    expect(err.body.message).toBe('namespaces "ghost" not found');
  });

  it("allocates a cluster IP from the cluster's service range to a Service at create", async () => {
    const svc = await t.core.createNamespacedService({
      namespace: 'crud',
      body: { metadata: { name: 'svc' }, spec: { selector: { app: 'x' }, ports: [{ port: 80 }] } },
    });
    // The simulator's 10.43.0.0/16, kube-real's 10.96.0.0/16.
    expect(svc.spec?.clusterIP).toMatch(t.kind === 'real' ? /^10\.96\.\d+\.\d+$/ : /^10\.43\.\d+\.\d+$/);
  });
});
