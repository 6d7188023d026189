// A real S3 server behind the simulated Rook object store. Rook's provisioner drives RGW through its
// admin ops API (users, buckets, purge); here the same steps drive a Versity S3 Gateway
// (tooling/s3-real) through its admin API and its S3 API, signed with SigV4 as its root account.
// Every call is idempotent, so a controller that lost its memory (a restart) may repeat it.
import { AwsClient } from 'aws4fetch';
import { escapeXml, unescapeXml } from '../object-store/xml.ts';

export interface ObjectStoreOptions {
  /** The S3 API clients use, e.g. `http://127.0.0.1:7070`; written into the claims' ConfigMaps. */
  endpoint: string;
  /** The server's admin API (Versity's `--admin-port`). */
  adminEndpoint: string;
  /** The server's root account: it makes users and buckets and sets their policies. */
  accessKeyId: string;
  secretAccessKey: string;
  /** The region clients sign for (default us-east-1). */
  region?: string;
}

export interface ObjectStoreBackend {
  readonly endpoint: URL;
  readonly region: string;
  /** A user who signs with these keys; owns nothing until a bucket is made for it. */
  createUser(accessKeyId: string, secretAccessKey: string): Promise<void>;
  /** The keys stop working at once. */
  deleteUser(accessKeyId: string): Promise<void>;
  createBucket(name: string, ownerAccessKeyId: string): Promise<void>;
  /** A bucket policy whose principals are access key ids; null removes it. */
  putBucketPolicy(name: string, policy: string | null): Promise<void>;
  /** Deletes every object, then the bucket (Rook's reclaim policy Delete purges). */
  purgeBucket(name: string): Promise<void>;
  /** Writes an object as the store's administrator (what a backup tool leaves in a bucket). */
  putObject(bucket: string, key: string, body: string): Promise<void>;
  /** Reads an object as the store's administrator; undefined when there is no such object. */
  getObject(bucket: string, key: string): Promise<string | undefined>;
}

const TIMEOUT_MS = 10_000;

/** An S3 error answer (`<Error><Code>…</Code><Message>…</Message></Error>`), as text. */
export class ObjectStoreError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1] ?? '';

export function createObjectStoreBackend(options: ObjectStoreOptions): ObjectStoreBackend {
  const region = options.region ?? 'us-east-1';
  const root = new AwsClient({
    accessKeyId: options.accessKeyId,
    secretAccessKey: options.secretAccessKey,
    service: 's3',
    region,
    retries: 0,
  });
  const s3 = new URL(options.endpoint);
  const admin = new URL(options.adminEndpoint);

  /** Sends a signed request; answers the body, or throws the S3 error unless its code is allowed. */
  const call = async (
    base: URL,
    method: string,
    path: string,
    init: { body?: string; headers?: Record<string, string>; allow?: string[] } = {},
  ): Promise<string> => {
    const url = new URL(path, base);
    const response = await root.fetch(url, {
      method,
      ...(init.body !== undefined ? { body: init.body } : {}),
      ...(init.headers ? { headers: init.headers } : {}),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await response.text();
    if (response.ok) return text;
    const code = tag(text, 'Code') || `HTTP ${response.status}`;
    if (init.allow?.includes(code)) return '';
    throw new ObjectStoreError(
      response.status,
      code,
      `${method} ${url.pathname}: ${code}: ${tag(text, 'Message') || text.slice(0, 200)}`,
    );
  };

  const listKeys = async (bucket: string, token?: string) => {
    const query = new URLSearchParams({
      'list-type': '2',
      ...(token ? { 'continuation-token': token } : {}),
    });
    const xml = await call(s3, 'GET', `/${bucket}?${query}`, { allow: ['NoSuchBucket'] });
    const keys = [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => unescapeXml(m[1]!));
    const next = tag(xml, 'NextContinuationToken');
    return { keys, next: tag(xml, 'IsTruncated') === 'true' && next ? unescapeXml(next) : undefined };
  };

  return {
    endpoint: s3,
    region,
    async createUser(accessKeyId, secretAccessKey) {
      const body =
        `<Account><Access>${escapeXml(accessKeyId)}</Access><Secret>${escapeXml(secretAccessKey)}</Secret>` +
        '<Role>user</Role><UserID>0</UserID><GroupID>0</GroupID><ProjectID>0</ProjectID></Account>';
      await call(admin, 'PATCH', '/create-user', { body, allow: ['XAdminUserExists'] });
    },
    async deleteUser(accessKeyId) {
      await call(admin, 'PATCH', `/delete-user?access=${encodeURIComponent(accessKeyId)}`, {
        allow: ['XAdminUserNotFound'],
      });
    },
    async createBucket(name, ownerAccessKeyId) {
      await call(admin, 'PATCH', `/${name}/create`, {
        headers: { 'x-vgw-owner': ownerAccessKeyId },
        allow: ['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'],
      });
    },
    async putBucketPolicy(name, policy) {
      if (policy === null) await call(s3, 'DELETE', `/${name}?policy`, { allow: ['NoSuchBucketPolicy'] });
      else await call(s3, 'PUT', `/${name}?policy`, { body: policy });
    },
    async purgeBucket(name) {
      for (let token: string | undefined, first = true; first || token; first = false) {
        const page = await listKeys(name, token);
        for (const key of page.keys)
          await call(s3, 'DELETE', `/${name}/${key.split('/').map(encodeURIComponent).join('/')}`, {
            allow: ['NoSuchKey'],
          });
        token = page.next;
      }
      await call(s3, 'DELETE', `/${name}`, { allow: ['NoSuchBucket'] });
    },
    async putObject(bucket, key, body) {
      await call(s3, 'PUT', `/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`, { body });
    },
    async getObject(bucket, key) {
      const path = `/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
      const response = await root.fetch(new URL(path, s3), { signal: AbortSignal.timeout(TIMEOUT_MS) });
      const text = await response.text();
      if (response.ok) return text;
      const code = tag(text, 'Code') || `HTTP ${response.status}`;
      if (code === 'NoSuchKey' || code === 'NoSuchBucket' || response.status === 404) return undefined;
      throw new ObjectStoreError(
        response.status,
        code,
        `GET ${path}: ${code}: ${tag(text, 'Message') || text.slice(0, 200)}`,
      );
    },
  };
}
