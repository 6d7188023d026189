import { createServer } from 'node:http';
import Database from 'better-sqlite3';
import { dropletSizes } from '@uncloud/sdk';
import { childArgs, failToParent, serveParent } from './child.ts';

/**
 * The bare baseline, in a process of its own: a plain `node:http` server that runs the same SQL as
 * `droplets.list` (the page, its attached volumes, the COUNT of the total) on raw better-sqlite3 and
 * answers the same bytes, without auth, tRPC, zod or drizzle. What the API answers costs at least
 * this; the ratio says how much more.
 */
export interface BareServerArgs {
  databasePath: string;
  projectId: string;
  pageSize: number;
}

interface DropletSqlRow {
  id: string;
  project_id: string;
  name: string;
  size: string;
  image: string;
  root_disk_snapshot_id: string | null;
  ssh_key_ids: string;
  tags: string;
  user_data: string | null;
  powered_on: number;
  state: string;
  ip: string | null;
  public_ip: string | null;
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

const { databasePath, projectId, pageSize } = childArgs<BareServerArgs>();

try {
  const db = new Database(databasePath, { readonly: true });
  const page = db.prepare(
    `select * from droplets where project_id = ? order by created_at asc, id asc limit ${pageSize + 1}`,
  );
  const total = db.prepare(`select count(*) from droplets where project_id = ?`).pluck();
  const volumes = db.prepare(
    `select id, droplet_id from volumes where droplet_id in (select value from json_each(?)) order by id`,
  );
  const reservedIps = db.prepare(
    `select droplet_id, ip from reserved_ips where droplet_id in (select value from json_each(?)) and state <> 'deleting'`,
  );
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const answer = () => {
    const rows = page.all(projectId) as DropletSqlRow[];
    const items = rows.slice(0, pageSize);
    const attached = new Map<string, string[]>();
    const ids = JSON.stringify(items.map((r) => r.id));
    for (const v of volumes.all(ids) as { id: string; droplet_id: string }[])
      attached.set(v.droplet_id, [...(attached.get(v.droplet_id) ?? []), v.id]);
    const reserved = new Map(
      (reservedIps.all(ids) as { droplet_id: string; ip: string }[]).map((r) => [r.droplet_id, r.ip]),
    );
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
          rootDiskSnapshotId: r.root_disk_snapshot_id,
          sshKeyIds: JSON.parse(r.ssh_key_ids) as unknown,
          tags: JSON.parse(r.tags) as unknown,
          userData: r.user_data,
          // The benchmark reads as the admin, who may read user data.
          userDataRedacted: false,
          volumeIds: attached.get(r.id) ?? [],
          poweredOn: r.powered_on === 1,
          state: r.state,
          ip: r.ip,
          publicIp: r.public_ip,
          reservedIp: reserved.get(r.id) ?? null,
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
        rows.length > pageSize && last
          ? Buffer.from(JSON.stringify([last.created_at, last.id, 'createdAt'])).toString('base64url')
          : null,
      total: total.get(projectId) as number,
    };
    return JSON.stringify([{ result: { data } }]);
  };
  const server = createServer((_req, res) => {
    const body = answer();
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address() as { port: number };
    serveParent(
      { url: `http://127.0.0.1:${address.port}/droplets` },
      {
        /** µs per call of each statement of an answer, and of the whole answer (median of 20 × 100). */
        timeStatements: () => {
          const ids = JSON.stringify((page.all(projectId) as DropletSqlRow[]).map((r) => r.id));
          const time = (call: () => unknown) => {
            const batches: number[] = [];
            for (let b = 0; b < 20; b++) {
              const started = performance.now();
              for (let i = 0; i < 100; i++) call();
              batches.push(((performance.now() - started) * 1000) / 100);
            }
            return batches.sort((x, y) => x - y)[10]!;
          };
          return {
            pageUs: time(() => page.all(projectId)),
            volumesUs: time(() => volumes.all(ids)),
            reservedIpsUs: time(() => reservedIps.all(ids)),
            countUs: time(() => total.get(projectId)),
            answerUs: time(answer),
          };
        },
      },
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
          db.close();
        }),
    );
  });
} catch (error) {
  failToParent(error);
}
