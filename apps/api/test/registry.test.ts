// The registry through the API on the simulated cluster: the project's place in it, credentials
// for other registries, and the image pull Secrets apps get. The token flow itself is
// registry-token.test.ts (and, against a real registry, registry.real.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '@uncloud/api/testing';
import { type KubeObject, namespaceName, objectName, pullSecretName } from '@uncloud/kube';
import type { AppId, ProjectId, UncloudClient } from '@uncloud/sdk';
import { waitFor } from '@uncloud/testing';
import { failure } from './errors.ts';
import { basic } from './registry-client.ts';

const HOST = 'registry.example.com';

let stack: Stack;
let c: UncloudClient;
let projectId: ProjectId;
let viewer: UncloudClient;

beforeAll(async () => {
  stack = await startStack({ registry: { host: HOST, publicUrl: 'https://cloud.example.com' } });
  c = stack.client;
  projectId = (await c.projects.create.mutate({ name: 'shop' })).id;
  const { user, token } = await c.users.create.mutate({ name: 'vic' });
  await c.projects.addMember.mutate({ projectId, userId: user.id, role: 'viewer' });
  viewer = stack.clientWith(token.token);
});
afterAll(() => stack?.close());

const pullSecret = (appId: AppId) =>
  stack.kube!.get('Secret', namespaceName(projectId), pullSecretName(appId)) as Promise<
    (KubeObject & { type?: string; data?: Record<string, string> }) | null
  >;
const dockerConfig = (secret: { data?: Record<string, string> }) =>
  JSON.parse(Buffer.from(secret.data!['.dockerconfigjson']!, 'base64').toString()) as {
    auths: Record<string, { username: string; password: string; auth: string }>;
  };
const deploymentOf = (appId: AppId) =>
  stack.kube!.get('Deployment', namespaceName(projectId), objectName(appId)) as Promise<
    (KubeObject & { spec: { template: { spec: { imagePullSecrets?: { name: string }[] } } } }) | null
  >;
const wait = { timeout: 20_000, interval: 50 };

describe("the project's place in the registry", () => {
  it('names the prefix of its images and who may push', async () => {
    expect(await c.registry.info.query({ projectId })).toEqual({
      enabled: true,
      host: HOST,
      prefix: `${HOST}/shop/`,
      canPush: true,
    });
    expect(await viewer.registry.info.query({ projectId })).toMatchObject({ canPush: false });
  });

  it('says there is none, with nothing in it, where the server runs no registry', async () => {
    const bare = await startStack({ cluster: false });
    try {
      const id = (await bare.client.projects.create.mutate({ name: 'shop' })).id;
      expect(await bare.client.registry.info.query({ projectId: id })).toEqual({
        enabled: false,
        host: null,
        prefix: null,
        canPush: true,
      });
      expect(await bare.client.registry.repositories.query({ projectId: id })).toEqual([]);
    } finally {
      await bare.close();
    }
  });
});

describe("the provisioner's registry", () => {
  it("is configured to take Uncloud's tokens: realm, issuer, service and the signing key", async () => {
    // The simulated cluster has a storage class, which the provisioner finds once it has looked.
    await waitFor(
      async () => ['present', 'ready'].includes((await c.components.get.query({ name: 'storage' })).state),
      { ...wait, message: 'the storage class to be found' },
    );
    await c.components.install.mutate({ name: 'registry' });
    const config = await waitFor(
      () =>
        stack.kube!.getAs(
          { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true },
          'uncloud-system',
          'registry-config',
        ) as Promise<(KubeObject & { data?: Record<string, string> }) | null>,
      { ...wait, message: "the registry's ConfigMap" },
    );
    expect(JSON.parse(config.data!['config.yml']!).auth.token).toEqual({
      realm: 'https://cloud.example.com/registry/token',
      issuer: 'uncloud',
      service: 'uncloud-registry',
      jwks: '/etc/distribution/jwks.json',
    });
    expect(JSON.parse(config.data!['jwks.json']!)).toEqual(stack.api.registry.jwks);
    // The key the registry trusts is the one the token endpoint publishes.
    expect(await (await fetch(`${stack.url}/registry/jwks.json`)).json()).toEqual(stack.api.registry.jwks);
  });
});

