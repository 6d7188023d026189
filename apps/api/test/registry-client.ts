import { createHash } from 'node:crypto';

/**
 * What the Docker client does against a registry, over `fetch`: a request; on 401 it reads the
 * `WWW-Authenticate: Bearer realm=…,service=…,scope=…` challenge, asks the realm for a token with
 * basic credentials and the challenge's service and scope, and sends the request again with it.
 */

export interface Challenge {
  realm: string;
  service: string;
  scope?: string;
  error?: string;
}

/** The parameters of a `Bearer` challenge (quoted values, comma-separated). */
export const parseChallenge = (header: string | null): Challenge | undefined => {
  if (!header?.startsWith('Bearer ')) return undefined;
  const params: Record<string, string> = {};
  for (const match of header.slice(7).matchAll(/(\w+)="([^"]*)"/g)) params[match[1]!] = match[2]!;
  if (!params.realm || !params.service) return undefined;
  return {
    realm: params.realm,
    service: params.service,
    ...(params.scope ? { scope: params.scope } : {}),
    ...(params.error ? { error: params.error } : {}),
  };
};

export const basic = (username: string, password: string) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

/** The token request the client makes: GET realm?service=…&scope=… with basic credentials. */
export const requestToken = async (
  challenge: Challenge,
  credentials: { username: string; password: string } | undefined,
  scopes: string[] = challenge.scope ? challenge.scope.split(' ') : [],
) => {
  const url = new URL(challenge.realm);
  url.searchParams.set('service', challenge.service);
  for (const scope of scopes) url.searchParams.append('scope', scope);
  url.searchParams.set('client_id', 'docker');
  return fetch(url, {
    headers: credentials ? { authorization: basic(credentials.username, credentials.password) } : {},
    signal: AbortSignal.timeout(10_000),
  });
};

export const digestOf = (bytes: Uint8Array | string) =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** A client signed in as `credentials`: every request goes through the token dance on 401. */
export const registryClient = (registry: string, credentials: { username: string; password: string }) => {
  const tokens = new Map<string, string>();
  const send = async (path: string, init: RequestInit = {}): Promise<Response> => {
    const url = path.startsWith('http') ? path : `${registry}${path}`;
    const attempt = (token: string | undefined) =>
      fetch(url, {
        ...init,
        headers: {
          ...(init.headers as Record<string, string>),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        redirect: 'manual',
        signal: AbortSignal.timeout(10_000),
      });
    const scopeKey = (challenge: Challenge) => challenge.scope ?? '';
    const first = await attempt(undefined);
    if (first.status !== 401) return first;
    const challenge = parseChallenge(first.headers.get('www-authenticate'));
    if (!challenge) return first;
    let token = tokens.get(scopeKey(challenge));
    if (!token) {
      const answer = await requestToken(challenge, credentials);
      if (answer.status !== 200) return answer;
      token = ((await answer.json()) as { token: string }).token;
      tokens.set(scopeKey(challenge), token);
    }
    return attempt(token);
  };
  return {
    send,
    /** Uploads a blob (monolithic: POST then PUT with the digest); the final response. */
    async pushBlob(repository: string, bytes: Uint8Array): Promise<Response> {
      const started = await send(`/v2/${repository}/blobs/uploads/`, { method: 'POST' });
      if (started.status !== 202) return started;
      const location = new URL(started.headers.get('location')!, registry);
      location.searchParams.set('digest', digestOf(bytes));
      return send(location.toString(), {
        method: 'PUT',
        body: bytes,
        headers: { 'content-type': 'application/octet-stream' },
      });
    },
  };
};

/** A tiny OCI image: a config blob, one layer blob and the manifest that names them. */
export const tinyImage = () => {
  const config = new TextEncoder().encode(
    JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }),
  );
  const layer = new TextEncoder().encode('not really a tarball, and the registry does not look');
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: digestOf(config),
      size: config.length,
    },
    layers: [
      {
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest: digestOf(layer),
        size: layer.length,
      },
    ],
  });
  return { config, layer, manifest, manifestDigest: digestOf(manifest) };
};
