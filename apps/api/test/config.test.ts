import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';

describe('configuration', () => {
  it('has defaults that need no environment at all', () => {
    const config = loadConfig({ INIT_CWD: '/srv/uncloud' });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      dataDir: '/srv/uncloud/data',
      databasePath: '/srv/uncloud/data/uncloud.db',
      syncIntervalMs: 15000,
      usageIntervalMs: 15000,
      adminToken: undefined,
      kubeconfig: undefined,
      limits: {
        maxBodyBytes: 2 * 1024 * 1024,
        maxBatchSize: 50,
        headersTimeoutMs: 10_000,
        requestTimeoutMs: 60_000,
        keepAliveTimeoutMs: 5_000,
        maxRequestsPerSocket: 1000,
        maxConnections: 1024,
        maxConnectionsPerAddress: 128,
        authFailureBurst: 10,
        authFailuresPerMinute: 10,
        trustProxy: false,
      },
    });
  });

  it('resolves relative paths against the directory the root script was started in', () => {
    // `npm start` at the root: turbo runs the API's own script, where npm resets INIT_CWD.
    const config = loadConfig({ INIT_CWD: '/srv/uncloud/apps/api', UNCLOUD_START_DIR: '/srv/uncloud' });
    expect(config.dataDir).toBe('/srv/uncloud/data');
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      PORT: '9000',
      HOST: '0.0.0.0',
      UNCLOUD_DATA_DIR: '/var/lib/uncloud',
      UNCLOUD_SYNC_INTERVAL_MS: '5000',
      UNCLOUD_USAGE_INTERVAL_MS: '30000',
      UNCLOUD_ADMIN_TOKEN: 'a-long-enough-admin-token',
      KUBECONFIG: '/etc/k3s.yaml',
      LOG_LEVEL: 'debug',
      UNCLOUD_MAX_BODY_BYTES: '1048576',
      UNCLOUD_MAX_BATCH_SIZE: '20',
      UNCLOUD_HEADERS_TIMEOUT_MS: '5000',
      UNCLOUD_REQUEST_TIMEOUT_MS: '30000',
      UNCLOUD_KEEP_ALIVE_TIMEOUT_MS: '2000',
      UNCLOUD_MAX_REQUESTS_PER_SOCKET: '0',
      UNCLOUD_MAX_CONNECTIONS: '256',
      UNCLOUD_MAX_CONNECTIONS_PER_ADDRESS: '0',
      UNCLOUD_AUTH_FAILURE_BURST: '5',
      UNCLOUD_AUTH_FAILURES_PER_MINUTE: '2',
      UNCLOUD_TRUST_PROXY: 'true',
    });
    expect(config).toMatchObject({
      port: 9000,
      host: '0.0.0.0',
      databasePath: '/var/lib/uncloud/uncloud.db',
      syncIntervalMs: 5000,
      usageIntervalMs: 30000,
      adminToken: 'a-long-enough-admin-token',
      kubeconfig: '/etc/k3s.yaml',
      logLevel: 'debug',
      limits: {
        maxBodyBytes: 1048576,
        maxBatchSize: 20,
        headersTimeoutMs: 5000,
        requestTimeoutMs: 30000,
        keepAliveTimeoutMs: 2000,
        maxRequestsPerSocket: 0,
        maxConnections: 256,
        maxConnectionsPerAddress: 0,
        authFailureBurst: 5,
        authFailuresPerMinute: 2,
        trustProxy: true,
      },
    });
  });

  it('reports every wrong variable by name, at once', () => {
    expect(() =>
      loadConfig({ PORT: 'eighty', UNCLOUD_SYNC_INTERVAL_MS: '10', UNCLOUD_ADMIN_TOKEN: 'short' }),
    ).toThrowError(
      /Invalid configuration:\n {2}PORT: .+\n {2}UNCLOUD_SYNC_INTERVAL_MS: must be at least 1000 ms\n {2}UNCLOUD_ADMIN_TOKEN: must be at least 16 characters/,
    );
  });

  it('refuses a header timeout longer than the request timeout', () => {
    expect(() =>
      loadConfig({ UNCLOUD_HEADERS_TIMEOUT_MS: '20000', UNCLOUD_REQUEST_TIMEOUT_MS: '10000' }),
    ).toThrowError(/UNCLOUD_HEADERS_TIMEOUT_MS: must not be longer than UNCLOUD_REQUEST_TIMEOUT_MS/);
  });
});

