import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RealRegistry, startRealRegistry } from '@uncloud/registry-real';
import { startStack, type Stack } from '@uncloud/api/testing';
import { createRegistryApi } from '../src/registry/registry-api.ts';
import { parseChallenge, registryClient, requestToken, tinyImage } from './registry-client.ts';

// The token flow the Docker client uses, against a real CNCF distribution registry (built from its
// Go module by tooling/registry-real/build.sh) that trusts Uncloud's token server: push and pull
// allowed or refused per project, exactly as the registry itself decides from Uncloud's tokens.

let stack: Stack;
let registry: RealRegistry;
const people: Record<'owner' | 'member' | 'viewer' | 'outsider', string> = {
  owner: '',
  member: '',
  viewer: '',
  outsider: '',
};
const image = tinyImage();

const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const as = (who: keyof typeof people) =>
  registryClient(registry.url, { username: `${who}@example.com`, password: people[who] });

beforeAll(async () => {
  stack = await startStack({ cluster: false });
  const authority = stack.api.registry;
  registry = await startRealRegistry({
    token: {
      realm: `${stack.url}/registry/token`,
      issuer: authority.issuer,
      service: authority.service,
      jwks: authority.jwks,
    },
  });
  const shop = await stack.client.projects.create.mutate({ name: 'shop' });
  await stack.client.projects.create.mutate({ name: 'other' });
  people.owner = stack.adminToken;
  for (const [who, role] of [
    ['member', 'member'],
    ['viewer', 'viewer'],
    ['outsider', undefined],
  ] as const) {
    const { user, token } = await stack.client.users.create.mutate({ name: who });
    people[who] = token.token;
    if (role) await stack.client.projects.addMember.mutate({ projectId: shop.id, userId: user.id, role });
  }
});
afterAll(async () => {
  await registry?.stop();
  await stack?.close();
});

describe('the Docker client token flow against a real registry', () => {
  it('challenges an anonymous /v2/ with Uncloud as the realm, which turns bad credentials away', async () => {
    const answer = await fetch(`${registry.url}/v2/`);
    expect(answer.status).toBe(401);
    const challenge = parseChallenge(answer.headers.get('www-authenticate'));
    expect(challenge).toEqual({ realm: `${stack.url}/registry/token`, service: 'uncloud-registry' });
    // docker login: a token for no scope with the user's credentials, then /v2/ with it.
    const refused = await requestToken(challenge!, { username: 'me', password: 'uc_not-a-token' });
    expect(refused.status).toBe(401);
    const login = await requestToken(challenge!, { username: 'me', password: people.member });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const v2 = await fetch(`${registry.url}/v2/`, { headers: { authorization: `Bearer ${token}` } });
    expect(v2.status).toBe(200);
  });

  it("lets a member push an image to their project's repository", async () => {
    const member = as('member');
    expect((await member.pushBlob('shop/tiny', image.config)).status).toBe(201);
    expect((await member.pushBlob('shop/tiny', image.layer)).status).toBe(201);
    const put = await member.send('/v2/shop/tiny/manifests/v1', {
      method: 'PUT',
      body: image.manifest,
      headers: { 'content-type': MANIFEST },
    });
    expect(put.status, registry.log().slice(-2000)).toBe(201);
    expect(put.headers.get('docker-content-digest')).toBe(image.manifestDigest);
  });

  it('lets a viewer pull it, byte for byte, and refuses their push', async () => {
    const viewer = as('viewer');
    const pulled = await viewer.send('/v2/shop/tiny/manifests/v1', { headers: { accept: MANIFEST } });
    expect(pulled.status).toBe(200);
    expect(await pulled.text()).toBe(image.manifest);
    const blob = await viewer.send(`/v2/shop/tiny/blobs/${JSON.parse(image.manifest).layers[0].digest}`);
    // The filesystem driver serves the blob itself (no redirect to a storage URL).
    expect(blob.status).toBe(200);
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(image.layer);
    const push = await viewer.pushBlob('shop/tiny', new TextEncoder().encode('viewer was here'));
    expect(push.status).toBe(401);
    expect(parseChallenge(push.headers.get('www-authenticate'))?.error).toBe('insufficient_scope');
  });

  it("gives a user nothing in a project they are not a member of, nor in another project's repositories", async () => {
    const outsider = await as('outsider').send('/v2/shop/tiny/manifests/v1', {
      headers: { accept: MANIFEST },
    });
    expect(outsider.status).toBe(401);
    const elsewhere = await as('member').pushBlob('other/tiny', image.config);
    expect(elsewhere.status).toBe(401);
    // A name outside every project (no `<project>/` in front) is no one's.
    expect((await as('owner').pushBlob('tiny', image.config)).status).toBe(401);
  });

  it("pulls with the project's pull credential, and nothing more", async () => {
    const credential = stack.api.registry.pullCredential(
      (await stack.client.projects.list.query({})).items.find((p) => p.name === 'shop')!.id,
    );
    const puller = registryClient(registry.url, credential);
    const pulled = await puller.send('/v2/shop/tiny/manifests/v1', { headers: { accept: MANIFEST } });
    expect(pulled.status).toBe(200);
    expect((await puller.pushBlob('shop/tiny', image.config)).status).toBe(401);
    expect((await puller.send('/v2/other/tiny/tags/list')).status).toBe(401);
  });

  it("lists repositories and tags with the token Uncloud mints for itself, which no user's token can", async () => {
    const own = await stack.api.registry.mint('uncloud', [
      { type: 'registry', name: 'catalog', actions: ['*'] },
      { type: 'repository', name: 'shop/tiny', actions: ['pull'] },
    ]);
    const catalog = await fetch(`${registry.url}/v2/_catalog`, {
      headers: { authorization: `Bearer ${own.token}` },
    });
    expect(await catalog.json()).toEqual({ repositories: ['shop/tiny'] });
    const tags = await fetch(`${registry.url}/v2/shop/tiny/tags/list`, {
      headers: { authorization: `Bearer ${own.token}` },
    });
    expect(await tags.json()).toEqual({ name: 'shop/tiny', tags: ['v1'] });
    expect((await as('owner').send('/v2/_catalog')).status).toBe(401);
  });

  it("reads what the dashboard shows: the project's repositories, tags, digest and size", async () => {
    const api = createRegistryApi({ url: registry.url, authority: stack.api.registry });
    expect(await api.repositories('shop/')).toEqual(['shop/tiny']);
    expect(await api.repositories('other/')).toEqual([]);
    expect(await api.tags('shop/tiny')).toEqual(['v1']);
    expect(await api.tags('shop/none')).toEqual([]);
    expect(await api.manifest('shop/tiny', 'v1')).toEqual({
      digest: image.manifestDigest,
      mediaType: MANIFEST,
      sizeBytes: image.config.length + image.layer.length,
    });
  });
});
