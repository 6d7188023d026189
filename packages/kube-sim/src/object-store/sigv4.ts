// AWS Signature Version 4 of a request to the embedded S3 server, checked as S3 checks it: the
// `Authorization` header's credential names a key the store knows, and the signature recomputed
// (with aws4fetch's signer) over the headers the client says it signed, with the key's secret,
// is the one sent. Presigned URLs (query authentication) are not accepted.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AwsV4Signer } from 'aws4fetch';
import { S3Error } from './s3-errors.ts';

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;
/** S3 refuses a request signed more than 15 minutes away from its clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;

const parseAmzDate = (value: string) => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : NaN;
};

/**
 * The access key id that signed the request, or an S3Error: AccessDenied (unsigned),
 * AuthorizationHeaderMalformed, InvalidAccessKeyId, RequestTimeTooSkewed, SignatureDoesNotMatch.
 */
export async function verifySigV4(
  req: IncomingMessage,
  secretOf: (accessKeyId: string) => string | undefined,
  now = Date.now(),
): Promise<string> {
  const header = req.headers.authorization;
  if (!header) {
    if (new URL(req.url ?? '/', 'http://s3').searchParams.has('X-Amz-Algorithm'))
      throw new S3Error(
        403,
        'AccessDenied',
        'Presigned URLs are not supported by this server; sign the headers',
      );
    throw new S3Error(403, 'AccessDenied', 'Anonymous access is not allowed; sign the request with SigV4');
  }
  const match = AUTHORIZATION.exec(header.trim());
  if (!match)
    throw new S3Error(
      400,
      'AuthorizationHeaderMalformed',
      'The authorization header is not AWS4-HMAC-SHA256 SigV4',
    );
  const [, accessKeyId, day, region, service, signedHeaders, signature] = match as unknown as string[];
  const secret = secretOf(accessKeyId!);
  if (secret === undefined)
    throw new S3Error(
      403,
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
    );
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const signedAt = parseAmzDate(amzDate);
  if (Number.isNaN(signedAt) || !amzDate.startsWith(day!))
    throw new S3Error(
      400,
      'AuthorizationHeaderMalformed',
      'x-amz-date is missing or does not match the credential date',
    );
  if (Math.abs(now - signedAt) > MAX_SKEW_MS)
    throw new S3Error(
      403,
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
    );
  const names = signedHeaders!.split(';');
  if (!names.includes('host'))
    throw new S3Error(400, 'AuthorizationHeaderMalformed', 'SignedHeaders must include host');
  const headers: Record<string, string> = {};
  for (const name of names) {
    if (name === 'host') continue;
    const value = req.headers[name];
    headers[name] = Array.isArray(value) ? value.join(',') : (value ?? '');
  }
  const signer = new AwsV4Signer({
    method: req.method ?? 'GET',
    url: `http://${req.headers.host ?? ''}${req.url ?? '/'}`,
    headers,
    accessKeyId: accessKeyId!,
    secretAccessKey: secret,
    service: service!,
    region: region!,
    datetime: amzDate,
    allHeaders: true,
  });
  const expected = Buffer.from(await signer.signature());
  const sent = Buffer.from(signature!);
  // aws4fetch adds a header the client did not sign (x-amz-content-sha256): then it cannot match.
  if (signer.signedHeaders !== signedHeaders || !timingSafeEqual(expected, sent))
    throw new S3Error(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    );
  return accessKeyId!;
}
