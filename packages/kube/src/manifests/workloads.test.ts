import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { sshPublicKeys } from '@uncloud/testing';
import {
  APP_CONTAINER_REQUESTS,
  appManifests,
  deploymentManifest,
  ingressManifest,
  registryHostOf,
  serviceManifest,
  type AppIntent,
} from './app.ts';
import { FSTAB_MARKER, cloudInitUserData, volumeBootScript, volumeMountPath } from './cloud-init.ts';
import { credentialsSecretName, databaseManifests, type DatabaseIntent } from './database.ts';
import {
  CLOUD_INIT_USER_DATA_KEY,
  cloudInitSecretManifest,
  cloudInitSecretName,
  dropletManifests,
  virtualMachineManifest,
  type DropletIntent,
} from './droplet.ts';
import { persistentVolumeClaimManifest } from './volume.ts';
import { ids, projectId } from './fixtures.test-data.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const droplet: DropletIntent = {
  id: ids.droplet as never,
  projectId: projectId as never,
  name: 'web-1',
  size: 's-2vcpu-4gb',
  image: 'ubuntu-24-04',
  userData: null,
  sshPublicKeys: [sshPublicKeys.ed25519.line, sshPublicKeys.rsa.line],
  volumes: [
    { id: ids.volume2, name: 'logs', filesystem: 'xfs' },
    { id: ids.volume, name: 'data', filesystem: 'ext4' },
  ],
  poweredOn: true,
};

