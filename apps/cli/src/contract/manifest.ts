import { idKinds, type IdKind } from '@uncloud/sdk';
import type { JsonSchema, Manifest, ProcedureSpec } from './manifest-types.ts';
import procedures from './procedures.json' with { type: 'json' };

export type { JsonSchema, Manifest, ProcedureSpec };

/** The contract as the CLI carries it (see scripts/manifest.ts, which writes it from the router). */
export const manifest = procedures as Manifest;

const kindByPrefix = new Map<string, IdKind>(
  Object.entries(idKinds).map(([kind, info]) => [info.prefix, kind as IdKind]),
);

/** The kind of id a string field holds, from its pattern (`^dpl_[0-9a-z]{20}$` → `droplet`). */
export const idKindOf = (schema: JsonSchema): IdKind | undefined => {
  const prefix = /^\^([a-z]+)_\[0-9a-z\]\{\d+\}\$$/.exec(schema.pattern ?? '')?.[1];
  return prefix ? kindByPrefix.get(prefix) : undefined;
};

/** The router holding a kind's resources: `sshKey` → `sshKeys`. */
export const groupOfKind = (kind: IdKind) => `${kind}s`;

/** The singular label of a kind for messages ("SSH key"). */
export const labelOf = (kind: IdKind) => idKinds[kind].label;
