// Unknown and duplicate fields under `fieldValidation` Strict / Warn / Ignore / unset.
import { at, deployment, fromHttp, fromKubectl, paths, virtualMachine } from '../observe.ts';
import type { Probe, ProbeCluster } from '../types.ts';

/** A Deployment with `spec.template.spec.containers[0].resources.requestz`. */
const withRequestz = () => deployment('web', { container: { resources: { requestz: { cpu: '100m' } } } });

async function createWith(c: ProbeCluster, fieldValidation: string | undefined) {
  const res = await c.request('POST', paths.apps(c, 'deployments'), {
    body: withRequestz(),
    query: { fieldValidation },
  });
  const fields: Record<string, string | boolean | number> = {};
  if (res.status === 201) {
    // What was stored: the unknown field must be dropped.
    const got = await c.request('GET', paths.apps(c, 'deployments', 'web'));
    const containers = at(got.body, 'spec.template.spec.containers') as { resources?: object }[] | undefined;
    fields.storedResources = JSON.stringify(containers?.[0]?.resources ?? null);
  }
  return fromHttp(res, fields);
}

export const fieldValidationProbes: Probe[] = [
  {
    name: 'unknown-field-strict',
    area: 'field-validation',
    description: 'POST a Deployment with `…containers[0].resources.requestz`, fieldValidation=Strict (400)',
    run: (c) => createWith(c, 'Strict'),
  },
  {
    name: 'unknown-field-warn',
    area: 'field-validation',
    description: 'The same with fieldValidation=Warn: created, with a Warning header naming the field',
    run: (c) => createWith(c, 'Warn'),
  },
  {
    name: 'unknown-field-ignore',
    area: 'field-validation',
    description: 'The same with fieldValidation=Ignore: created silently, the field dropped',
    run: (c) => createWith(c, 'Ignore'),
  },
  {
    name: 'unknown-field-default',
    area: 'field-validation',
    description: 'The same without fieldValidation (the server default is Warn)',
    run: (c) => createWith(c, undefined),
  },
  {
    name: 'kubectl-apply-unknown-field',
    area: 'field-validation',
    description: '`kubectl apply -f -` of that Deployment (kubectl asks for Strict)',
    async run(c) {
      return fromKubectl(
        await c.kubectl(['apply', '-n', c.namespace, '-f', '-'], { input: JSON.stringify(withRequestz()) }),
      );
    },
  },
  {
    name: 'duplicate-field-strict',
    area: 'field-validation',
    description: 'POST a ConfigMap body with `data.key` twice, fieldValidation=Strict (400 duplicate field)',
    async run(c) {
      const body = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup"},"data":{"key":"a","key":"b"}}`;
      return fromHttp(
        await c.request('POST', paths.core(c, 'configmaps'), {
          body,
          contentType: 'application/json',
          query: { fieldValidation: 'Strict' },
        }),
      );
    },
  },
  {
    name: 'crd-unknown-field-strict',
    area: 'field-validation',
    description: 'POST a VirtualMachine with `spec.template.spec.domain.cpu.corez`, fieldValidation=Strict',
    async run(c) {
      const vm = virtualMachine('vm');
      const spec = vm.spec as { template: { spec: { domain: { cpu: Record<string, unknown> } } } };
      spec.template.spec.domain.cpu.corez = 2;
      return fromHttp(
        await c.request('POST', paths.group(c, 'kubevirt.io/v1', 'virtualmachines'), {
          body: vm,
          query: { fieldValidation: 'Strict' },
        }),
      );
    },
  },
  {
    name: 'crd-unknown-field-pruned',
    area: 'field-validation',
    description: 'The same VirtualMachine with fieldValidation=Ignore: created, the field pruned',
    async run(c) {
      const vm = virtualMachine('vm');
      const spec = vm.spec as { template: { spec: { domain: { cpu: Record<string, unknown> } } } };
      spec.template.spec.domain.cpu.corez = 2;
      const res = await c.request('POST', paths.group(c, 'kubevirt.io/v1', 'virtualmachines'), {
        body: vm,
        query: { fieldValidation: 'Ignore' },
      });
      return fromHttp(res, {
        storedCpu: JSON.stringify(at(res.body, 'spec.template.spec.domain.cpu') ?? null),
      });
    },
  },
];
