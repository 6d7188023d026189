// AWS Signature Version 4 of a request to the embedded S3 server, checked as S3 checks it: the
// credential names a key the store knows, and the signature recomputed (with aws4fetch's signer)
// over the headers the client says it signed, with the key's secret, is the one sent. Both forms:
// the `Authorization` header, and a presigned URL (`X-Amz-Signature` and friends in the query,
// valid for `X-Amz-Expires` seconds).
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AwsV4Signer } from 'aws4fetch';
import { S3Error } from './s3-errors.ts';

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;
const CREDENTIAL = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/;
/** S3 refuses a request signed more than 15 minutes away from its clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;
/** A presigned URL lives at most a week. */
const MAX_EXPIRES_S = 7 * 24 * 3600;

const parseAmzDate = (value: string) => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : NaN;
};

const malformed = (message: string) => new S3Error(400, 'AuthorizationHeaderMalformed', message);

interface Signed {
  credential: string;
  signedHeaders: string;
  signature: string;
  amzDate: string;
  /** The request's URL as signed (a presigned URL's without its signature). */
  url: URL;
  presigned: boolean;
}

/** What the request says it was signed with; undefined when it is not signed at all. */
function signedParts(req: IncomingMessage): Signed | undefined {
  const url = new URL(`http://${req.headers.host ?? ''}${req.url ?? '/'}`);
  const header = req.headers.authorization;
  if (header) {
    const match = AUTHORIZATION.exec(header.trim());
    if (!match) throw malformed('The authorization header is not AWS4-HMAC-SHA256 SigV4');
    const [, credential, signedHeaders, signature] = match as unknown as string[];
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    return {
      credential: credential!,
      signedHeaders: signedHeaders!,
      signature: signature!,
      amzDate,
      url,
      presigned: false,
    };
  }
  const q = url.searchParams;
  if (!q.has('X-Amz-Signature')) return undefined;
  if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256')
    throw new S3Error(400, 'AuthorizationQueryParametersError', 'X-Amz-Algorithm must be AWS4-HMAC-SHA256');
  const signature = q.get('X-Amz-Signature') ?? '';
  q.delete('X-Amz-Signature');
  return {
    credential: q.get('X-Amz-Credential') ?? '',
    signedHeaders: q.get('X-Amz-SignedHeaders') ?? '',
    signature,
    amzDate: q.get('X-Amz-Date') ?? '',
    url,
    presigned: true,
  };
}

/**
 * The access key id that signed the request, or an S3Error: AccessDenied (unsigned, or a presigned
 * URL expired), AuthorizationHeaderMalformed, InvalidAccessKeyId, RequestTimeTooSkewed,
 * SignatureDoesNotMatch.
 */
export async function verifySigV4(
  req: IncomingMessage,
  secretOf: (accessKeyId: string) => string | undefined,
  now = Date.now(),
): Promise<string> {
  const signed = signedParts(req);
  if (!signed)
    throw new S3Error(403, 'AccessDenied', 'Anonymous access is not allowed; sign the request with SigV4');
  const credential = CREDENTIAL.exec(signed.credential);
  if (!credential) throw malformed('The credential is not <key>/<date>/<region>/<service>/aws4_request');
  const [, accessKeyId, day, region, service] = credential as unknown as string[];
  const secret = secretOf(accessKeyId!);
  if (secret === undefined)
    throw new S3Error(
      403,
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
    );
  const signedAt = parseAmzDate(signed.amzDate);
  if (Number.isNaN(signedAt) || !signed.amzDate.startsWith(day!))
    throw malformed('X-Amz-Date is missing or does not match the credential date');
  if (signed.presigned) {
    const expires = Number(signed.url.searchParams.get('X-Amz-Expires') ?? NaN);
    if (!Number.isInteger(expires) || expires < 1 || expires > MAX_EXPIRES_S)
      throw new S3Error(
        400,
        'AuthorizationQueryParametersError',
        `X-Amz-Expires must be 1 to ${MAX_EXPIRES_S} seconds`,
      );
    if (now > signedAt + expires * 1000) throw new S3Error(403, 'AccessDenied', 'Request has expired');
    if (signedAt - now > MAX_SKEW_MS)
      throw new S3Error(
        403,
        'RequestTimeTooSkewed',
        'The difference between the request time and the current time is too large.',
      );
  } else if (Math.abs(now - signedAt) > MAX_SKEW_MS)
    throw new S3Error(
      403,
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
    );
  const names = signed.signedHeaders.split(';');
  if (!names.includes('host')) throw malformed('SignedHeaders must include host');
  const headers: Record<string, string> = {};
  for (const name of names) {
    if (name === 'host') continue;
    const value = req.headers[name];
    headers[name] = Array.isArray(value) ? value.join(',') : (value ?? '');
  }
  const signer = new AwsV4Signer({
    method: req.method ?? 'GET',
    url: signed.url.toString(),
    headers,
    accessKeyId: accessKeyId!,
    secretAccessKey: secret,
    service: service!,
    region: region!,
    datetime: signed.amzDate,
    signQuery: signed.presigned,
    allHeaders: true,
  });
  const expected = Buffer.from(await signer.signature());
  const sent = Buffer.from(signed.signature);
  // aws4fetch adds a header the client did not sign (x-amz-content-sha256): then it cannot match.
  if (
    signer.signedHeaders !== signed.signedHeaders ||
    expected.length !== sent.length ||
    !timingSafeEqual(expected, sent)
  )
    throw new S3Error(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    );
  return accessKeyId!;
}
