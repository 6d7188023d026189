import type { ClusterCapabilities } from '@uncloud/db';
import { describe, expect, it } from 'vitest';
import { missingFor } from './components-gate.ts';

const caps = (over: Partial<ClusterCapabilities> = {}): ClusterCapabilities => ({
  observedAt: new Date().toISOString(),
  crds: [],
  storageClasses: ['local-path'],
  defaultStorageClass: 'local-path',
  present: ['kubevirt', 'cdi', 'storage', 'cnpg'],
  ...over,
});

describe('what a create needs from the cluster', () => {
  it('refuses nothing while the cluster was never looked at', () => {
    expect(missingFor(['kubevirt', 'cdi', 'storage'], null, undefined)).toEqual([]);
  });

  it('names the components the cluster was seen without', () => {
    expect(missingFor(['kubevirt', 'cdi'], caps({ present: ['kubevirt'] }), undefined)).toEqual(['cdi']);
    expect(missingFor(['cnpg', 'storage'], caps({ present: [] }), undefined)).toEqual(['cnpg']);
  });

  it('judges storage by the default class, or by the configured class when one is set', () => {
    expect(missingFor(['storage'], caps({ defaultStorageClass: null }), undefined)).toEqual(['storage']);
    expect(missingFor(['storage'], caps({ defaultStorageClass: null }), 'local-path')).toEqual([]);
    expect(missingFor(['storage'], caps(), 'longhorn')).toEqual(['storage']);
  });
});
