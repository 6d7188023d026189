import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DropletId, ProjectId, ResourceName, Tag } from './common.ts';

describe('resource names', () => {
  it.each(['web-1', 'a', 'db', '0abc', 'x'.repeat(63)])('accepts %s', (name) => {
    expect(ResourceName.safeParse(name).success).toBe(true);
  });

  it.each([
    ['', 'must not be empty'],
    ['Web', 'lowercase letters'],
    ['-web', 'starting and ending'],
    ['web-', 'starting and ending'],
    ['web_1', 'lowercase letters'],
    ['web.example', 'lowercase letters'],
    ['x'.repeat(64), 'at most 63'],
  ])('refuses %j saying why', (name, reason) => {
    const result = ResourceName.safeParse(name);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain(reason);
  });

  it('accepts exactly the DNS-1123 labels', () => {
    const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'ab9-_.A'), maxLength: 70 }), (name) => {
        const valid = name.length >= 1 && name.length <= 63 && label.test(name);
        expect(ResourceName.safeParse(name).success).toBe(valid);
      }),
    );
  });
});

describe('ids and tags', () => {
  it('accepts ids with their own prefix only', () => {
    expect(DropletId.safeParse('dpl_0123456789abcdefghij').success).toBe(true);
    expect(DropletId.safeParse('vol_0123456789abcdefghij').success).toBe(false);
    expect(ProjectId.safeParse('proj_short').error?.issues[0]?.message).toBe('must be a project id (proj_…)');
  });

  it('accepts tags with colons and dots, not spaces', () => {
    expect(Tag.safeParse('env:prod').success).toBe(true);
    expect(Tag.safeParse('v1.2').success).toBe(true);
    expect(Tag.safeParse('two words').success).toBe(false);
  });
});
