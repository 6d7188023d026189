import {
  type IntentStore,
  type LoadBalancerRow,
  loadBalancersRepository,
  recordTargetHealth,
} from '@uncloud/db';
import { namespaceName, objectName } from '@uncloud/kube';
import type { TargetHealth } from '@uncloud/sdk';
import { targetDropletIds } from '../kinds/load-balancer.ts';
import { passLookup } from '../kinds/lookup.ts';
import { type ProbeResult, changesHealth, judge } from './judge.ts';
import type { TargetProbe } from './probe.ts';

export interface HealthCheckerOptions {
  store: IntentStore;
  probe: TargetProbe;
  /** Only the leader checks: one checker per installation, as one engine writes the endpoints. */
  isLeader(): boolean;
  /** A load balancer's targets changed health: its EndpointSlice and status follow. */
  changed(row: LoadBalancerRow): void;
  /** How often due checks are looked for (default 250 ms; checks run at their own interval). */
  tickMs?: number;
  /** Checks in flight at once, over every load balancer (default 16). */
  concurrency?: number;
  now?: () => number;
  /** Told once when every check fails to reach the network at once, and once when that ends. */
  networkSuspect?(suspect: boolean, targets: number): void;
}

/** Why a network-level failure was not held against a target (the rule: docs/load-balancers.md). */
export const NETWORK_SUSPECT =
  "not judged: every target of every load balancer went unanswered at once, which points at the checker's own network";

interface Slot {
  dueAt: number;
  running: boolean;
  /** The live judgement, streaks included; written to the row only when it changes what is shown. */
  health?: TargetHealth;
  /** The last check's raw result: whether it got an answer at all. */
  last?: ProbeResult;
}

/**
 * The load balancers' health checker: each running target of each load balancer is checked at its
 * load balancer's interval, with its own check (two load balancers in front of one droplet check it
 * each their way), and judged by the thresholds (`judge`). What it judges is written to the load
 * balancer's `targetHealth`; a change reconciles the load balancer, whose EndpointSlice lists a
 * target ready only while it is healthy. A target that is not running is not checked (it has no
 * address) and its record is dropped: when it comes back, its first check decides again.
 */