describe('credentials for other registries', () => {
  it('are listed without their password, one per registry, never for Uncloud’s own', async () => {
    const given = await c.registry.createCredential.mutate({
      projectId,
      name: 'github',
      server: 'ghcr.io',
      username: 'octo',
      password: 'ghp_secret-token',
    });
    expect(given).not.toHaveProperty('password');
    const listed = await viewer.registry.listCredentials.query({ projectId });
    expect(listed).toEqual([given]);
    expect(JSON.stringify(listed)).not.toContain('ghp_secret-token');
    const again = await failure(
      c.registry.createCredential.mutate({
        projectId,
        name: 'other',
        server: 'ghcr.io',
        username: 'x',
        password: 'y',
      }),
    );
    expect(again.data).toMatchObject({ code: 'CONFLICT', field: 'server' });
    const own = await failure(
      c.registry.createCredential.mutate({
        projectId,
        name: 'own',
        server: HOST,
        username: 'x',
        password: 'y',
      }),
    );
    expect(own.data).toMatchObject({ code: 'BAD_REQUEST', field: 'server' });
    expect(own.message).toContain("Uncloud's own registry");
    const bad = await failure(
      c.registry.createCredential.mutate({
        projectId,
        name: 'bad',
        server: 'https://ghcr.io/org',
        username: 'x',
        password: 'y',
      }),
    );
    expect(bad.data).toMatchObject({ code: 'BAD_REQUEST', field: 'server' });
    expect(
      (await failure(viewer.registry.deleteCredential.mutate({ projectId, id: given.id }))).data,
    ).toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});

describe('image pull Secrets of apps', () => {
  it("pulls an image of the project's repositories with a credential the token server honours", async () => {
    const app = await c.apps.create.mutate({ projectId, name: 'api', image: `${HOST}/shop/api:1`, port: 80 });
    const secret = await waitFor(() => pullSecret(app.id), { ...wait, message: 'the pull Secret' });
    expect(secret.type).toBe('kubernetes.io/dockerconfigjson');
    const { username, password } = dockerConfig(secret).auths[HOST]!;
    const deployment = await waitFor(() => deploymentOf(app.id), wait);
    expect(deployment.spec.template.spec.imagePullSecrets).toEqual([{ name: pullSecretName(app.id) }]);
    // What kubelet does with it: a token for a pull of the app's repository, and nothing more.
    const url = new URL(`${stack.url}/registry/token`);
    url.searchParams.set('service', 'uncloud-registry');
    url.searchParams.append('scope', 'repository:shop/api:pull,push');
    url.searchParams.append('scope', 'repository:other/api:pull');
    const answer = await fetch(url, { headers: { authorization: basic(username, password) } });
    const { token } = (await answer.json()) as { token: string };
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
      access: unknown;
    };
    expect(claims.access).toEqual([{ type: 'repository', name: 'shop/api', actions: ['pull'] }]);
  });

  it('gives no Secret to a public image', async () => {
    const web = await c.apps.create.mutate({ projectId, name: 'web', image: 'nginx:1.27', port: 80 });
    await waitFor(() => deploymentOf(web.id), wait);
    expect(await pullSecret(web.id)).toBeNull();
  });

  it("refuses an image of another project's repositories, which the app's credential cannot pull", async () => {
    const created = await failure(
      c.apps.create.mutate({ projectId, name: 'foreign', image: `${HOST}/other/x:1`, port: 80 }),
    );
    expect(created.data).toMatchObject({ code: 'BAD_REQUEST', field: 'image' });
    expect(created.message).toContain(`push the image under ${HOST}/shop/`);
    const app = await c.apps.create.mutate({ projectId, name: 'own', image: `${HOST}/shop/own:1`, port: 80 });
    const deployed = await failure(c.apps.deploy.mutate({ projectId, id: app.id, image: `${HOST}/api:2` }));
    expect(deployed.data).toMatchObject({ code: 'BAD_REQUEST', field: 'image' });
  });

  it("pulls an image of another registry with the project's credentials, and without once they are deleted", async () => {
    const app = await c.apps.create.mutate({
      projectId,
      name: 'tool',
      image: 'quay.io/acme/tool:2',
      port: 80,
    });
    await waitFor(() => deploymentOf(app.id), wait);
    expect(await pullSecret(app.id)).toBeNull();
    const given = await c.registry.createCredential.mutate({
      projectId,
      name: 'quay',
      server: 'quay.io',
      username: 'robot',
      password: 'quay-password',
    });
    const secret = await waitFor(() => pullSecret(app.id), { ...wait, message: 'the pull Secret' });
    expect(dockerConfig(secret).auths['quay.io']).toEqual({
      username: 'robot',
      password: 'quay-password',
      auth: Buffer.from('robot:quay-password').toString('base64'),
    });
    await c.registry.deleteCredential.mutate({ projectId, id: given.id });
    await waitFor(async () => (await pullSecret(app.id)) === null, { ...wait, message: 'the Secret gone' });
    // The Deployment's imagePullSecrets go empty by server-side apply (packages/sync app.test.ts);
    // the simulated cluster merges applied lists rather than dropping what the manager stopped
    // setting, so that part is a real API server's to show.
  });
});