describe('droplet → VirtualMachine', () => {
  const vm = virtualMachineManifest(droplet) as Json;
  const spec = vm.spec.template.spec;

  it('names, places and labels the VM and its instances', () => {
    expect(vm).toMatchObject({ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine' });
    expect(vm.metadata).toMatchObject({
      name: 'dpl-0123456789abcdefghij',
      namespace: 'uc-proj-0123456789abcdefghij',
    });
    expect(vm.metadata.labels).toMatchObject({ 'uncloud.dev/kind': 'droplet', 'uncloud.dev/name': 'web-1' });
    expect(vm.spec.template.metadata.labels['uncloud.dev/resource-id']).toBe(ids.droplet);
  });

  it('turns the size into CPU cores and memory', () => {
    expect(spec.domain.cpu).toEqual({ cores: 2 });
    expect(spec.domain.memory).toEqual({ guest: '4096Mi' });
    expect(spec.domain.resources.requests).toEqual({ cpu: '2', memory: '4096Mi' });
  });

  it('boots from a persistent root disk: a DataVolume imported from the image, of the size’s disk, on the storage class', () => {
    const withClass = virtualMachineManifest(droplet, { storageClass: 'fast' }) as Json;
    expect(withClass.spec.template.spec.volumes[0]).toEqual({
      name: 'rootdisk',
      dataVolume: { name: 'dpl-0123456789abcdefghij-root' },
    });
    expect(withClass.spec.dataVolumeTemplates).toEqual([
      {
        metadata: { name: 'dpl-0123456789abcdefghij-root', labels: vm.spec.template.metadata.labels },
        spec: {
          source: { registry: { url: 'docker://quay.io/containerdisks/ubuntu:24.04' } },
          // s-2vcpu-4gb has an 80 GiB disk.
          storage: { resources: { requests: { storage: '80Gi' } }, storageClassName: 'fast' },
        },
      },
    ]);
    expect(JSON.stringify(withClass)).not.toContain('containerDisk');
    // No storage class configured: the cluster's default class.
    expect(vm.spec.dataVolumeTemplates[0].spec.storage).toEqual({
      resources: { requests: { storage: '80Gi' } },
    });
  });

  it('replaces the root disk with the one intent names (a rebuild, a restore) and imports it from its source', () => {
    const rebuilt = virtualMachineManifest({
      ...droplet,
      rootDisk: { name: 'dpl-0123456789abcdefghij-root-2' },
    }) as Json;
    expect(rebuilt.spec.dataVolumeTemplates[0].metadata.name).toBe('dpl-0123456789abcdefghij-root-2');
    expect(rebuilt.spec.template.spec.volumes[0].dataVolume.name).toBe('dpl-0123456789abcdefghij-root-2');
    const fromSnapshot = virtualMachineManifest({
      ...droplet,
      rootDisk: { name: 'copy-root', source: { snapshot: { name: 'vmsnapshot-1-volume-rootdisk' } } },
    }) as Json;
    expect(fromSnapshot.spec.dataVolumeTemplates[0].spec.source).toEqual({
      snapshot: { namespace: 'uc-proj-0123456789abcdefghij', name: 'vmsnapshot-1-volume-rootdisk' },
    });
    const http = virtualMachineManifest({
      ...droplet,
      rootDisk: { source: { http: { url: 'https://images.example/x.qcow2', checksum: 'sha256:00' } } },
    }) as Json;
    // KubeVirt's VM schema has no http.checksum: the checksum goes on the DataVolume as an annotation.
    expect(http.spec.dataVolumeTemplates[0].spec.source).toEqual({
      http: { url: 'https://images.example/x.qcow2' },
    });
    expect(http.spec.dataVolumeTemplates[0].metadata.annotations).toEqual({
      'uncloud.dev/image-checksum': 'sha256:00',
    });
  });

  it('runs or halts with the power state', () => {
    expect(vm.spec.runStrategy).toBe('Always');
    expect((virtualMachineManifest({ ...droplet, poweredOn: false }) as Json).spec.runStrategy).toBe(
      'Halted',
    );
  });

  it('attaches volumes as PVC disks with their id as serial, in a stable order', () => {
    expect(spec.domain.devices.disks.slice(2)).toEqual([
      { name: 'vol-0123456789abcdefghij', serial: '0123456789abcdefghij', disk: { bus: 'virtio' } },
      { name: 'vol-aaaaaaaaaaaaaaaaaaaa', serial: 'aaaaaaaaaaaaaaaaaaaa', disk: { bus: 'virtio' } },
    ]);
    expect(spec.volumes.slice(2)).toEqual([
      { name: 'vol-0123456789abcdefghij', persistentVolumeClaim: { claimName: 'vol-0123456789abcdefghij' } },
      { name: 'vol-aaaaaaaaaaaaaaaaaaaa', persistentVolumeClaim: { claimName: 'vol-aaaaaaaaaaaaaaaaaaaa' } },
    ]);
    expect(virtualMachineManifest({ ...droplet, volumes: [...droplet.volumes].reverse() })).toEqual(vm);
  });

  it('carries hostname and every SSH key in cloud-init, from a Secret of the droplet', () => {
    const secret = cloudInitSecretManifest(droplet) as Json;
    expect(secret).toMatchObject({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'dpl-0123456789abcdefghij-cloud-init', namespace: 'uc-proj-0123456789abcdefghij' },
    });
    expect(secret.metadata.labels).toEqual(vm.metadata.labels);
    const userData = Buffer.from(secret.data[CLOUD_INIT_USER_DATA_KEY] as string, 'base64').toString('utf8');
    expect(userData.startsWith('#cloud-config\n')).toBe(true);
    expect(parse(userData)).toMatchObject({
      hostname: 'web-1',
      ssh_authorized_keys: [sshPublicKeys.ed25519.line, sshPublicKeys.rsa.line],
      ssh_pwauth: false,
    });
  });

  it('formats and mounts every attached volume at /mnt/<name> at boot, found by its disk serial', () => {
    const secret = cloudInitSecretManifest(droplet) as Json;
    const userData = parse(
      Buffer.from(secret.data[CLOUD_INIT_USER_DATA_KEY] as string, 'base64').toString('utf8'),
    ) as { bootcmd: string[][] };
    expect(userData.bootcmd).toEqual([
      [
        'sh',
        '-c',
        volumeBootScript([
          { name: 'logs', serial: 'aaaaaaaaaaaaaaaaaaaa', filesystem: 'xfs' },
          { name: 'data', serial: '0123456789abcdefghij', filesystem: 'ext4' },
        ]),
      ],
    ]);
  });
});

describe('volumes ready to use (cloud-init boot script)', () => {
  const data = { name: 'data', serial: '0123456789abcdefghij', filesystem: 'ext4' } as const;
  const logs = { name: 'logs', serial: 'aaaaaaaaaaaaaaaaaaaa', filesystem: 'xfs' } as const;
  const script = volumeBootScript([data, logs]);

  it('is a valid shell script', () => {
    expect(() => execFileSync('sh', ['-n', '-c', script])).not.toThrow();
  });

  it('formats a blank disk with the volume’s filesystem, never one that holds a filesystem', () => {
    expect(volumeMountPath('data')).toBe('/mnt/data');
    expect(script).toContain('dev=/dev/disk/by-id/virtio-0123456789abcdefghij');
    expect(script).toContain('blkid "$dev" >/dev/null 2>&1 || mkfs.ext4 -q "$dev"');
    expect(script).toContain('blkid "$dev" >/dev/null 2>&1 || mkfs.xfs -q "$dev"');
  });

  it('mounts each at /mnt/<name> through a nofail fstab line, so a missing disk never stops a boot', () => {
    expect(script).toContain(
      `echo "$dev /mnt/data ext4 defaults,nofail,discard,noatime 0 2 ${FSTAB_MARKER}" >> /etc/fstab`,
    );
    expect(script).toContain('mountpoint -q /mnt/logs || mount /mnt/logs');
  });

  it('drops the lines of volumes attached before, so a detached volume is no longer mounted', () => {
    const afterDetach = volumeBootScript([data]);
    expect(afterDetach.split('\n')[1]).toBe(`sed -i '/${FSTAB_MARKER}$/d' /etc/fstab`);
    expect(afterDetach).not.toContain('/mnt/logs');
    expect(volumeBootScript([])).toContain(`sed -i '/${FSTAB_MARKER}$/d' /etc/fstab`);
  });

  it('runs the script in a shell: formats the blank disk, mounts it, and writes the fstab line once', () => {
    // The script's commands, faked in a directory, to run it as a guest would at two boots.
    const dir = mkdtempSync(join(tmpdir(), 'uc-boot-'));
    try {
      const root = (p: string) => join(dir, p);
      mkdirSync(root('dev/disk/by-id'), { recursive: true });
      writeFileSync(root('dev/disk/by-id/virtio-0123456789abcdefghij'), '');
      writeFileSync(
        root('etc-fstab'),
        `UUID=root / ext4 defaults 0 1\n/dev/old /mnt/old ext4 nofail 0 2 ${FSTAB_MARKER}\n`,
      );
      const bin = root('bin');
      mkdirSync(bin);
      const fake = (name: string, body: string) =>
        writeFileSync(join(bin, name), `#!/bin/sh\necho "${name} $*" >> ${root('log')}\n${body}\n`, {
          mode: 0o755,
        });
      fake('blkid', `[ -e "$1.fs" ]`);
      fake('mkfs.ext4', `touch "$2.fs"`);
      fake('mountpoint', 'exit 1');
      fake('mount', '');
      fake('sleep', '');
      const local = volumeBootScript([data])
        .replaceAll('/dev/disk', root('dev/disk'))
        .replaceAll('/etc/fstab', root('etc-fstab'))
        .replaceAll('mkdir -p /mnt/', `mkdir -p ${root('mnt')}/`);
      const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
      execFileSync('sh', ['-c', local], { env });
      execFileSync('sh', ['-c', local], { env });
      const log = readFileSync(root('log'), 'utf8');
      expect(log.match(/^mkfs\.ext4 /gm)).toHaveLength(1);
      expect(log).toMatch(/^mount \/mnt\/data$/m);
      const fstab = readFileSync(root('etc-fstab'), 'utf8');
      expect(fstab).toContain('UUID=root / ext4 defaults 0 1');
      expect(fstab).not.toContain('/mnt/old');
      expect(fstab.match(/\/mnt\/data ext4/g)).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('droplet cloud-init → Secret', () => {
  it('references the Secret from the VM and never puts user data inline', () => {
    const spec = (virtualMachineManifest(droplet) as Json).spec.template.spec;
    expect(spec.volumes[1]).toEqual({
      name: 'cloudinitdisk',
      cloudInitNoCloud: { secretRef: { name: cloudInitSecretName(ids.droplet) } },
    });
  });

  it('takes user data larger than KubeVirt allows inline (64 KiB) into the Secret only', () => {
    const big = `#!/bin/sh\n${'echo 0123456789abcdef\n'.repeat(3000)}`;
    const [secret, vm] = dropletManifests({ ...droplet, userData: big }) as unknown as [Json, Json];
    expect(secret.kind).toBe('Secret');
    expect(vm.kind).toBe('VirtualMachine');
    const decoded = Buffer.from(secret.data[CLOUD_INIT_USER_DATA_KEY] as string, 'base64').toString('utf8');
    expect(decoded).toContain(big);
    expect(JSON.stringify(vm)).not.toContain('0123456789abcdef\\n');
    expect(JSON.stringify(vm).length).toBeLessThan(4096);
  });
});

describe('cloud-init with user data', () => {
  it('keeps the keys and the user data as two parts of one multipart document', () => {
    const script = '#!/bin/sh\necho hello > /tmp/hello\n';
    const doc = cloudInitUserData({
      hostname: 'h',
      sshAuthorizedKeys: [sshPublicKeys.ecdsa.line],
      userData: script,
    });
    const boundary = /boundary="([^"]+)"/.exec(doc)![1]!;
    const parts = doc.split(`--${boundary}`).slice(1, -1);
    expect(parts).toHaveLength(2);
    expect(parts[0]).toContain('Content-Type: text/cloud-config');
    expect(parts[0]).toContain(sshPublicKeys.ecdsa.line);
    expect(parts[1]).toContain('Content-Type: text/x-shellscript');
    expect(parts[1]).toContain(script);
  });

  it('marks a cloud-config of the user as one', () => {
    const doc = cloudInitUserData({
      hostname: 'h',
      sshAuthorizedKeys: [],
      userData: '#cloud-config\npackages: [nginx]\n',
    });
    expect(doc).toMatch(
      /Content-Type: text\/cloud-config; charset="utf-8"\n\n#cloud-config\npackages: \[nginx\]/,
    );
  });
});

describe('volume → PersistentVolumeClaim', () => {
  const volume = {
    id: ids.volume as never,
    projectId: projectId as never,
    name: 'data',
    sizeGiB: 25,
    filesystem: 'xfs' as const,
  };

  it('requests the size in GiB with the configured storage class', () => {
    const pvc = persistentVolumeClaimManifest(volume, { storageClass: 'local-path' }) as Json;
    expect(pvc.spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      volumeMode: 'Filesystem',
      resources: { requests: { storage: '25Gi' } },
      storageClassName: 'local-path',
    });
    expect(pvc.metadata.annotations['uncloud.dev/filesystem']).toBe('xfs');
  });

  it('leaves the storage class to the cluster default when none is configured', () => {
    expect(
      (persistentVolumeClaimManifest(volume, { storageClass: undefined }) as Json).spec,
    ).not.toHaveProperty('storageClassName');
  });
});

describe('app → Deployment + Service + Ingress', () => {
  const app: AppIntent = {
    id: ids.app as never,
    projectId: projectId as never,
    name: 'api',
    image: 'nginx:1.27',
    port: 8080,
    replicas: 3,
    env: { ZED: 'z', ALPHA: 'a' },
    domains: ['www.example.com', 'api.example.com'],
    healthCheckPath: '/healthz',
  };

  it('runs the image with replicas, env (sorted), port, probe and requests', () => {
    const d = deploymentManifest(app) as Json;
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.selector).toEqual({ matchLabels: { 'uncloud.dev/resource-id': ids.app } });
    const container = d.spec.template.spec.containers[0];
    expect(container).toMatchObject({
      image: 'nginx:1.27',
      ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
      env: [
        { name: 'ALPHA', value: 'a' },
        { name: 'ZED', value: 'z' },
      ],
      resources: { requests: APP_CONTAINER_REQUESTS },
    });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 8080 });
    // The selector must match the pod template, or a real API server refuses the Deployment.
    expect(d.spec.template.metadata.labels).toMatchObject(d.spec.selector.matchLabels);
  });

  it('probes the TCP port when there is no health check path', () => {
    expect(
      (deploymentManifest({ ...app, healthCheckPath: null }) as Json).spec.template.spec.containers[0]
        .readinessProbe.tcpSocket,
    ).toEqual({
      port: 8080,
    });
  });

  it('exposes port 80 of a Service onto the app port', () => {
    expect((serviceManifest(app) as Json).spec).toEqual({
      type: 'ClusterIP',
      selector: { 'uncloud.dev/resource-id': ids.app },
      ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
    });
  });

  it('routes every domain to the Service, and has no Ingress without domains', () => {
    const ingress = ingressManifest(app, { ingressClass: 'traefik' }) as Json;
    expect(ingress.spec.ingressClassName).toBe('traefik');
    expect(ingress.spec.rules.map((r: Json) => r.host)).toEqual(['api.example.com', 'www.example.com']);
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({
      name: 'app-0123456789abcdefghij',
      port: { number: 80 },
    });
    expect(appManifests({ ...app, domains: [] }, { ingressClass: undefined }).map((o) => o.kind)).toEqual([
      'Deployment',
      'Service',
    ]);
  });
});

