import { z } from 'zod';

/** Droplet sizes. Slugs follow DigitalOcean's so that existing habits and scripts carry over. */
export const dropletSizes = [
  {
    slug: 's-1vcpu-512mb-10gb',
    vcpus: 1,
    memoryMiB: 512,
    diskGiB: 10,
    description: 'Basic, 1 vCPU, 512 MiB',
  },
  { slug: 's-1vcpu-1gb', vcpus: 1, memoryMiB: 1024, diskGiB: 25, description: 'Basic, 1 vCPU, 1 GiB' },
  { slug: 's-1vcpu-2gb', vcpus: 1, memoryMiB: 2048, diskGiB: 50, description: 'Basic, 1 vCPU, 2 GiB' },
  { slug: 's-2vcpu-2gb', vcpus: 2, memoryMiB: 2048, diskGiB: 60, description: 'Basic, 2 vCPUs, 2 GiB' },
  { slug: 's-2vcpu-4gb', vcpus: 2, memoryMiB: 4096, diskGiB: 80, description: 'Basic, 2 vCPUs, 4 GiB' },
  { slug: 's-4vcpu-8gb', vcpus: 4, memoryMiB: 8192, diskGiB: 160, description: 'Basic, 4 vCPUs, 8 GiB' },
  { slug: 's-8vcpu-16gb', vcpus: 8, memoryMiB: 16384, diskGiB: 320, description: 'Basic, 8 vCPUs, 16 GiB' },
] as const;

export const SizeSlug = z.enum(dropletSizes.map((s) => s.slug) as [DropletSizeSlug, ...DropletSizeSlug[]]);
export type DropletSizeSlug = (typeof dropletSizes)[number]['slug'];

export const Size = z.object({
  slug: SizeSlug,
  vcpus: z.number().int(),
  memoryMiB: z.number().int(),
  diskGiB: z.number().int(),
  description: z.string(),
});
export type Size = z.infer<typeof Size>;

/**
 * Images a droplet boots from. Each is where CDI imports the droplet's root disk from: a container
 * disk in a registry (`docker://…`) or a disk image over HTTP (`https://…`, with the checksum CDI
 * verifies). The stock images follow the KubeVirt project's container disks by tag; an
 * administrator who needs a disk that never changes under a tag adds a custom image pinned by digest
 * (`docker://…@sha256:…`) or by checksum (`images.create`).
 */
export const dropletImages = [
  {
    slug: 'ubuntu-24-04',
    distribution: 'Ubuntu',
    version: '24.04 LTS',
    sourceType: 'registry',
    url: 'docker://quay.io/containerdisks/ubuntu:24.04',
    checksum: null,
  },
  {
    slug: 'ubuntu-22-04',
    distribution: 'Ubuntu',
    version: '22.04 LTS',
    sourceType: 'registry',
    url: 'docker://quay.io/containerdisks/ubuntu:22.04',
    checksum: null,
  },
  {
    slug: 'debian-12',
    distribution: 'Debian',
    version: '12',
    sourceType: 'registry',
    url: 'docker://quay.io/containerdisks/debian:12',
    checksum: null,
  },
  {
    slug: 'fedora-42',
    distribution: 'Fedora',
    version: '42',
    sourceType: 'registry',
    url: 'docker://quay.io/containerdisks/fedora:42',
    checksum: null,
  },
  {
    slug: 'centos-stream-9',
    distribution: 'CentOS Stream',
    version: '9',
    sourceType: 'registry',
    url: 'docker://quay.io/containerdisks/centos-stream:9',
    checksum: null,
  },
] as const;

/** The slugs of the stock images. */
export type StockImageSlug = (typeof dropletImages)[number]['slug'];

/**
 * An image's slug: a stock image's or a custom image's an administrator added (`images.create`).
 * Which slugs exist is the catalogue's to say: the API refuses one it does not hold, naming `image`.
 */
export const ImageSlug = z
  .string()
  .min(1, { message: 'is required: choose an image', abort: true })
  .max(63, { message: 'must be at most 63 characters' })
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
    message: "must be lowercase letters, digits and '-', starting and ending with a letter or digit",
  });
export type DropletImageSlug = string;

export const ImageSourceType = z.enum(['registry', 'http']);
export type ImageSourceType = z.infer<typeof ImageSourceType>;