describe('cluster mode', () => {
  const podDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'uncloud-sa-'));
    writeFileSync(join(dir, 'token'), 'a-token');
    return dir;
  };
  const noPod = { serviceAccountDir: '/nonexistent/serviceaccount' };

  it('runs on the embedded cluster with neither KUBECONFIG nor a pod', () => {
    expect(loadConfig({}, noPod).cluster).toEqual({
      mode: 'embedded',
      chosenBy: 'no KUBECONFIG and not in a pod',
    });
  });

  it('manages the cluster of KUBECONFIG when it is set', () => {
    expect(loadConfig({ KUBECONFIG: '/etc/k3s.yaml' }, noPod).cluster).toMatchObject({
      mode: 'kubeconfig',
      kubeconfig: '/etc/k3s.yaml',
    });
  });

  it('uses the service account when running in a pod, before KUBECONFIG', () => {
    const serviceAccountDir = podDir();
    const config = loadConfig(
      { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBECONFIG: '/etc/k3s.yaml' },
      { serviceAccountDir },
    );
    expect(config.cluster).toMatchObject({ mode: 'in-cluster', serviceAccountDir });
    expect(config.cluster.chosenBy).toMatch(/running in a pod/);
  });

  it('does not take a service host without the token for a pod', () => {
    expect(loadConfig({ KUBERNETES_SERVICE_HOST: '10.96.0.1' }, noPod).cluster.mode).toBe('embedded');
  });

  it('follows UNCLOUD_CLUSTER over detection', () => {
    const config = loadConfig(
      { UNCLOUD_CLUSTER: 'embedded', KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBECONFIG: '/etc/k3s.yaml' },
      { serviceAccountDir: podDir() },
    );
    expect(config.cluster).toEqual({ mode: 'embedded', chosenBy: 'UNCLOUD_CLUSTER' });
  });

  it('refuses kubeconfig mode without KUBECONFIG, saying how to choose', () => {
    expect(() => loadConfig({ UNCLOUD_CLUSTER: 'kubeconfig' }, noPod)).toThrowError(
      /UNCLOUD_CLUSTER: kubeconfig needs KUBECONFIG, the path of a kubeconfig file; choose with UNCLOUD_CLUSTER=embedded/,
    );
  });

  it('refuses in-cluster mode outside a pod instead of starting the simulator', () => {
    expect(() => loadConfig({ UNCLOUD_CLUSTER: 'in-cluster' }, noPod)).toThrowError(
      /UNCLOUD_CLUSTER: in-cluster needs KUBERNETES_SERVICE_HOST/,
    );
    expect(() =>
      loadConfig({ UNCLOUD_CLUSTER: 'in-cluster', KUBERNETES_SERVICE_HOST: '10.96.0.1' }, noPod),
    ).toThrowError(/in-cluster needs the service account token \/nonexistent\/serviceaccount\/token/);
  });

  it('names a wrong UNCLOUD_CLUSTER and the orphan share', () => {
    expect(() => loadConfig({ UNCLOUD_CLUSTER: 'k3s', UNCLOUD_ORPHAN_MAX_SHARE: '2' }, noPod)).toThrowError(
      /UNCLOUD_CLUSTER: must be embedded, kubeconfig or in-cluster\n {2}UNCLOUD_ORPHAN_MAX_SHARE: must be between 0 and 1/,
    );
    expect(loadConfig({ UNCLOUD_ORPHAN_MAX_SHARE: '1' }, noPod).orphanMaxShare).toBe(1);
  });

  it('names a wrong UNCLOUD_LB_HEALTH_CHECKS, and leaves it unset to go by the cluster', () => {
    expect(() => loadConfig({ UNCLOUD_LB_HEALTH_CHECKS: 'proxy' }, noPod)).toThrowError(
      /UNCLOUD_LB_HEALTH_CHECKS: must be direct, apiserver-proxy or off/,
    );
    expect(loadConfig({ UNCLOUD_LB_HEALTH_CHECKS: 'off' }, noPod).lbHealthChecks).toBe('off');
    expect(loadConfig({}, noPod).lbHealthChecks).toBeUndefined();
  });
});

describe('the private registry', () => {
  it('offers none until its host is set', () => {
    expect(loadConfig({}).registry).toEqual({ host: undefined, apiUrl: undefined, publicUrl: undefined });
  });

  it("reaches the registry's API at its host unless told otherwise, and takes Uncloud's public URL as the realm's base", () => {
    expect(
      loadConfig({
        UNCLOUD_REGISTRY_HOST: 'registry.example.com',
        UNCLOUD_PUBLIC_URL: 'https://cloud.example.com/',
      }).registry,
    ).toEqual({
      host: 'registry.example.com',
      apiUrl: 'https://registry.example.com',
      publicUrl: 'https://cloud.example.com',
    });
    expect(
      loadConfig({
        UNCLOUD_REGISTRY_HOST: 'registry.example.com:5000',
        UNCLOUD_REGISTRY_URL: 'http://registry.uncloud-system.svc:5000',
      }).registry.apiUrl,
    ).toBe('http://registry.uncloud-system.svc:5000');
  });

  it('names a registry host with a scheme or path, and a public URL that is not one', () => {
    expect(() =>
      loadConfig({
        UNCLOUD_REGISTRY_HOST: 'https://registry.example.com/v2',
        UNCLOUD_PUBLIC_URL: 'cloud.example.com',
      }),
    ).toThrowError(
      /UNCLOUD_PUBLIC_URL: must be an http\(s\) URL\n {2}UNCLOUD_REGISTRY_HOST: must be a host name with an optional port/,
    );
  });

  it('reads how load balancers ask for certificates and redirects, refusing annotations that are not an object of strings', () => {
    expect(loadConfig({}).loadBalancerIngress).toEqual({
      certManagerIssuer: 'letsencrypt',
      redirectAnnotations: undefined,
    });
    expect(
      loadConfig({
        UNCLOUD_CERT_MANAGER_ISSUER: 'acme',
        UNCLOUD_INGRESS_REDIRECT_ANNOTATIONS: '{"nginx.ingress.kubernetes.io/ssl-redirect":"true"}',
      }).loadBalancerIngress,
    ).toEqual({
      certManagerIssuer: 'acme',
      redirectAnnotations: { 'nginx.ingress.kubernetes.io/ssl-redirect': 'true' },
    });
    expect(() => loadConfig({ UNCLOUD_INGRESS_REDIRECT_ANNOTATIONS: '{"a":1}' })).toThrowError(
      /UNCLOUD_INGRESS_REDIRECT_ANNOTATIONS: must be a JSON object of strings/,
    );
  });
});
