// The CustomResourceDefinitions a provisioned Uncloud cluster has: KubeVirt, CloudNativePG, Cilium.
import type { StoredObject } from './types.ts';

interface CrdInput {
  group: string;
  version: string;
  kind: string;
  plural: string;
  shortNames?: string[];
  status: boolean;
  scope?: 'Namespaced' | 'Cluster';
  columns?: { name: string; type: string; jsonPath: string; priority?: number }[];
  categories?: string[];
}

export function crd(input: CrdInput): StoredObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${input.plural}.${input.group}` },
    spec: {
      group: input.group,
      scope: input.scope ?? 'Namespaced',
      names: {
        kind: input.kind,
        listKind: `${input.kind}List`,
        plural: input.plural,
        singular: input.kind.toLowerCase(),
        ...(input.shortNames ? { shortNames: input.shortNames } : {}),
        ...(input.categories ? { categories: input.categories } : {}),
      },
      versions: [
        {
          name: input.version,
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              description: `${input.kind} (${input.group}/${input.version}).`,
              type: 'object',
              properties: {
                spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
              },
            },
          },
          ...(input.status ? { subresources: { status: {} } } : {}),
          ...(input.columns ? { additionalPrinterColumns: input.columns } : {}),
        },
      ],
    },
  };
}

const AGE = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

export const PROVISIONED_CRDS: StoredObject[] = [
  crd({
    group: 'kubevirt.io',
    version: 'v1',
    kind: 'VirtualMachine',
    plural: 'virtualmachines',
    shortNames: ['vm', 'vms'],
    status: true,
    categories: ['all'],
    columns: [
      AGE,
      { name: 'Status', type: 'string', jsonPath: '.status.printableStatus' },
      { name: 'Ready', type: 'string', jsonPath: '.status.conditions[0].status' },
    ],
  }),
  crd({
    group: 'kubevirt.io',
    version: 'v1',
    kind: 'VirtualMachineInstance',
    plural: 'virtualmachineinstances',
    shortNames: ['vmi', 'vmis'],
    status: false,
    categories: ['all'],
    columns: [
      AGE,
      { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
      { name: 'IP', type: 'string', jsonPath: '.status.interfaces[0].ipAddress' },
      { name: 'NodeName', type: 'string', jsonPath: '.status.nodeName' },
    ],
  }),
  crd({
    group: 'snapshot.kubevirt.io',
    version: 'v1beta1',
    kind: 'VirtualMachineSnapshot',
    plural: 'virtualmachinesnapshots',
    shortNames: ['vmsnapshot', 'vmsnapshots'],
    status: true,
    columns: [
      AGE,
      { name: 'SourceKind', type: 'string', jsonPath: '.spec.source.kind' },
      { name: 'SourceName', type: 'string', jsonPath: '.spec.source.name' },
      { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
      { name: 'ReadyToUse', type: 'boolean', jsonPath: '.status.readyToUse' },
    ],
  }),
  crd({
    group: 'postgresql.cnpg.io',
    version: 'v1',
    kind: 'Cluster',
    plural: 'clusters',
    status: true,
    columns: [
      AGE,
      { name: 'Instances', type: 'integer', jsonPath: '.status.instances' },
      { name: 'Ready', type: 'integer', jsonPath: '.status.readyInstances' },
      { name: 'Status', type: 'string', jsonPath: '.status.phase' },
      { name: 'Primary', type: 'string', jsonPath: '.status.currentPrimary' },
    ],
  }),
  crd({
    group: 'cilium.io',
    version: 'v2',
    kind: 'CiliumNetworkPolicy',
    plural: 'ciliumnetworkpolicies',
    shortNames: ['cnp', 'ciliumnp'],
    status: true,
    columns: [AGE],
  }),
];