export const Image = z.object({
  slug: ImageSlug,
  distribution: z.string(),
  version: z.string(),
  /** `registry`: `url` is a container disk (`docker://…`); `http`: a disk image, checked with `checksum`. */
  sourceType: ImageSourceType,
  url: z.string(),
  /** `sha256:<hex>` (or md5, sha1, sha512) of an HTTP image; null for registry images. */
  checksum: z.string().nullable(),
  /** Added by an administrator (`images.create`); stock images ship with Uncloud. */
  custom: z.boolean().default(false),
});
export type Image = z.infer<typeof Image>;

const digest = /^docker:\/\/[^\s@]+@sha256:[0-9a-f]{64}$/;
const checksum = /^(md5:[0-9a-f]{32}|sha1:[0-9a-f]{40}|sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;

/**
 * A custom image, pinned so that every droplet made from it gets the same disk: a container disk by
 * digest (`docker://registry/name@sha256:<64 hex>`), or a disk image over HTTP(S) with the checksum
 * CDI verifies (`sha256:<64 hex>`; md5, sha1 and sha512 too).
 */
export const CreateImageInput = z
  .object({
    slug: ImageSlug,
    distribution: z.string().trim().min(1, { message: 'is required' }).max(63),
    version: z.string().trim().min(1, { message: 'is required' }).max(63),
    sourceType: ImageSourceType,
    url: z.string().max(2048, { message: 'must be at most 2048 characters' }),
    checksum: z.string().max(140).optional(),
  })
  .superRefine((input, ctx) => {
    if (input.sourceType === 'registry') {
      if (!digest.test(input.url))
        ctx.addIssue({
          code: 'custom',
          path: ['url'],
          message:
            'must be a container disk pinned by digest: docker://<registry>/<name>@sha256:<64 hex digits>',
        });
      if (input.checksum !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['checksum'],
          message: 'is for HTTP images; a registry image is pinned by its digest',
        });
      return;
    }
    if (!/^https?:\/\/[^\s]+$/.test(input.url))
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'must be an http:// or https:// URL' });
    if (!input.checksum || !checksum.test(input.checksum))
      ctx.addIssue({
        code: 'custom',
        path: ['checksum'],
        message: 'is required for HTTP images: sha256:<64 hex digits> (or md5:, sha1:, sha512:)',
      });
  });
export type CreateImageInput = z.input<typeof CreateImageInput>;

export const ImageRef = z.object({ slug: ImageSlug });
export type ImageRef = z.input<typeof ImageRef>;

/**
 * `maxNodes`: how many nodes an engine can run as one database. PostgreSQL (CloudNativePG) runs
 * standbys that replicate from the primary; MySQL and Valkey run as a plain StatefulSet, whose extra
 * pods would be independent servers holding different data, so they run one node until replication
 * is real.
 */
export const databaseEngines = [
  {
    engine: 'postgres',
    versions: ['14', '15', '16', '17'],
    defaultVersion: '17',
    defaultPort: 5432,
    maxNodes: 3,
  },
  { engine: 'mysql', versions: ['8.0', '8.4'], defaultVersion: '8.4', defaultPort: 3306, maxNodes: 1 },
  { engine: 'valkey', versions: ['7.2', '8.0'], defaultVersion: '8.0', defaultPort: 6379, maxNodes: 1 },
] as const;

export const DatabaseEngine = z.enum(['postgres', 'mysql', 'valkey']);
export type DatabaseEngine = z.infer<typeof DatabaseEngine>;

const engineNames: Record<DatabaseEngine, string> = {
  postgres: 'PostgreSQL',
  mysql: 'MySQL',
  valkey: 'Valkey',
};

/** How many nodes a database of this engine may have (see `databaseEngines`). */
export const maxDatabaseNodes = (engine: DatabaseEngine): number =>
  databaseEngines.find((e) => e.engine === engine)?.maxNodes ?? 1;

/**
 * How many nodes a database of `engine` asked to have `nodes` really runs: never more than the engine
 * can replicate. Rows stored with more nodes before the limit run one server, not several that hold
 * different data; `databaseNodesWarning` says so.
 */
export const runningDatabaseNodes = (engine: DatabaseEngine, nodes: number): number =>
  Math.min(nodes, maxDatabaseNodes(engine));

/** What to tell the owner of a database stored with more nodes than its engine runs; null if none. */
export const databaseNodesWarning = (engine: DatabaseEngine, nodes: number): string | null => {
  const running = runningDatabaseNodes(engine, nodes);
  if (running === nodes) return null;
  return `This database asks for ${nodes} nodes but runs ${running}: ${engineNames[engine]} is not replicated, so extra nodes would be independent servers holding different data. Resize it to ${running} node${running === 1 ? '' : 's'} to clear this, or move to PostgreSQL for standby nodes.`;
};

