// Validation of ConfigMaps and Secrets as the API server's Go code does it: the 1 MiB limit on
// their data, the keys each Secret type requires, a Secret's type fixed once created, and
// `immutable: true` freezing the data (and itself).
import { forbiddenField, invalidValue, required } from './causes.ts';
import type { StatusCause } from './errors.ts';
import { deepEqual } from './patch.ts';
import type { StoredObject } from './types.ts';

/** api.MaxSecretSize: the most data a ConfigMap or a Secret may hold. */
export const MAX_DATA_BYTES = 1024 * 1024;

const tooLong = (field: string): StatusCause => ({
  reason: 'FieldValueTooLong',
  field,
  message: `Too long: may not be more than ${MAX_DATA_BYTES} bytes`,
});

/** The keys each Secret type must carry (ValidateSecret). */
const REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

function immutableCauses(obj: StoredObject, old: StoredObject | undefined): StatusCause[] {
  if (old?.immutable !== true) return [];
  const rule = 'field is immutable when `immutable` is set';
  const causes: StatusCause[] = [];
  if (obj.immutable !== true) causes.push(forbiddenField('immutable', rule));
  if (!deepEqual(obj.data ?? {}, old.data ?? {})) causes.push(forbiddenField('data', rule));
  if (!deepEqual(obj.binaryData ?? {}, old.binaryData ?? {})) causes.push(forbiddenField('binaryData', rule));
  return causes;
}

export function validateConfigMap(obj: StoredObject, old?: StoredObject): StatusCause[] {
  let size = 0;
  for (const v of Object.values((obj.data ?? {}) as Record<string, string>))
    size += Buffer.byteLength(String(v));
  for (const v of Object.values((obj.binaryData ?? {}) as Record<string, string>))
    size += Buffer.byteLength(String(v), 'base64');
  // The real server names the whole object as the field, printed `[]`.
  return [...(size > MAX_DATA_BYTES ? [tooLong('[]')] : []), ...immutableCauses(obj, old)];
}

export function validateSecret(obj: StoredObject, old?: StoredObject): StatusCause[] {
  const data = (obj.data ?? {}) as Record<string, string>;
  const causes: StatusCause[] = [];
  const type = (obj.type as string | undefined) ?? 'Opaque';
  for (const key of REQUIRED_KEYS[type] ?? [])
    if (data[key] === undefined) causes.push(required(`data[${key}]`));
  if (type === 'kubernetes.io/basic-auth' && data.username === undefined && data.password === undefined)
    causes.push(required('data[username]'), required('data[password]'));
  if (
    type === 'kubernetes.io/service-account-token' &&
    !obj.metadata.annotations?.['kubernetes.io/service-account.name']
  )
    causes.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
  let size = 0;
  for (const v of Object.values(data)) size += Buffer.byteLength(String(v), 'base64');
  if (size > MAX_DATA_BYTES) causes.push(tooLong('data'));
  if (old && (old.type ?? 'Opaque') !== type) causes.push(invalidValue('type', type, 'field is immutable'));
  return [...causes, ...immutableCauses(obj, old)];
}
