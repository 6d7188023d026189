import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../ids.ts';
import { openTestStore } from '../test-store.ts';
import { auditRepository as audit } from './audit.ts';

let t: ReturnType<typeof openTestStore>;
beforeEach(() => {
  t = openTestStore();
});
afterEach(() => t.close());

const insert = (values: {
  procedure: string;
  at?: Date;
  errorCode?: 'FORBIDDEN' | null;
  actorId?: string;
}) => {
  const id = newId('auditEvent');
  audit.insert(t.store.db, {
    id,
    createdAt: values.at ?? new Date(),
    actorId: (values.actorId ?? t.userId) as typeof t.userId,
    procedure: values.procedure,
    projectId: t.projectA,
    errorCode: values.errorCode ?? null,
  });
  return id;
};

describe('the audit log', () => {
  it('pages events of the same millisecond exactly once, newest first', () => {
    const at = new Date();
    const ids = Array.from({ length: 7 }, () => insert({ procedure: 'projects.update', at }));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = audit.list(t.store.db, { limit: 3, cursor });
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect([...seen].sort()).toEqual([...ids].sort());
    expect(new Set(seen).size).toBe(7);
  });

  it("matches a router's procedures only, and names actors that still exist", () => {
    const second = (n: number) => new Date(Date.now() - 10_000 + n * 1000);
    insert({ procedure: 'apps.create', actorId: newId('user'), at: second(1) });
    insert({ procedure: 'appsExtra.create', at: second(2) });
    insert({ procedure: 'apps.delete', errorCode: 'FORBIDDEN', at: second(3) });
    const apps = audit.list(t.store.db, { limit: 10, procedure: 'apps' }).items;
    expect(apps.map((e) => [e.procedure, e.actorName])).toEqual([
      ['apps.delete', 'alice'],
      ['apps.create', null],
    ]);
    expect(audit.list(t.store.db, { limit: 10, outcome: 'error' }).items.map((e) => e.procedure)).toEqual([
      'apps.delete',
    ]);
    expect(audit.list(t.store.db, { limit: 10, projectId: t.projectB }).items).toEqual([]);
  });

  it('prunes by age only', () => {
    const old = insert({ procedure: 'projects.create', at: new Date(Date.now() - 10_000) });
    const kept = insert({ procedure: 'projects.update' });
    expect(audit.prune(t.store.db, new Date(Date.now() - 5_000))).toBe(1);
    expect(audit.list(t.store.db, { limit: 10 }).items.map((e) => e.id)).toEqual([kept]);
    expect(old).not.toBe(kept);
  });
});
