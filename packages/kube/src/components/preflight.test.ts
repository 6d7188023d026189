import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../manifests/meta.ts';
import { k3sInfo, preflightChecks } from './preflight.ts';

const node = (
  name: string,
  version: string,
  allocatable: Record<string, string>,
  controlPlane = false,
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: controlPlane ? { 'node-role.kubernetes.io/control-plane': 'true' } : {} },
  status: {
    allocatable,
    conditions: [{ type: 'Ready', status: 'True' }],
    nodeInfo: { kubeletVersion: version },
    addresses: [{ type: 'InternalIP', address: '10.0.0.5' }],
  },
});
const cls = (name: string, isDefault: boolean): KubeObject => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name, annotations: isDefault ? { 'storageclass.kubernetes.io/is-default-class': 'true' } : {} },
});
const big = { cpu: '8', memory: '32Gi' };
const status = (checks: { id: string; status: string }[], id: string) =>
  checks.find((c) => c.id === id)?.status;

describe('preflight', () => {
  it('passes a fresh single-node k3s with local-path, warning that /dev/kvm is checked once KubeVirt runs', () => {
    const checks = preflightChecks({
      nodes: [node('a', 'v1.32.0+k3s1', big, true)],
      storageClasses: [cls('local-path', true)],
      kubevirtInstalled: false,
      emulation: false,
    });
    expect(status(checks, 'kubernetes-version')).toBe('ok');
    expect(status(checks, 'storage-class')).toBe('ok');
    expect(status(checks, 'capacity')).toBe('ok');
    expect(status(checks, 'virtualization')).toBe('warning');
  });

  it('fails an old Kubernetes, a missing default class, a small cluster and no /dev/kvm, each saying what to do', () => {
    const checks = preflightChecks({
      nodes: [node('a', 'v1.28.3', { cpu: '1', memory: '2Gi' })],
      storageClasses: [cls('slow', false)],
      kubevirtInstalled: true,
      emulation: false,
    });
    expect(checks.filter((c) => c.status === 'failed').map((c) => c.id)).toEqual([
      'kubernetes-version',
      'virtualization',
      'storage-class',
      'capacity',
    ]);
    expect(checks.find((c) => c.id === 'storage-class')?.message).toMatch(
      /install the Storage class component/,
    );
    expect(checks.find((c) => c.id === 'virtualization')?.message).toMatch(/useEmulation/);
  });

  it('accepts /dev/kvm from the device plugin, emulation with a warning, and warns of local-path on many nodes', () => {
    const kvm = { ...big, 'devices.kubevirt.io/kvm': '1k' };
    const nodes = [node('a', 'v1.32.0+k3s1', kvm, true), node('b', 'v1.32.0+k3s1', kvm)];
    const checks = preflightChecks({
      nodes,
      storageClasses: [cls('local-path', true)],
      kubevirtInstalled: true,
      emulation: false,
    });
    expect(status(checks, 'virtualization')).toBe('ok');
    expect(status(checks, 'storage-class')).toBe('warning');
    const emulated = preflightChecks({
      nodes: [node('a', 'v1.32.0', big)],
      storageClasses: [],
      kubevirtInstalled: true,
      emulation: true,
    });
    expect(status(emulated, 'virtualization')).toBe('warning');
  });

  it('detects k3s and gives the pinned install and join commands', () => {
    const info = k3sInfo([node('a', 'v1.32.0+k3s1', big, true)]);
    expect(info.detected).toBe(true);
    expect(info.version).toBe('v1.32.0+k3s1');
    expect(info.installCommand).toBe(
      `curl -sfL https://get.k3s.io | INSTALL_K3S_VERSION=${info.pinnedVersion} sh -s - server --write-kubeconfig-mode 0600`,
    );
    expect(info.joinCommand).toContain('K3S_URL=https://10.0.0.5:6443');
    expect(k3sInfo([node('a', 'v1.31.2', big)]).detected).toBe(false);
  });
});
