import { z } from 'zod';

/** Every list can be ordered by creation time (the default) and name. */
const base = ['createdAt', 'name'] as const;
/** Kinds the sync engine reconciles also by their state. */
const reconciled = [...base, 'state'] as const;

/**
 * The columns each kind's list can be ordered by, on the server, so every page follows the order.
 * Sizes sort from small to large as the catalogue lists them; `memory`, `vcpus` and `disk` by the
 * size's figures. Kinds not named here sort by creation time, name and state.
 */
export const listSortKeys = {
  droplet: [...reconciled, 'size', 'memory', 'vcpus', 'disk', 'image'],
  volume: [...reconciled, 'size'],
  app: [...reconciled, 'replicas', 'image'],
  database: [...reconciled, 'engine', 'size', 'nodes'],
  firewall: reconciled,
  loadBalancer: reconciled,
  snapshot: [...reconciled, 'size', 'resource'],
  bucket: [...reconciled, 'size', 'objects'],
  sshKey: base,
  project: base,
} as const;
export type SortableKind = keyof typeof listSortKeys;
export type ListSortKey<K extends SortableKind> = (typeof listSortKeys)[K][number];

/** The sort keys of a kind's list; a kind missing from `listSortKeys` sorts like any reconciled one. */
export const sortKeysOf = (kind: string): readonly string[] =>
  (listSortKeys as Record<string, readonly string[]>)[kind] ?? reconciled;

/** The `sort` field of a kind's list input, whose refusal names the columns it accepts. */
export const sortField = <K extends SortableKind>(kind: K) => {
  const keys = listSortKeys[kind] as unknown as readonly [ListSortKey<K>, ...ListSortKey<K>[]];
  return z.enum(keys, { message: `must be one of ${keys.map((k) => `"${k}"`).join(', ')}` }).optional();
};
