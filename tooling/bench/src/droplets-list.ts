import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import Database from 'better-sqlite3';
import { Hono } from 'hono';
import { createLogger, startServer } from '@uncloud/api';
import { dropletsRepository, newId } from '@uncloud/db';
import { ProjectId, dropletSizes } from '@uncloud/sdk';
import { type LoadResult, runLoad } from './load.ts';

const DROPLETS = 10_000;
const PAGE = 50;

/**
 * The bare baseline: the same SQL on raw better-sqlite3 behind a plain Hono route, producing the
 * same JSON the production path answers with, without auth, tRPC, zod or drizzle.
 */
interface DropletSqlRow {
  id: string;
  project_id: string;
  name: string;
  size: string;
  image: string;
  ssh_key_ids: string;
  tags: string;
  user_data: string | null;
  powered_on: number;
  state: string;
  ip: string | null;
  node: string | null;
  phase: string | null;
  generation: number;
  observed_generation: number;
  observed_at: number | null;
  sync_error: string | null;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export const bareServer = async (databasePath: string, projectId: string) => {
  const db = new Database(databasePath, { readonly: true });
  const page = db.prepare(
    `select * from droplets where project_id = ? order by created_at asc, id asc limit ${PAGE + 1}`,
  );
  const volumes = db.prepare(
    `select id, droplet_id from volumes where droplet_id in (select value from json_each(?))`,
  );
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const app = new Hono().get('/droplets', (c) => {
    const rows = page.all(projectId) as DropletSqlRow[];
    const items = rows.slice(0, PAGE);
    const attached = new Map<string, string[]>();
    for (const v of volumes.all(JSON.stringify(items.map((r) => r.id))) as {
      id: string;
      droplet_id: string;
    }[]) {
      attached.set(v.droplet_id, [...(attached.get(v.droplet_id) ?? []), v.id]);
    }
    const last = items.at(-1);
    const data = {
      items: items.map((r) => {
        const size = dropletSizes.find((s) => s.slug === r.size)!;
        return {
          id: r.id,
          projectId: r.project_id,
          name: r.name,
          size: r.size,
          vcpus: size.vcpus,
          memoryMiB: size.memoryMiB,
          diskGiB: size.diskGiB,
          image: r.image,
          sshKeyIds: JSON.parse(r.ssh_key_ids),
          tags: JSON.parse(r.tags),
          userData: r.user_data,
          // The benchmark reads as the admin, who may read user data.
          userDataRedacted: false,
          volumeIds: (attached.get(r.id) ?? []).sort(),
          poweredOn: r.powered_on === 1,
          state: r.state,
          ip: r.ip,
          node: r.node,
          phase: r.phase,
          generation: r.generation,
          observedGeneration: r.observed_generation,
          observedAt: iso(r.observed_at),
          syncState: r.sync_error ? 'error' : r.observed_generation >= r.generation ? 'synced' : 'pending',
          syncError: r.sync_error,
          createdAt: iso(r.created_at),
          updatedAt: iso(r.updated_at),
          deletedAt: iso(r.deleted_at),
        };
      }),
      nextCursor:
        rows.length > PAGE && last
          ? Buffer.from(JSON.stringify([last.created_at, last.id])).toString('base64url')
          : null,
    };
    return c.json([{ result: { data } }]);
  });
  let server: ReturnType<typeof serve> | undefined;
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port));
  });
  return {
    url: () => `http://127.0.0.1:${port}/droplets`,
    close: () => new Promise<void>((resolve) => server!.close(() => (db.close(), resolve()))),
  };
};

export interface DropletsListFigures {
  droplets: number;
  pageSize: number;
  connections: number;
  durationSeconds: number;
  production: LoadResult;
  baseline: LoadResult;
  /** Production throughput over baseline throughput. */
  ratio: number;
}

export const benchDropletsList = async ({
  connections,
  durationSeconds,
}: {
  connections: number;
  durationSeconds: number;
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'uncloud-bench-'));
  const token = 'bench-admin-token-0123456789';
  const api = await startServer(
    {
      port: 0,
      host: '127.0.0.1',
      databasePath: join(dir, 'uncloud.db'),
      adminToken: token,
      webDir: join(dir, 'web'),
      cluster: false,
    },
    createLogger('warn', false),
  );
  try {
    const projectId = ProjectId.parse(
      api.store.sqlite.prepare(`select id from projects where is_default = 1`).pluck().get(),
    );
    api.store.transaction((db) => {
      for (let i = 0; i < DROPLETS; i++) {
        dropletsRepository.insert(db, {
          id: newId('droplet'),
          projectId,
          name: `web-${i}`,
          size: dropletSizes[i % dropletSizes.length]!.slug,
          image: 'ubuntu-24-04',
          sshKeyIds: [],
          tags: i % 2 ? ['web'] : ['web', 'env:prod'],
          userData: null,
        });
      }
    });
    api.store.sqlite.pragma('wal_checkpoint(TRUNCATE)');

    const input = encodeURIComponent(JSON.stringify({ 0: { projectId, limit: PAGE } }));
    const productionUrl = `${api.url}/trpc/droplets.list?batch=1&input=${input}`;
    const headers = { authorization: `Bearer ${token}` };
    const bare = await bareServer(join(dir, 'uncloud.db'), projectId);
    try {
      // Same answer from both, or the comparison means nothing.
      const [a, b] = await Promise.all([
        fetch(productionUrl, { headers }).then((r) => r.json()),
        fetch(bare.url()).then((r) => r.json()),
      ]);
      if (JSON.stringify(a) !== JSON.stringify(b))
        throw new Error('the baseline does not answer what the API answers');

      const options = { connections, durationSeconds };
      await runLoad('warm-up', productionUrl, { ...options, durationSeconds: 1, headers });
      await runLoad('warm-up', bare.url(), { ...options, durationSeconds: 1 });
      const baseline = await runLoad('bare Hono + better-sqlite3', bare.url(), options);
      const production = await runLoad('Uncloud droplets.list (auth, tRPC, zod, drizzle)', productionUrl, {
        ...options,
        headers,
      });
      const figures: DropletsListFigures = {
        droplets: DROPLETS,
        pageSize: PAGE,
        connections,
        durationSeconds,
        production,
        baseline,
        ratio: production.requestsPerSecond / baseline.requestsPerSecond,
      };
      return figures;
    } finally {
      await bare.close();
    }
  } finally {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
};
