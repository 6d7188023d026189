// The embedded object store's S3 REST API, path-style (`/<bucket>/<key>`), on a loopback port of its
// own: ListBuckets, CreateBucket (administrator only), DeleteBucket, HeadBucket, GetBucketLocation,
// ListObjects (v1 and v2), PutObject, GetObject (with a byte range), HeadObject, DeleteObject and
// DeleteObjects, answered with S3's XML and error codes. Every request is signed (SigV4, see
// sigv4.ts) with a key the store holds, and the key must be allowed by the bucket (its owner, the
// administrator, or its policy). Anything else is NotImplemented.
import { escapeXml, unescapeXml } from './xml.ts';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import type { EmbeddedObjectStore } from './embedded-store.ts';
import { errorXml, S3Error } from './s3-errors.ts';
import { listPage } from './s3-list.ts';
import { verifySigV4 } from './sigv4.ts';

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
/** The largest single PUT S3 takes (5 GiB) is far more than a simulator should hold: 64 MiB. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** Sub-resources of a bucket or object this server does not implement: say so, not list the bucket. */
const UNSUPPORTED = [
  'acl',
  'cors',
  'lifecycle',
  'logging',
  'notification',
  'policy',
  'replication',
  'tagging',
  'versioning',
  'versions',
  'website',
  'uploads',
  'uploadId',
  'encryption',
  'object-lock',
  'retention',
  'legal-hold',
  'torrent',
  'accelerate',
  'requestPayment',
  'analytics',
  'inventory',
  'metrics',
  'ownershipControls',
  'publicAccessBlock',
  'intelligent-tiering',
  'attributes',
  'restore',
  'select',
];

const iso = (d: Date) => d.toISOString();

/** A path segment as the client meant it; a malformed escape is the client's error, not ours. */
const decodePath = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new S3Error(400, 'InvalidURI', `Couldn't parse the specified URI: ${text}`);
  }
};

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(
          new S3Error(
            400,
            'EntityTooLarge',
            `Your proposed upload exceeds the maximum allowed size (${MAX_BODY_BYTES} bytes)`,
          ),
        );
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/**
 * The payload of an `aws-chunked` body (what SDKs send for streams: `<hex size>[;ext]\r\n<data>\r\n`
 * … `0\r\n<trailers>\r\n\r\n`). The chunks' own signatures are not checked; the request's is.
 */
const decodeAwsChunked = (body: Buffer): Buffer => {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    if (eol < 0) throw new S3Error(400, 'IncompleteBody', 'The aws-chunked body ends before its last chunk');
    const size = parseInt(body.subarray(at, eol).toString().split(';')[0]!, 16);
    if (Number.isNaN(size))
      throw new S3Error(400, 'InvalidRequest', 'A chunk of the aws-chunked body has no size');
    if (size === 0) return Buffer.concat(parts);
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
};

/** What the client sent as the object: the payload, checked against the hash it signed. */
const payloadOf = (req: IncomingMessage, raw: Buffer): Buffer => {
  const declared = String(req.headers['x-amz-content-sha256'] ?? '');
  const chunked =
    declared.startsWith('STREAMING-') || /aws-chunked/.test(String(req.headers['content-encoding'] ?? ''));
  const body = chunked ? decodeAwsChunked(raw) : raw;
  if (/^[0-9a-f]{64}$/.test(declared) && createHash('sha256').update(raw).digest('hex') !== declared)
    throw new S3Error(
      400,
      'XAmzContentSHA256Mismatch',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  return body;
};

/** The part of the object a `Range: bytes=a-b` (or `a-`, `-n`) header asks for. */
const rangeOf = (header: string | undefined, size: number): { start: number; end: number } | undefined => {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  const start = m[1] === '' ? Math.max(0, size - Number(m[2])) : Number(m[1]);
  const end = m[1] === '' || m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || start > end)
    throw new S3Error(416, 'InvalidRange', 'The requested range is not satisfiable');
  return { start, end };
};

export class EmbeddedS3Server {
  private readonly server: Server;

