import { describe, expect, it } from 'vitest';
import { fieldsOf, helpOf, shapeOf } from './fields.ts';
import { aliasesOf, kebab, nounOf, verbOf } from './naming.ts';

describe('names on the command line', () => {
  it('turns routers into singular nouns and procedures into kebab-case verbs', () => {
    expect(['droplets', 'sshKeys', 'databaseOptions', 'usage', 'audit', 'auth'].map(nounOf)).toEqual([
      'droplet',
      'ssh-key',
      'database-option',
      'usage',
      'audit',
      'auth',
    ]);
    expect(verbOf('powerOff')).toBe('power-off');
    expect(kebab('sizeGiB')).toBe('size-gib');
    expect(kebab('memoryMiB')).toBe('memory-mib');
    expect(aliasesOf('databases')).toEqual(['databases', 'db']);
    expect(aliasesOf('usage')).toEqual([]);
  });
});

describe('fields as flags', () => {
  it('reads each kind of JSON Schema as the flag that takes it', () => {
    expect(shapeOf({ type: 'string', maxLength: 63 })).toEqual({ type: 'string', long: false });
    expect(shapeOf({ type: 'string', maxLength: 16384 })).toEqual({ type: 'string', long: true });
    expect(shapeOf({ type: 'integer' })).toEqual({ type: 'number', integer: true });
    expect(shapeOf({ type: 'string', enum: ['a', 'b'] })).toEqual({ type: 'choice', choices: ['a', 'b'] });
    expect(shapeOf({ type: 'string', pattern: '^dpl_[0-9a-z]{20}$' })).toEqual({
      type: 'ref',
      kind: 'droplet',
    });
    expect(shapeOf({ type: 'array', items: { type: 'string', pattern: '^sk_[0-9a-z]{20}$' } })).toEqual({
      type: 'list',
      of: { type: 'ref', kind: 'sshKey' },
    });
    expect(shapeOf({ type: 'object', additionalProperties: { type: 'string' } })).toEqual({ type: 'map' });
    expect(shapeOf({ type: 'array', items: { type: 'object', properties: {} } })).toEqual({ type: 'json' });
    expect(shapeOf({ anyOf: [{ type: 'string', maxLength: 100 }, { type: 'null' }] })).toEqual({
      type: 'string',
      long: false,
    });
  });

  it('names references after what they point at, and keeps names the CLI reserves whole', () => {
    const fields = fieldsOf({
      type: 'object',
      properties: {
        sshKeyIds: { type: 'array', items: { type: 'string', pattern: '^sk_[0-9a-z]{20}$' } },
        dropletId: { type: 'string', pattern: '^dpl_[0-9a-z]{20}$' },
        projectIds: { type: 'array', items: { type: 'string', pattern: '^proj_[0-9a-z]{20}$' } },
        sizeGiB: { type: 'integer', default: 1 },
      },
      required: ['dropletId', 'sizeGiB'],
    });
    expect(fields.map((f) => [f.flag, f.required])).toEqual([
      ['ssh-key', false],
      ['droplet', true],
      // `--project` is every command's project, so the token's list of projects keeps its own name.
      ['project-ids', false],
      // A default makes a field optional on the command line.
      ['size-gib', false],
    ]);
  });

  it('describes a flag by its doc comment, what it accepts and its default', () => {
    const [field] = fieldsOf({
      type: 'object',
      properties: { size: { type: 'string', enum: ['s', 'm'], default: 's', description: 'How big.' } },
    });
    expect(helpOf(field!)).toBe('How big.; one of s, m (default: "s")');
    expect(helpOf(field!, { listChoices: false })).toBe('How big. (default: "s")');
  });
});
