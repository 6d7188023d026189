// The admission chain, run on every create and update in the real API server's order: the
// mutating plugins after decoding and defaulting (they may change the object), then the kind's
// validation, then the validating plugins (they may only refuse). Each plugin is one file here.
import type { ObjectApi } from '../object-api.ts';
import type { ResourceType, StoredObject } from '../types.ts';

export interface AdmissionRequest {
  op: 'create' | 'update';
  type: ResourceType;
  object: StoredObject;
  old?: StoredObject;
  /** A dry run: refuse as usual, but change nothing else (no quota usage written). */
  dryRun?: boolean;
}

/** A plugin: changes `object` (mutating) or throws the refusal (both). */
export type Admission = (req: AdmissionRequest, api: ObjectApi) => void;

export interface AdmissionChain {
  mutating: Admission[];
  validating: Admission[];
}

export function runAdmission(plugins: Admission[], req: AdmissionRequest, api: ObjectApi): void {
  for (const plugin of plugins) plugin(req, api);
}

/** Whether the request is for a core/v1 Pod (the kind most plugins act on). */
export const isPod = (type: ResourceType): boolean => type.group === '' && type.kind === 'Pod';
