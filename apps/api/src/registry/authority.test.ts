import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { openIntentStore } from '@uncloud/db';
import type { ProjectId } from '@uncloud/sdk';
import { PULL_PERIOD_MS, loadRegistryAuthority } from './authority.ts';

const dirs: string[] = [];
const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), 'uncloud-registry-authority-'));
  dirs.push(dir);
  return join(dir, 'uncloud.db');
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const options = { issuer: 'uncloud', service: 'uncloud-registry' };
const shop = 'proj_aaaaaaaaaaaaaaaaaaaa' as ProjectId;
const other = 'proj_bbbbbbbbbbbbbbbbbbbb' as ProjectId;

describe("the registry's token authority", () => {
  it('makes its signing key on the first start and signs with the same one after a restart', async () => {
    const path = tempDb();
    const first = openIntentStore(path);
    const before = await loadRegistryAuthority(first.db, options);
    first.close();
    const again = openIntentStore(path);
    const after = await loadRegistryAuthority(again.db, options);
    const { token } = await after.mint('usr_x', []);
    again.close();
    expect(after.keyId).toBe(before.keyId);
    expect(after.jwks).toEqual(before.jwks);
    // What the registry trusts holds no private part.
    expect(JSON.stringify(after.jwks)).not.toContain('"d"');
    await expect(jwtVerify(token, createLocalJWKSet(before.jwks))).resolves.toBeDefined();
    // Another installation makes a key of its own.
    const elsewhere = openIntentStore(tempDb());
    expect((await loadRegistryAuthority(elsewhere.db, options)).keyId).not.toBe(before.keyId);
    elsewhere.close();
  });

  it("signs the specification's claims: iss, sub, aud, exp, nbf, iat, jti and access, with the key's kid", async () => {
    const store = openIntentStore(tempDb());
    const authority = await loadRegistryAuthority(store.db, { ...options, ttlSeconds: 120 });
    const now = new Date('2026-05-01T10:00:00Z');
    const access = [{ type: 'repository', name: 'shop/api', actions: ['pull'] }];
    const issued = await authority.mint('usr_x', access, now);
    const second = await authority.mint('usr_x', access, now);
    store.close();
    expect(decodeProtectedHeader(issued.token)).toEqual({ alg: 'ES256', typ: 'JWT', kid: authority.keyId });
    const { payload } = await jwtVerify(issued.token, createLocalJWKSet(authority.jwks), {
      issuer: 'uncloud',
      audience: 'uncloud-registry',
      currentDate: now,
    });
    const iat = now.getTime() / 1000;
    expect(payload).toEqual({
      iss: 'uncloud',
      sub: 'usr_x',
      aud: 'uncloud-registry',
      iat,
      nbf: iat,
      exp: iat + 120,
      jti: expect.any(String),
      access,
    });
    expect(issued).toMatchObject({ expiresIn: 120, issuedAt: now });
    expect(second.token).not.toBe(issued.token);
    // Past its expiry the token is refused.
    await expect(
      jwtVerify(issued.token, createLocalJWKSet(authority.jwks), {
        currentDate: new Date(now.getTime() + 121_000),
      }),
    ).rejects.toThrow(/exp/);
  });

  it("accepts a project's pull credential for two periods, for that project only, and no forgery", async () => {
    const store = openIntentStore(tempDb());
    const authority = await loadRegistryAuthority(store.db, options);
    const now = new Date('2026-05-01T10:00:00Z');
    const { username, password } = authority.pullCredential(shop, now);
    expect(username).toBe('uncloud-pull');
    expect(authority.pullCredentialProject(password, now)).toBe(shop);
    expect(authority.pullCredentialProject(password, new Date(now.getTime() + PULL_PERIOD_MS))).toBe(shop);
    expect(
      authority.pullCredentialProject(password, new Date(now.getTime() + 2 * PULL_PERIOD_MS)),
    ).toBeUndefined();
    // The next period's credential differs: the Secret is rewritten.
    expect(authority.pullCredential(shop, new Date(now.getTime() + PULL_PERIOD_MS)).password).not.toBe(
      password,
    );
    const forged = password.replace(shop, other);
    expect(authority.pullCredentialProject(forged, now)).toBeUndefined();
    expect(authority.pullCredentialProject('uc_anything', now)).toBeUndefined();
    store.close();
  });
});