/** How many servers a database runs (a primary and its replicas). */
export const DatabaseNodes = z
  .number()
  .int()
  .min(1, { message: 'must be between 1 and 3' })
  .max(3, { message: 'must be between 1 and 3' });

/**
 * Why a database of `engine` cannot have `nodes` nodes, in words that say what to do instead; undefined
 * when it can. Shared by the API (create and resize) and the dashboard.
 */
export const databaseNodesProblem = (engine: DatabaseEngine, nodes: number): string | undefined => {
  const max = maxDatabaseNodes(engine);
  if (nodes <= max) return undefined;
  if (max === 1)
    return `${engineNames[engine]} databases run 1 node: Uncloud does not replicate ${engineNames[engine]} yet, so more nodes would be independent servers holding different data. Use 1 node, or PostgreSQL for a database with standby nodes (up to ${maxDatabaseNodes('postgres')}).`;
  return `${engineNames[engine]} databases run at most ${max} nodes`;
};

/**
 * What create and restore check of a database's engine, version and nodes together, once each
 * field is valid by itself (one problem with a field at a time): a version the engine offers, and
 * a node count it runs.
 */
export const checkEngineChoice = (
  input: { engine?: unknown; version?: string | undefined; nodes?: unknown },
  ctx: z.RefinementCtx,
): void => {
  const engine = databaseEngines.find((e) => e.engine === input.engine);
  if (
    engine &&
    input.version !== undefined &&
    !(engine.versions as readonly string[]).includes(input.version)
  )
    ctx.addIssue({
      code: 'custom',
      path: ['version'],
      message: `${engine.engine} versions are ${engine.versions.join(', ')}`,
    });
  const nodes = DatabaseNodes.safeParse(input.nodes);
  const nodesProblem = engine && nodes.success && databaseNodesProblem(engine.engine, nodes.data);
  if (nodesProblem) ctx.addIssue({ code: 'custom', path: ['nodes'], message: nodesProblem });
};

export const databaseSizes = [
  { slug: 'db-s-1vcpu-1gb', vcpus: 1, memoryMiB: 1024, diskGiB: 10 },
  { slug: 'db-s-1vcpu-2gb', vcpus: 1, memoryMiB: 2048, diskGiB: 25 },
  { slug: 'db-s-2vcpu-4gb', vcpus: 2, memoryMiB: 4096, diskGiB: 38 },
  { slug: 'db-s-4vcpu-8gb', vcpus: 4, memoryMiB: 8192, diskGiB: 115 },
  { slug: 'db-s-8vcpu-16gb', vcpus: 8, memoryMiB: 16384, diskGiB: 270 },
] as const;
export type DatabaseSizeSlug = (typeof databaseSizes)[number]['slug'];
export const DatabaseSizeSlug = z.enum(
  databaseSizes.map((s) => s.slug) as [DatabaseSizeSlug, ...DatabaseSizeSlug[]],
);

export const findDropletSize = (slug: DropletSizeSlug) => dropletSizes.find((s) => s.slug === slug)!;
export const findDatabaseSize = (slug: DatabaseSizeSlug) => databaseSizes.find((s) => s.slug === slug)!;

/** Disk per node of a database: its size's disk until a resize grows it (`storageGiB` null until then). */
export const databaseStorageGiB = (db: { size: DatabaseSizeSlug; storageGiB: number | null }) =>
  db.storageGiB ?? findDatabaseSize(db.size).diskGiB;

/** One engine of `databaseOptions.list`: its versions and how many nodes it may run. */
export const DatabaseEngineOption = z.object({
  engine: DatabaseEngine,
  versions: z.array(z.string()),
  defaultVersion: z.string(),
  defaultPort: z.number().int(),
  maxNodes: z.number().int(),
});

export const DatabaseSizeOption = z.object({
  slug: DatabaseSizeSlug,
  vcpus: z.number().int(),
  memoryMiB: z.number().int(),
  diskGiB: z.number().int(),
});

/** What `databaseOptions.list` answers: the engines and sizes a database may be created with. */
export const DatabaseOptions = z.object({
  engines: z.array(DatabaseEngineOption),
  sizes: z.array(DatabaseSizeOption),
});
export type DatabaseOptions = z.infer<typeof DatabaseOptions>;
