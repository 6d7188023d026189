import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CliError, exitCodes } from '../errors.ts';
import { render } from './render.ts';

const droplets = [
  {
    id: 'dpl_1',
    name: 'web-1',
    state: 'active',
    size: 's-1vcpu-1gb',
    tags: ['a', 'b'],
    ip: null,
    secret: 'x',
  },
  { id: 'dpl_22', name: 'db', state: 'pending', size: 's-2vcpu-4gb', tags: [], ip: '10.42.0.7', secret: 'y' },
];

describe('render', () => {
  it('prints a table of the usual columns, aligned, with a header', () => {
    expect(render(droplets, { output: 'table' })).toBe(
      [
        'ID      NAME   STATE    SIZE         IP',
        'dpl_1   web-1  active   s-1vcpu-1gb  ',
        'dpl_22  db     pending  s-2vcpu-4gb  10.42.0.7',
        '',
      ].join('\n'),
    );
  });

  it('shows the columns --format names, lists joined by commas, and no header when asked', () => {
    expect(render(droplets, { output: 'table', format: 'name,tags', noHeader: true })).toBe(
      'web-1  a,b\ndb     \n',
    );
  });

  it('refuses a --format column the rows do not have, as a usage error naming the fields', () => {
    let error: unknown;
    try {
      render(droplets, { output: 'table', format: 'name,colour' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(exitCodes.usage);
    expect((error as CliError).message).toBe('--format names colour, which is not a field here');
    expect((error as CliError).hint).toMatch(/^Fields: id, name, state/);
  });

  it('shows a thing without id or name by all of its plain fields', () => {
    const credentials = { host: 'main-pg.svc', port: 5432, user: 'app', password: 's3cret', memoryMiB: 512 };
    expect(render(credentials, { output: 'table' })).toBe(
      'HOST         PORT  USER  PASSWORD  MEMORY MIB\nmain-pg.svc  5432  app   s3cret    512\n',
    );
  });

  it('shows nested objects as dotted columns, and an object of lists as one table per list', () => {
    const members = [{ user: { id: 'usr_1', name: 'ann' }, role: 'owner' }];
    expect(render(members, { output: 'table', format: 'user.name,role' })).toBe(
      'USER NAME  ROLE\nann        owner\n',
    );
    const options = { engines: [{ engine: 'postgres' }], sizes: [{ slug: 'db-s', vcpus: 1 }] };
    expect(render(options, { output: 'table' })).toBe(
      'ENGINES\nENGINE\npostgres\n\nSIZES\nSLUG  VCPUS\ndb-s  1\n',
    );
  });

  it('prints JSON and YAML that parse back to the value', () => {
    expect(JSON.parse(render(droplets, { output: 'json' }))).toEqual(droplets);
    expect(parse(render(droplets, { output: 'yaml' }))).toEqual(droplets);
  });

  it('prints nothing for no answer and for an empty list', () => {
    expect(render(undefined, { output: 'table' })).toBe('');
    expect(render([], { output: 'table' })).toBe('');
  });
});
