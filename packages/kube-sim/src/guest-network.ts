// What the simulated guests answer on the network. A real VM answers on the ports its programs
// listen on; a simulated one has no programs, so it is told: by default a running guest accepts
// connections on every TCP port and answers HTTP(S) requests with 200 (a stock web server), and
// `serve(namespace, vm, port, answer)` changes what one port does — closed (connection refused),
// silent (accepts, never answers: a hung process) or an HTTP status. What a guest was told lasts as
// long as its instance: a restarted VM is a new boot, with the defaults again.
//
// Nothing of this shows in any object. It is reached the way a health checker reaches a target,
// by address: `probe({ ip, port, protocol, path })` finds the running instance holding that pod
// address and answers as it would.
import type { ObjectApi } from './object-api.ts';
import type { StoredObject } from './types.ts';

/** What one port of a guest does. */
export type PortAnswer = { kind: 'closed' } | { kind: 'silent' } | { kind: 'http'; status: number };

export interface GuestProbe {
  ip: string;
  port: number;
  protocol: 'tcp' | 'http' | 'https';
  path?: string | null;
  timeoutMs?: number;
}

export interface GuestProbeResult {
  ok: boolean;
  reason: string;
}

const VMIS = 'kubevirt.io/virtualmachineinstances';

const ipsOf = (vmi: StoredObject) =>
  ((vmi.status?.interfaces ?? []) as { ipAddress?: string; ipAddresses?: string[] }[]).flatMap((i) => [
    ...(i.ipAddress ? [i.ipAddress] : []),
    ...(i.ipAddresses ?? []),
  ]);

export class GuestNetwork {
  /** By instance uid, then port. */
  private readonly answers = new Map<string, Map<number, PortAnswer>>();

  constructor(private readonly api: ObjectApi) {}

  private running(namespace: string, vmName: string): StoredObject {
    const vmi = this.api.store.get(VMIS, namespace, vmName);
    if (!vmi || vmi.status?.phase !== 'Running' || vmi.metadata.deletionTimestamp)
      throw new Error(`the guest of ${namespace}/${vmName} is not running`);
    return vmi;
  }

  /** Makes a running guest's port answer so (`undefined`: back to the default). */
  serve(namespace: string, vmName: string, port: number, answer: PortAnswer | undefined): void {
    const uid = this.running(namespace, vmName).metadata.uid ?? '';
    const ports = this.answers.get(uid) ?? new Map<number, PortAnswer>();
    if (answer) ports.set(port, answer);
    else ports.delete(port);
    this.answers.set(uid, ports);
  }

  /** What a port of a running guest does now. */
  answer(vmi: StoredObject, port: number): PortAnswer {
    return this.answers.get(vmi.metadata.uid ?? '')?.get(port) ?? { kind: 'http', status: 200 };
  }

  /**
   * What the API server's pod proxy gets from `port` of the guest holding `ip` (a VM's launcher
   * pod address): the guest's HTTP status, or the dial error the API server reports (refused, or
   * a timeout for a guest that never answers).
   */
  proxy(ip: string, port: number): { status: number } | { error: string } {
    const vmi = this.byIp(ip);
    const dial = `dial tcp ${ip}:${port}`;
    if (!vmi) return { error: `${dial}: i/o timeout` };
    const answer = this.answer(vmi, port);
    if (answer.kind === 'closed') return { error: `${dial}: connect: connection refused` };
    if (answer.kind === 'silent') return { error: `${dial}: i/o timeout` };
    return { status: answer.status };
  }

  private byIp(ip: string): StoredObject | undefined {
    return this.api.store
      .list(VMIS)
      .find((v) => v.status?.phase === 'Running' && !v.metadata.deletionTimestamp && ipsOf(v).includes(ip));
  }

  /** Checks a guest by address as a load balancer's health checker would. */
  probe(target: GuestProbe): GuestProbeResult {
    const timeout = `no answer on port ${target.port} within ${(target.timeoutMs ?? 5000) / 1000} s`;
    const vmi = this.byIp(target.ip);
    // Nobody holds the address: a real check would wait for its timeout.
    if (!vmi) return { ok: false, reason: timeout };
    const answer = this.answer(vmi, target.port);
    if (answer.kind === 'closed') return { ok: false, reason: `connection refused on port ${target.port}` };
    if (target.protocol === 'tcp') return { ok: true, reason: `TCP port ${target.port} accepts connections` };
    if (answer.kind === 'silent') return { ok: false, reason: timeout };
    const path = target.path ?? '/';
    return {
      ok: answer.status >= 200 && answer.status < 400,
      reason: `${target.protocol.toUpperCase()} ${answer.status} from ${path}`,
    };
  }
}
