// Against a real PostgreSQL server, where the machine has one (CI installs Debian's): what is
// Uncloud's own in a database's connection — the password it generates, the connection string
// `databases.credentials` hands out, the URL an attached app's pods compose — works with the real
// client, and after a reset the server takes the new password and refuses the old one. The
// cluster's side (CloudNativePG applying the Secret) is the simulated cluster's to test.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_NAME, DATABASE_USER, databaseEnv } from '@uncloud/kube';
import { newPassword } from '@uncloud/sync';
import { connectionUri } from '../src/services/database-uri.ts';

/** The server's programs: Debian's (`/usr/lib/postgresql/<major>/bin`), else none. */
const bindir = (() => {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const major = readdirSync(root)
    .filter((d) => existsSync(join(root, d, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))[0];
  return major ? join(root, major, 'bin') : undefined;
})();

// initdb refuses to run as root: as root, the server runs as Debian's `postgres` user.
const asRoot = process.getuid?.() === 0;
const run = (program: string, args: string[]) =>
  execFileSync(
    asRoot ? 'runuser' : join(bindir!, program),
    asRoot ? ['-u', 'postgres', '--', join(bindir!, program), ...args] : args,
    {
      stdio: 'pipe',
      timeout: 60_000,
    },
  );

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

if (!bindir)
  console.log('postgres-server: no PostgreSQL server on this machine (apt-get install postgresql); not run');

describe.runIf(bindir)('a real PostgreSQL server', () => {
  let dir: string;
  let port: number;
  const host = '127.0.0.1';
  let password: string;

  const connect = async (connectionString: string) => {
    const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      return (
        await client.query<{ user: string; db: string }>(
          'select current_user as user, current_database() as db',
        )
      ).rows[0];
    } finally {
      await client.end();
    }
  };
  const superuser = async (sql: string) => {
    const client = new pg.Client({ host: dir, port, user: 'postgres', database: 'postgres' });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const uri = (pw: string) =>
    connectionUri('postgres', { host, port, database: DATABASE_NAME, user: DATABASE_USER, password: pw });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'uncloud-pg-'));
    if (asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
      chownSync(dir, uid, gid);
    }
    port = await freePort();
    // Local socket connections trusted (the superuser, from this test); TCP ones need a password.
    run('initdb', [
      '-D',
      join(dir, 'data'),
      '-U',
      'postgres',
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
    ]);
    run('pg_ctl', [
      '-D',
      join(dir, 'data'),
      '-w',
      '-t',
      '30',
      '-l',
      join(dir, 'log'),
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=${host}`,
      'start',
    ]);
    // What CloudNativePG's initdb bootstrap makes: the owner role with the Secret's password, and
    // the application database it owns.
    password = newPassword();
    await superuser(`create role ${DATABASE_USER} login password '${password}'`);
    await superuser(`create database ${DATABASE_NAME} owner ${DATABASE_USER}`);
  }, 90_000);

  afterAll(() => {
    if (!dir) return;
    try {
      run('pg_ctl', ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts the connection string databases.credentials hands out', async () => {
    expect(await connect(uri(password))).toEqual({ user: DATABASE_USER, db: DATABASE_NAME });
  });

  it("accepts the URL an attached app's pods compose from the Secret", async () => {
    // The kubelet's $(VAR) expansion of the variables, each from the credentials Secret's keys.
    const secret: Record<string, string> = {
      host,
      port: String(port),
      username: DATABASE_USER,
      password,
      dbname: DATABASE_NAME,
    };
    const values: Record<string, string> = {};
    for (const variable of databaseEnv({
      id: 'db_x',
      engine: 'postgres',
      envPrefix: 'DATABASE',
      passwordRevision: 1,
    })) {
      values[variable.name] =
        'valueFrom' in variable
          ? secret[variable.valueFrom.secretKeyRef.key]!
          : variable.value.replace(
              /\$\(([A-Z0-9_]+)\)/g,
              (_match: string, name: string) => values[name] ?? '',
            );
    }
    expect(await connect(values.DATABASE_URL!)).toEqual({ user: DATABASE_USER, db: DATABASE_NAME });
  });

  it('takes the new password after a reset and refuses the old one', async () => {
    const next = newPassword();
    // What CloudNativePG runs when the role's password Secret changes.
    await superuser(`alter role ${DATABASE_USER} with password '${next}'`);
    expect(await connect(uri(next))).toEqual({ user: DATABASE_USER, db: DATABASE_NAME });
    await expect(connect(uri(password))).rejects.toThrow(/password authentication failed/);
    password = next;
  });
});
