// What the simulated API server lets a PersistentVolumeClaim update change, as kube-apiserver does
// (ValidatePersistentVolumeClaimUpdate): a bound claim may grow, and nothing else in its spec may
// change; the refusal shows the diff of the two specs. The pending-claim cases are compared with
// the real API server by tooling/kube-fidelity (pvc-*-immutable): nothing binds claims there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unifiedDiff } from '../src/pvc-validation.ts';
import { createNamespace, startSim, waitFor, type TestCluster } from './helpers.ts';

let t: TestCluster;
const namespace = 'claims';
beforeAll(async () => {
  t = await startSim({ controllerDelayMs: 5 });
  await createNamespace(t, namespace);
});
afterAll(() => t?.stop());

const path = (name: string) => `/api/v1/namespaces/${namespace}/persistentvolumeclaims/${name}`;
const patch = (name: string, body: unknown) =>
  t.request(path(name), {
    method: 'PATCH',
    contentType: 'application/merge-patch+json',
    body: JSON.stringify(body),
  });
const boundClaim = async (name: string) => {
  await t.core.createNamespacedPersistentVolumeClaim({
    namespace,
    body: {
      metadata: { name },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    },
  });
  await waitFor(async () => {
    const claim = await t.core.readNamespacedPersistentVolumeClaim({ name, namespace });
    return claim.status?.phase === 'Bound' ? true : undefined;
  });
};

describe('a PersistentVolumeClaim update', () => {
  it('lets a bound claim grow', async () => {
    await boundClaim('grows');
    const grown = await patch('grows', { spec: { resources: { requests: { storage: '2Gi' } } } });
    expect(grown.status).toBe(200);
  });

  it("refuses any other change to a bound claim's spec, showing the server's diff of it", async () => {
    await boundClaim('fixed');
    const refused = await patch('fixed', { spec: { accessModes: ['ReadWriteMany'] } });
    expect(refused.status).toBe(422);
    expect((refused.body as { message: string }).message).toBe(
      'PersistentVolumeClaim "fixed" is invalid: spec: Forbidden: spec is immutable after creation except ' +
        'resources.requests and volumeAttributesClassName for bound claims\n' +
        '@@ -1,6 +1,6 @@\n {\n  "AccessModes": [\n-  "ReadWriteOnce"\n+  "ReadWriteMany"\n  ],\n' +
        '  "Selector": null,\n  "Resources": {\n',
    );
    // A storage class where the claim has one is a change too (only an unset one may be filled in).
    const reclassed = await patch('fixed', { spec: { storageClassName: 'other' } });
    expect(reclassed.status).toBe(422);
  });

  it('refuses to shrink a bound claim to its capacity', async () => {
    await boundClaim('shrinks');
    const shrunk = await patch('shrinks', { spec: { resources: { requests: { storage: '512Mi' } } } });
    expect(shrunk.status).toBe(422);
    expect((shrunk.body as { message: string }).message).toBe(
      'PersistentVolumeClaim "shrinks" is invalid: spec.resources.requests.storage: Forbidden: field can not be less than status.capacity',
    );
  });
});

describe("the diff in the server's refusal", () => {
  it('is a unified diff without file headers, with three lines of context, as go-difflib writes it', () => {
    const before = ['{', ' "a": 1,', ' "b": 2,', ' "c": 3,', ' "d": 4,', ' "e": 5,', ' "f": 6', '}', ''].join(
      '\n',
    );
    expect(unifiedDiff(before, before.replace('"f": 6', '"f": 7'))).toBe(
      '@@ -4,5 +4,5 @@\n  "c": 3,\n  "d": 4,\n  "e": 5,\n- "f": 6\n+ "f": 7\n }\n',
    );
    expect(unifiedDiff(before, before)).toBe('');
  });
});