describe('database → CloudNativePG Cluster or StatefulSet', () => {
  const db: DatabaseIntent = {
    id: ids.database as never,
    projectId: projectId as never,
    name: 'main',
    engine: 'postgres',
    version: '16',
    size: 'db-s-2vcpu-4gb',
    nodes: 3,
    storageGiB: 38,
  };

  it('makes PostgreSQL a CNPG Cluster with instances, storage, version, initdb and a managed password', () => {
    const [cluster] = databaseManifests(db) as Json[];
    expect(cluster).toMatchObject({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster' });
    expect(cluster!.spec).toMatchObject({
      instances: 3,
      imageName: 'ghcr.io/cloudnative-pg/postgresql:16',
      storage: { size: '38Gi' },
      resources: { requests: { cpu: '2', memory: '4096Mi' } },
      bootstrap: { initdb: { database: 'app', owner: 'app', secret: { name: credentialsSecretName(db) } } },
      managed: { roles: [{ name: 'app', login: true, passwordSecret: { name: credentialsSecretName(db) } }] },
    });
  });

  it('sizes storage from intent, which can grow past the size', () => {
    const [cluster] = databaseManifests({ ...db, storageGiB: 100 }) as Json[];
    expect(cluster!.spec.storage).toEqual({ size: '100Gi' });
  });

  it('runs engines without an operator as a StatefulSet with a headless Service and the password from a Secret', () => {
    const [sts, svc] = databaseManifests({ ...db, engine: 'mysql', version: '8.4', nodes: 1 }) as Json[];
    expect(sts!.kind).toBe('StatefulSet');
    expect(sts!.spec.replicas).toBe(1);
    const container = sts!.spec.template.spec.containers[0];
    expect(container.image).toBe('mysql:8.4');
    expect(container.env).toContainEqual({
      name: 'MYSQL_PASSWORD',
      valueFrom: { secretKeyRef: { name: credentialsSecretName(db), key: 'password' } },
    });
    expect(sts!.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('38Gi');
    expect(svc).toMatchObject({ kind: 'Service', spec: { clusterIP: 'None', ports: [{ port: 3306 }] } });
  });

  it.each(['mysql', 'valkey'] as const)(
    'runs one %s server for a row stored with more nodes, never independent servers',
    (engine) => {
      const version = engine === 'mysql' ? '8.4' : '8.0';
      const [sts] = databaseManifests({ ...db, engine, version, nodes: 3 }) as Json[];
      expect(sts!.kind).toBe('StatefulSet');
      expect(sts!.spec.replicas).toBe(1);
    },
  );

  it('keeps the volume claim templates of a StatefulSet the same across a rename and a resize', () => {
    // Kubernetes refuses any change to a StatefulSet's volumeClaimTemplates: a template that
    // followed the name would make every rename of a MySQL or Valkey database fail for good.
    for (const engine of ['mysql', 'valkey'] as const) {
      const claims = (intent: DatabaseIntent) =>
        (databaseManifests(intent) as Json[])[0]!.spec.volumeClaimTemplates as Json[];
      const before = claims({ ...db, engine, version: '8.0' });
      const after = claims({
        ...db,
        engine,
        version: '8.0',
        name: 'renamed',
        size: 'db-s-4vcpu-8gb',
        nodes: 5,
      });
      expect(after).toEqual(before);
      expect(before[0]!.metadata.labels).toMatchObject({ 'uncloud.dev/resource-id': ids.database });
    }
  });
});

describe('image references → registry host', () => {
  it('reads the registry as Docker does: a first component with a dot, a port, or localhost', () => {
    expect(registryHostOf('registry.example.com/shop/api:1')).toBe('registry.example.com');
    expect(registryHostOf('localhost:5000/shop/api')).toBe('localhost:5000');
    expect(registryHostOf('localhost/shop/api')).toBe('localhost');
    expect(registryHostOf('nginx:1.27')).toBeUndefined();
    expect(registryHostOf('library/nginx')).toBeUndefined();
    expect(registryHostOf('acme/api@sha256:' + 'a'.repeat(64))).toBeUndefined();
  });
});