export const createHealthChecker = (options: HealthCheckerOptions) => {
  const { store, probe } = options;
  const now = options.now ?? Date.now;
  const concurrency = options.concurrency ?? 16;
  const slots = new Map<string, Slot>();
  /** The check each load balancer's records were judged by: a new check starts them over. */
  const checks = new Map<string, string>();
  const running = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let suspect = false;

  /**
   * The guard against a checker that cannot reach the network: while no check of any target (two
   * at least) has had an answer and the latest got none, a failure says more of the checker than of
   * the target, and pulling every endpoint would take working services down. Such a failure keeps
   * the target's judgement (a new target counts as healthy) with the reason, until some check is
   * answered again. A single target cannot be told apart from its checker: it is judged as usual.
   */
  const guarded = (result: ProbeResult) => {
    const all = [...slots.values()];
    const answered = all.some((s) => s.last && !s.last.network);
    const held = result.network === true && !answered && all.length >= 2;
    const nowSuspect = held && all.every((s) => s.last?.network);
    if (answered && suspect) {
      suspect = false;
      options.networkSuspect?.(false, all.length);
    } else if (nowSuspect && !suspect) {
      suspect = true;
      options.networkSuspect?.(true, all.length);
    }
    return held;
  };

  const write = (id: LoadBalancerRow['id'], edit: (health: Record<string, TargetHealth>) => boolean) => {
    const row = store.transaction((db) => {
      const fresh = loadBalancersRepository.byId(db, id);
      if (!fresh || fresh.state === 'deleting') return undefined;
      const health = { ...fresh.targetHealth };
      if (!edit(health)) return undefined;
      recordTargetHealth(db, id, health);
      return { ...fresh, targetHealth: health };
    });
    if (row) options.changed(row);
  };

  const check = async (row: LoadBalancerRow, slot: Slot, dropletId: string, ip: string, check: string) => {
    const { healthCheck } = row;
    const result: ProbeResult = await probe({
      ip,
      namespace: namespaceName(row.projectId),
      vm: objectName(dropletId),
      port: healthCheck.port,
      protocol: healthCheck.protocol,
      path: healthCheck.path,
      timeoutMs: healthCheck.timeoutSeconds * 1000,
    }).catch((error: unknown) => ({ ok: false, reason: `the check failed: ${(error as Error).message}` }));
    // The check changed while this one ran: its result judges nothing.
    if (checks.get(row.id) !== check) return;
    const before = slot.health ?? row.targetHealth[dropletId];
    slot.last = result;
    const after = guarded(result)
      ? {
          ...(before ?? { since: new Date(now()).toISOString(), streak: 0, lastOk: true }),
          healthy: before?.healthy ?? true,
          reason: `${result.reason}; ${NETWORK_SUSPECT}`,
        }
      : judge(before, result, healthCheck, new Date(now()));
    slot.health = after;
    if (changesHealth(before, after))
      write(row.id, (health) => {
        health[dropletId] = after;
        return true;
      });
  };

  const tick = () => {
    if (!options.isLeader()) return;
    const db = store.db;
    const lookup = passLookup(db);
    const seen = new Set<string>();
    for (const stored of loadBalancersRepository.all(db)) {
      let row = stored;
      if (row.state === 'deleting' || row.deletedAt) continue;
      const key = JSON.stringify(row.healthCheck);
      if (checks.has(row.id) && checks.get(row.id) !== key) {
        for (const slotKey of [...slots.keys()]) if (slotKey.startsWith(`${row.id}/`)) slots.delete(slotKey);
        write(row.id, (health) => {
          const judged = Object.keys(health);
          judged.forEach((id) => delete health[id]);
          return judged.length > 0;
        });
        // What was judged by the old check judges nothing now: the first new check decides.
        row = { ...row, targetHealth: {} };
      }
      checks.set(row.id, key);
      const live = new Set<string>();
      for (const dropletId of targetDropletIds(row, lookup.tagIndex(row.projectId))) {
        const droplet = lookup.droplet(row.projectId, dropletId);
        if (!droplet?.ip || droplet.state !== 'active') continue;
        live.add(dropletId);
        const slotKey = `${row.id}/${dropletId}`;
        seen.add(slotKey);
        const slot = slots.get(slotKey) ?? { dueAt: 0, running: false };
        slots.set(slotKey, slot);
        if (slot.running || slot.dueAt > now() || running.size >= concurrency) continue;
        slot.running = true;
        slot.dueAt = now() + row.healthCheck.intervalSeconds * 1000;
        const done = check(row, slot, dropletId, droplet.ip, key).finally(() => {
          slot.running = false;
          running.delete(done);
        });
        running.add(done);
      }
      // Targets gone, or no longer running: their judgement ends with them.
      if (Object.keys(row.targetHealth).some((id) => !live.has(id)))
        write(row.id, (health) => {
          const gone = Object.keys(health).filter((id) => !live.has(id));
          gone.forEach((id) => delete health[id]);
          return gone.length > 0;
        });
    }
    for (const slotKey of [...slots.keys()]) if (!seen.has(slotKey)) slots.delete(slotKey);
    // Nothing left to check: nothing is unanswered.
    if (suspect && slots.size === 0) {
      suspect = false;
      options.networkSuspect?.(false, 0);
    }
    for (const id of [...checks.keys()])
      if (![...seen].some((k) => k.startsWith(`${id}/`))) checks.delete(id);
  };

  return {
    /** One look for due checks (the timer's; tests call it to step). */
    tick,
    start() {
      timer ??= setInterval(tick, options.tickMs ?? 250);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await Promise.allSettled([...running]);
    },
    /** Checks running now. */
    inFlight: () => running.size,
    /** Whether every check fails to reach the network now (the guard holds their judgements). */
    networkSuspect: () => suspect,
  };
};