  constructor(private readonly store: EmbeddedObjectStore) {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  /** Listens (on `port`, or any free one when it is 0 or taken) and tells the store its endpoint. */
  async listen(host: string, port = 0): Promise<URL> {
    const bind = (p: number) =>
      new Promise<number>((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        this.server.once('error', onError);
        this.server.listen(p, host, () => {
          this.server.off('error', onError);
          resolve((this.server.address() as AddressInfo).port);
        });
      });
    const bound = await bind(port).catch((error: NodeJS.ErrnoException) => {
      if (port !== 0 && error.code === 'EADDRINUSE') return bind(0);
      throw error;
    });
    const url = new URL(`http://${isIP(host) === 6 ? `[${host}]` : host}:${bound}`);
    this.store.endpoint = url;
    return url;
  }

  async close(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://s3');
    res.setHeader('x-amz-request-id', requestId);
    try {
      const raw = await readBody(req);
      const accessKeyId = await verifySigV4(req, (key) => this.store.secretOf(key));
      const body = payloadOf(req, raw);
      const [, bucketPart = '', ...keyParts] = (req.url ?? '/').split('?')[0]!.split('/');
      const bucket = decodePath(bucketPart);
      const key = keyParts.length > 0 ? decodePath(keyParts.join('/')) : '';
      const unsupported = UNSUPPORTED.find((name) => url.searchParams.has(name));
      if (unsupported || req.headers['x-amz-copy-source'])
        throw new S3Error(
          501,
          'NotImplemented',
          `This server does not implement ${unsupported ? `?${unsupported}` : 'CopyObject'}`,
        );
      if (!bucket) {
        if (req.method !== 'GET')
          throw new S3Error(405, 'MethodNotAllowed', `${req.method} / is not allowed`);
        return this.listBuckets(res, accessKeyId);
      }
      if (!key) return this.bucketRequest(req, res, url, accessKeyId, bucket, body);
      return this.objectRequest(req, res, accessKeyId, bucket, key, body);
    } catch (error) {
      const s3 =
        error instanceof S3Error ? error : new S3Error(500, 'InternalError', (error as Error).message);
      res.statusCode = s3.status;
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      res.setHeader('content-type', 'application/xml');
      res.end(errorXml(s3, url.pathname, requestId));
    }
  }

  private xml(res: ServerResponse, text: string, status = 200) {
    res.statusCode = status;
    res.setHeader('content-type', 'application/xml');
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${text}`);
  }

  private mustExist(bucket: string) {
    const stored = this.store.buckets.get(bucket);
    if (!stored) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist');
    return stored;
  }

  private mustAllow(accessKeyId: string, bucket: string, action: string, key?: string) {
    this.mustExist(bucket);
    if (!this.store.allows(accessKeyId, bucket, action, key))
      throw new S3Error(403, 'AccessDenied', 'Access Denied');
  }

  private listBuckets(res: ServerResponse, accessKeyId: string) {
    const visible = [...this.store.buckets]
      .filter(([name]) => this.store.allows(accessKeyId, name, 's3:ListBucket'))
      .sort(([a], [b]) => (a < b ? -1 : 1));
    this.xml(
      res,
      `<ListAllMyBucketsResult xmlns="${XMLNS}"><Owner><ID>${escapeXml(accessKeyId)}</ID><DisplayName>${escapeXml(accessKeyId)}</DisplayName></Owner><Buckets>` +
        visible
          .map(
            ([name, b]) =>
              `<Bucket><Name>${escapeXml(name)}</Name><CreationDate>${iso(b.created)}</CreationDate></Bucket>`,
          )
          .join('') +
        '</Buckets></ListAllMyBucketsResult>',
    );
  }

  private bucketRequest(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    accessKeyId: string,
    bucket: string,
    body: Buffer,
  ) {
    const q = url.searchParams;
    switch (req.method) {
      case 'PUT': {
        // Buckets are made by the provisioner (an ObjectBucketClaim), not by their users.
        if (accessKeyId !== this.store.root.accessKeyId)
          throw new S3Error(
            403,
            'AccessDenied',
            'Only the object store administrator creates buckets; make a bucket in Uncloud',
          );
        if (this.store.buckets.has(bucket))
          throw new S3Error(
            409,
            'BucketAlreadyOwnedByYou',
            'Your previous request to create the named bucket succeeded and you already own it.',
          );
        if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
          throw new S3Error(400, 'InvalidBucketName', 'The specified bucket is not valid.');
        void this.store.createBucket(bucket, accessKeyId);
        res.setHeader('location', `/${bucket}`);
        res.end();
        return;
      }
      case 'DELETE': {
        const stored = this.mustExist(bucket);
        if (accessKeyId !== this.store.root.accessKeyId && accessKeyId !== stored.owner)
          throw new S3Error(403, 'AccessDenied', 'Access Denied');
        if (this.store.objects.keys(bucket).length > 0)
          throw new S3Error(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty');
        void this.store.purgeBucket(bucket);
        res.statusCode = 204;
        res.end();
        return;
      }
      case 'HEAD':
        this.mustAllow(accessKeyId, bucket, 's3:ListBucket');
        res.setHeader('x-amz-bucket-region', this.store.region);
        res.end();
        return;
      case 'POST':
        if (!q.has('delete'))
          throw new S3Error(501, 'NotImplemented', 'This server implements only POST ?delete on a bucket');
        return this.deleteObjects(res, accessKeyId, bucket, body.toString());
      case 'GET':
        if (q.has('location')) {
          this.mustAllow(accessKeyId, bucket, 's3:GetBucketLocation');
          return this.xml(
            res,
            `<LocationConstraint xmlns="${XMLNS}">${this.store.region === 'us-east-1' ? '' : this.store.region}</LocationConstraint>`,
          );
        }
        this.mustAllow(accessKeyId, bucket, 's3:ListBucket');
        return this.listObjects(res, q, bucket);
      default:
        throw new S3Error(405, 'MethodNotAllowed', `${req.method} is not allowed on a bucket`);
    }
  }

  private listObjects(res: ServerResponse, q: URLSearchParams, bucket: string) {
    const v2 = q.get('list-type') === '2';
    const maxKeysText = q.get('max-keys') ?? '1000';
    if (!/^\d+$/.test(maxKeysText))
      throw new S3Error(400, 'InvalidArgument', 'max-keys must be a whole number from 0 to 1000');
    const maxKeys = Math.min(Number(maxKeysText), 1000);
    const prefix = q.get('prefix') ?? '';
    const delimiter = q.get('delimiter') ?? '';
    const urlEncoded = q.get('encoding-type') === 'url';
    const token = q.get('continuation-token');
    let after = v2 ? (q.get('start-after') ?? '') : (q.get('marker') ?? '');
    if (v2 && token !== null) {
      after = Buffer.from(token, 'base64url').toString();
      if (!token || Buffer.from(after).toString('base64url') !== token)
        throw new S3Error(400, 'InvalidArgument', 'The continuation token provided is incorrect');
    }
    const page = listPage(this.store.objects.keys(bucket, prefix), { prefix, delimiter, after, maxKeys });
    const text = (s: string) => escapeXml(urlEncoded ? encodeURIComponent(s).replace(/%2F/g, '/') : s);
    const contents = page.keys
      .map((key) => {
        const object = this.store.objects.getObject(bucket, key)!;
        return (
          `<Contents><Key>${text(key)}</Key><LastModified>${iso(object.lastModified)}</LastModified>` +
          `<ETag>${escapeXml(object.etag)}</ETag><Size>${object.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`
        );
      })
      .join('');
    const prefixes = page.commonPrefixes
      .map((p) => `<CommonPrefixes><Prefix>${text(p)}</Prefix></CommonPrefixes>`)
      .join('');
    const paging = v2
      ? `<KeyCount>${page.keys.length + page.commonPrefixes.length}</KeyCount>` +
        (token !== null ? `<ContinuationToken>${escapeXml(token)}</ContinuationToken>` : '') +
        (q.has('start-after') ? `<StartAfter>${text(q.get('start-after')!)}</StartAfter>` : '') +
        (page.truncated && page.last
          ? `<NextContinuationToken>${Buffer.from(page.last).toString('base64url')}</NextContinuationToken>`
          : '')
      : `<Marker>${text(q.get('marker') ?? '')}</Marker>` +
        (page.truncated && page.last && delimiter ? `<NextMarker>${text(page.last)}</NextMarker>` : '');
    this.xml(
      res,
      `<ListBucketResult xmlns="${XMLNS}"><Name>${escapeXml(bucket)}</Name><Prefix>${text(prefix)}</Prefix>` +
        (delimiter ? `<Delimiter>${text(delimiter)}</Delimiter>` : '') +
        `<MaxKeys>${maxKeys}</MaxKeys>` +
        (urlEncoded ? '<EncodingType>url</EncodingType>' : '') +
        `<IsTruncated>${page.truncated}</IsTruncated>${paging}${contents}${prefixes}</ListBucketResult>`,
    );
  }

  private deleteObjects(res: ServerResponse, accessKeyId: string, bucket: string, xml: string) {
    this.mustExist(bucket);
    const quiet = /<Quiet>\s*true\s*<\/Quiet>/i.test(xml);
    const keys = [...xml.matchAll(/<Object>[\s\S]*?<Key>([\s\S]*?)<\/Key>[\s\S]*?<\/Object>/g)].map((m) =>
      unescapeXml(m[1]!),
    );
    if (!/<Delete[\s>]/.test(xml) || keys.length > 1000)
      throw new S3Error(
        400,
        'MalformedXML',
        'The XML you provided was not well-formed or did not validate: a <Delete> of at most 1000 <Object>s',
      );
    const results = keys.map((key) => {
      if (!this.store.allows(accessKeyId, bucket, 's3:DeleteObject', key))
        return `<Error><Key>${escapeXml(key)}</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`;
      this.store.objects.delete(bucket, key);
      return quiet ? '' : `<Deleted><Key>${escapeXml(key)}</Key></Deleted>`;
    });
    this.xml(res, `<DeleteResult xmlns="${XMLNS}">${results.join('')}</DeleteResult>`);
  }

  private objectRequest(
    req: IncomingMessage,
    res: ServerResponse,
    accessKeyId: string,
    bucket: string,
    key: string,
    body: Buffer,
  ) {
    switch (req.method) {
      case 'PUT': {
        this.mustAllow(accessKeyId, bucket, 's3:PutObject', key);
        const md5 = req.headers['content-md5'];
        if (md5 && createHash('md5').update(body).digest('base64') !== md5)
          throw new S3Error(
            400,
            'BadDigest',
            'The Content-MD5 you specified did not match what we received.',
          );
        const object = this.store.objects.putObject(
          bucket,
          key,
          body,
          String(req.headers['content-type'] ?? 'application/octet-stream'),
        );
        res.setHeader('etag', object.etag);
        res.end();
        return;
      }
      case 'GET':
      case 'HEAD': {
        this.mustAllow(accessKeyId, bucket, 's3:GetObject', key);
        const object = this.store.objects.getObject(bucket, key);
        if (!object) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.');
        const range = rangeOf(req.headers.range, object.body.length);
        const part = range ? object.body.subarray(range.start, range.end + 1) : object.body;
        res.statusCode = range ? 206 : 200;
        res.setHeader('etag', object.etag);
        res.setHeader('last-modified', object.lastModified.toUTCString());
        res.setHeader('content-type', object.contentType);
        res.setHeader('content-length', part.length);
        res.setHeader('accept-ranges', 'bytes');
        if (range) res.setHeader('content-range', `bytes ${range.start}-${range.end}/${object.body.length}`);
        res.end(req.method === 'HEAD' ? undefined : part);
        return;
      }
      case 'DELETE':
        // S3 answers 204 whether or not the key was there.
        this.mustAllow(accessKeyId, bucket, 's3:DeleteObject', key);
        this.store.objects.delete(bucket, key);
        res.statusCode = 204;
        res.end();
        return;
      default:
        throw new S3Error(405, 'MethodNotAllowed', `${req.method} is not allowed on an object`);
    }
  }
}
