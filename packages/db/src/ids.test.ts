import { type DropletId, DropletId as DropletIdSchema, type SshKeyId, idPattern } from '@uncloud/sdk';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { newId } from './ids.ts';

describe('ids', () => {
  it('carries the kind prefix and matches the contract pattern', () => {
    for (const kind of ['project', 'droplet', 'sshKey', 'token'] as const) {
      expect(newId(kind)).toMatch(idPattern(kind));
    }
  });

  it('does not repeat over many draws', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newId('droplet')));
    expect(ids.size).toBe(10_000);
  });

  it('is branded with its kind, as the contract schema brands it', () => {
    const id = newId('droplet');
    expectTypeOf(id).toEqualTypeOf<DropletId>();
    expectTypeOf(newId('sshKey')).toEqualTypeOf<SshKeyId>();
    expect(DropletIdSchema.parse(id)).toBe(id);
  });
});
