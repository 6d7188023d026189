import { createHmac, generateKeyPairSync, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { type JWK, SignJWT, calculateJwkThumbprint, importJWK } from 'jose';
import { type Db, settingsRepository } from '@uncloud/db';
import { ProjectId } from '@uncloud/sdk';
import type { GrantedAccess } from './scope.ts';

/** The `iss` of Uncloud's registry tokens: the registry's `auth.token.issuer`. */
export const REGISTRY_ISSUER = 'uncloud';
/** The `aud` of Uncloud's registry tokens: the registry's `auth.token.service`. */
export const REGISTRY_SERVICE = 'uncloud-registry';

/** The key that signs registry tokens, made on the first start and kept in the settings table. */
const SIGNING_KEY = 'registry_token_signing_key';
/** The secret that project pull credentials are derived from (HMAC), made and kept the same way. */
const PULL_SECRET = 'registry_pull_secret';

/** ES256: short keys and signatures, and among the algorithms distribution accepts by default. */
const ALGORITHM = 'ES256';

/** The user name of every project's pull credential (the password says which project). */
export const PULL_USERNAME = 'uncloud-pull';
const PULL_PREFIX = 'ucpull';
/** A pull credential is written anew each period and accepted for two: the Secret's rotation. */
export const PULL_PERIOD_MS = 30 * 24 * 60 * 60 * 1000;

export interface RegistryAuthorityOptions {
  /** The `iss` of every token: the registry's `auth.token.issuer`. */
  issuer: string;
  /** The `aud`: the registry's `auth.token.service`, also the `service` clients ask with. */
  service: string;
  /** How long a token lasts (the spec's minimum is 60 s; default 300 s). */
  ttlSeconds?: number;
}

export interface IssuedRegistryToken {
  token: string;
  expiresIn: number;
  issuedAt: Date;
}

export interface RegistryAuthority {
  issuer: string;
  service: string;
  /** The signing key's id (its RFC 7638 thumbprint), the `kid` of every token's header. */
  keyId: string;
  /** The public key as a JWK set: the registry's `auth.token.jwks` file. */
  jwks: { keys: JWK[] };
  mint(subject: string, access: GrantedAccess[], now?: Date): Promise<IssuedRegistryToken>;
  /** The credential a project's image pull Secret carries: it pulls that project's images. */
  pullCredential(projectId: ProjectId, now?: Date): { username: string; password: string };
  /** The project a pull credential belongs to, if it is one this installation made and still valid. */
  pullCredentialProject(password: string, now?: Date): ProjectId | undefined;
}

/** A new P-256 private key as a JWK (node's, synchronous, so that it is made inside one insert). */
const makeSigningKey = (): string => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return JSON.stringify(privateKey.export({ format: 'jwk' }));
};

const period = (now: Date) => Math.floor(now.getTime() / PULL_PERIOD_MS);

/**
 * The registry's token authority: signs the JWTs of the Docker registry token specification with a
 * key kept in the database (so every start, and every API replica, signs with the key the registry
 * was configured to trust), and makes and checks projects' pull credentials.
 */
export const loadRegistryAuthority = async (
  db: Db,
  options: RegistryAuthorityOptions,
): Promise<RegistryAuthority> => {
  const { issuer, service } = options;
  const ttlSeconds = options.ttlSeconds ?? 300;
  const privateJwk = JSON.parse(settingsRepository.getOrCreate(db, SIGNING_KEY, makeSigningKey)) as JWK;
  const { d: _secret, ...publicPart } = privateJwk;
  const keyId = await calculateJwkThumbprint(publicPart);
  const signingKey = await importJWK({ ...privateJwk, alg: ALGORITHM }, ALGORITHM);
  const publicJwk: JWK = { ...publicPart, alg: ALGORITHM, use: 'sig', kid: keyId };
  const pullSecret = Buffer.from(
    settingsRepository.getOrCreate(db, PULL_SECRET, () => randomBytes(32).toString('base64url')),
    'base64url',
  );
  const mac = (projectId: string, p: number) =>
    createHmac('sha256', pullSecret).update(`${projectId}.${p}`).digest('base64url');

  return {
    issuer,
    service,
    keyId,
    jwks: { keys: [publicJwk] },

    async mint(subject, access, now = new Date()) {
      const iat = Math.floor(now.getTime() / 1000);
      const token = await new SignJWT({ access })
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT', kid: keyId })
        .setIssuer(issuer)
        .setSubject(subject)
        .setAudience(service)
        .setIssuedAt(iat)
        .setNotBefore(iat)
        .setExpirationTime(iat + ttlSeconds)
        .setJti(randomUUID())
        .sign(signingKey);
      return { token, expiresIn: ttlSeconds, issuedAt: new Date(iat * 1000) };
    },

    pullCredential(projectId, now = new Date()) {
      const p = period(now);
      return { username: PULL_USERNAME, password: `${PULL_PREFIX}.${projectId}.${p}.${mac(projectId, p)}` };
    },

    pullCredentialProject(password, now = new Date()) {
      const [prefix, id, p, given, ...rest] = password.split('.');
      if (prefix !== PULL_PREFIX || !id || !p || !given || rest.length > 0) return undefined;
      const projectId = ProjectId.safeParse(id);
      const at = Number(p);
      const current = period(now);
      // The current period's and the one before: a Secret rewritten at the turn stays good meanwhile.
      if (!projectId.success || !Number.isInteger(at) || at > current || at < current - 1) return undefined;
      const expected = Buffer.from(mac(id, at));
      const actual = Buffer.from(given);
      return expected.length === actual.length && timingSafeEqual(expected, actual)
        ? projectId.data
        : undefined;
    },
  };
};
