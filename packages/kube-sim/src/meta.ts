// Small helpers over object metadata shared by the API layer and the controllers.
import { randomBytes } from 'node:crypto';
import type { StoredObject, OwnerReference } from './types.ts';

/** RFC 3339 time with second precision, as the API server writes timestamps. */
export function nowIso(ms = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const ALNUM = 'bcdfghjklmnpqrstvwxz2456789';

/** The random suffix the API server appends for generateName (5 characters, no vowels). */
export function randomSuffix(n = 5): string {
  const bytes = randomBytes(n);
  let out = '';
  for (const b of bytes) out += ALNUM[b % ALNUM.length];
  return out;
}

export function ownerRef(owner: StoredObject, controller = true): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller,
    blockOwnerDeletion: true,
  };
}

export function isOwnedBy(obj: StoredObject, owner: StoredObject): boolean {
  return (obj.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid);
}

export function controllerOf(obj: StoredObject): OwnerReference | undefined {
  return (obj.metadata.ownerReferences ?? []).find((r) => r.controller);
}

/** Deep copy of a JSON value (objects here are always plain JSON; much faster than structuredClone). */
export function clone<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x: unknown) => clone(x)) as T;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== undefined) out[k] = clone(x);
  return out as T;
}
