// Custom resources against the real KubeVirt and CloudNativePG structural schemas: types, enums,
// required fields, minimums, CEL rules, defaults.
import { at, cnpgCluster, fromHttp, paths, virtualMachine } from '../observe.ts';
import type { Probe, ProbeCluster } from '../types.ts';

const createVm = (c: ProbeCluster, body: object) =>
  c.request('POST', paths.group(c, 'kubevirt.io/v1', 'virtualmachines'), { body });
const createPg = (c: ProbeCluster, body: object) =>
  c.request('POST', paths.group(c, 'postgresql.cnpg.io/v1', 'clusters'), { body });

/** Spec fields the CNPG v1.28 schema defaults (instances and storage are sent). */
const CNPG_DEFAULTED = [
  'enablePDB',
  'enableSuperuserAccess',
  'failoverDelay',
  'logLevel',
  'maxSyncReplicas',
  'minSyncReplicas',
  'postgresGID',
  'postgresUID',
  'primaryUpdateMethod',
  'primaryUpdateStrategy',
  'replicationSlots',
  'smartShutdownTimeout',
  'startDelay',
  'stopDelay',
  'switchoverDelay',
];

export const crdSchemaProbes: Probe[] = [
  {
    name: 'vm-wrong-type',
    area: 'crd-schema',
    description:
      'POST a VirtualMachine with `spec.template.spec.domain.cpu.cores: "two"` (integer in the schema)',
    async run(c) {
      const vm = virtualMachine('vm');
      const spec = vm.spec as { template: { spec: { domain: { cpu: Record<string, unknown> } } } };
      spec.template.spec.domain.cpu.cores = 'two';
      return fromHttp(await createVm(c, vm));
    },
  },
  {
    name: 'vm-running-wrong-type',
    area: 'crd-schema',
    description: 'POST a VirtualMachine with `spec.running: "yes"` (boolean in the schema)',
    async run(c) {
      const vm = virtualMachine('vm', { running: 'yes' });
      delete (vm.spec as Record<string, unknown>).runStrategy;
      return fromHttp(await createVm(c, vm));
    },
  },
  {
    name: 'vm-required-template',
    area: 'crd-schema',
    description: 'POST a VirtualMachine without `spec.template` (required)',
    async run(c) {
      return fromHttp(
        await createVm(c, {
          apiVersion: 'kubevirt.io/v1',
          kind: 'VirtualMachine',
          metadata: { name: 'vm' },
          spec: { runStrategy: 'Halted' },
        }),
      );
    },
  },
  {
    name: 'vm-runstrategy-free-string',
    area: 'crd-schema',
    description:
      'POST a VirtualMachine with `spec.runStrategy: "Sometimes"`: the CRD has no enum (KubeVirt checks it in its webhook)',
    async run(c) {
      const res = await createVm(c, virtualMachine('vm', { runStrategy: 'Sometimes' }));
      return fromHttp(res, { runStrategy: at(res.body, 'spec.runStrategy') });
    },
  },
  {
    name: 'cnpg-loglevel-enum',
    area: 'crd-schema',
    description: 'POST a CNPG Cluster with `spec.logLevel: "loud"` (enum error|warning|info|debug|trace)',
    async run(c) {
      return fromHttp(await createPg(c, cnpgCluster('pg', { logLevel: 'loud' })));
    },
  },
  {
    name: 'cnpg-instances-minimum',
    area: 'crd-schema',
    description: 'POST a CNPG Cluster with `spec.instances: 0` (minimum 1)',
    async run(c) {
      return fromHttp(await createPg(c, cnpgCluster('pg', { instances: 0 })));
    },
  },
  {
    name: 'cnpg-cel-rule',
    area: 'crd-schema',
    description:
      'POST a CNPG Cluster with both imageName and imageCatalogRef (x-kubernetes-validations rule)',
    async run(c) {
      return fromHttp(
        await createPg(
          c,
          cnpgCluster('pg', {
            imageName: 'ghcr.io/cloudnative-pg/postgresql:17',
            imageCatalogRef: {
              apiGroup: 'postgresql.cnpg.io',
              kind: 'ClusterImageCatalog',
              name: 'pg',
              major: 17,
            },
          }),
        ),
      );
    },
  },
  {
    name: 'cnpg-defaults',
    area: 'crd-schema',
    description: 'POST a minimal CNPG Cluster: the schema defaults appear in the created object',
    async run(c) {
      const res = await createPg(c, cnpgCluster('pg'));
      const spec = (at(res.body, 'spec') ?? {}) as Record<string, unknown>;
      const defaults: Record<string, string> = {};
      for (const k of CNPG_DEFAULTED) defaults[k] = k in spec ? JSON.stringify(spec[k]) : '<absent>';
      return fromHttp(res, { defaults });
    },
  },
  {
    name: 'cnpg-instances-defaulted',
    area: 'crd-schema',
    description: 'POST a CNPG Cluster without `spec.instances` (required, but defaulted to 1 first)',
    async run(c) {
      const body = cnpgCluster('pg');
      delete (body.spec as Record<string, unknown>).instances;
      const res = await createPg(c, body);
      return fromHttp(res, { instances: at(res.body, 'spec.instances') });
    },
  },
];
