// Object validation as the API server does it: names, labels, annotations, and the required and
// immutable fields of the kinds Uncloud writes. Returns the causes; callers raise 422 Invalid.
import { forbiddenField, invalidValue, required } from './causes.ts';
import { validateConfigMap, validateSecret } from './config-validation.ts';
import type { StatusCause } from './errors.ts';
import { validateNetworkPolicy } from './network-validation.ts';
import { duplicateNameCauses, podUpdateCauses, resourceCauses } from './pod-validation.ts';
import { deepEqual } from './patch.ts';
import { pvcUpdateCauses } from './pvc-validation.ts';
import { parseQuantity } from './quantity.ts';
import type { StoredObject, ResourceType } from './types.ts';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

export function validateName(kind: string, name: string, field = 'metadata.name'): StatusCause[] {
  if (kind === 'Namespace') {
    if (name.length > 63) return [invalidValue(field, name, 'must be no more than 63 characters')];
    return DNS1123_LABEL.test(name) ? [] : [invalidValue(field, name, LABEL_MSG)];
  }
  if (kind === 'Service') {
    if (name.length > 63) return [invalidValue(field, name, 'must be no more than 63 characters')];
    return DNS1035_LABEL.test(name) ? [] : [invalidValue(field, name, DNS1035_MSG)];
  }
  if (name.length > 253) return [invalidValue(field, name, 'must be no more than 253 characters')];
  return DNS1123_SUBDOMAIN.test(name) ? [] : [invalidValue(field, name, SUBDOMAIN_MSG)];
}

export function validateQualifiedKey(key: string, field: string): StatusCause[] {
  const parts = key.split('/');
  const name = parts.length === 2 ? (parts[1] as string) : (parts[0] as string);
  const prefix = parts.length === 2 ? parts[0] : undefined;
  const msg =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  if (parts.length > 2) return [invalidValue(field, key, msg)];
  if (
    prefix !== undefined &&
    (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))
  ) {
    return [invalidValue(field, key, `prefix part ${SUBDOMAIN_MSG}`)];
  }
  if (name.length === 0 || name.length > 63)
    return [invalidValue(field, key, 'name part must be no more than 63 characters')];
  return QUALIFIED_NAME.test(name) ? [] : [invalidValue(field, key, msg)];
}

export function validateMetadata(kind: string, obj: StoredObject): StatusCause[] {
  const meta = obj.metadata;
  const causes: StatusCause[] = [];
  if (!meta.name) causes.push(required('metadata.name'));
  else causes.push(...validateName(kind, meta.name));
  for (const [k, v] of Object.entries(meta.labels ?? {})) {
    causes.push(...validateQualifiedKey(k, 'metadata.labels'));
    if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) {
      causes.push(
        invalidValue(
          'metadata.labels',
          v,
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        ),
      );
    }
  }
  let size = 0;
  for (const [k, v] of Object.entries(meta.annotations ?? {})) {
    causes.push(...validateQualifiedKey(k.toLowerCase(), 'metadata.annotations'));
    size += k.length + String(v).length;
  }
  if (size > 256 * 1024)
    causes.push({
      reason: 'FieldValueTooLong',
      field: 'metadata.annotations',
      message: 'Too long: must have at most 262144 bytes',
    });
  return causes;
}

function validateContainers(containers: unknown, field: string): StatusCause[] {
  if (!Array.isArray(containers) || containers.length === 0) return [required(field)];
  const causes: StatusCause[] = [];
  containers.forEach((c: { name?: string; image?: string }, i) => {
    if (!c?.name) causes.push(required(`${field}[${i}].name`));
    else if (!DNS1123_LABEL.test(c.name)) causes.push(invalidValue(`${field}[${i}].name`, c.name, LABEL_MSG));
    if (!c?.image) causes.push(required(`${field}[${i}].image`));
  });
  return [...causes, ...duplicateNameCauses(containers, field), ...resourceCauses(containers, field)];
}

function selectorMatchesTemplate(spec: {
  selector?: { matchLabels?: Record<string, string> };
  template?: { metadata?: { labels?: Record<string, string> } };
}): StatusCause[] {
  if (!spec.selector) return [required('spec.selector')];
  const labels = spec.template?.metadata?.labels ?? {};
  const ok = Object.entries(spec.selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return ok
    ? []
    : [invalidValue('spec.template.metadata.labels', labels, '`selector` does not match template `labels`')];
}

/** Kind-specific checks on a new or updated object (old is set on update). */
/** What a StatefulSet update may change; the API server refuses the rest (volume claims above all). */
const STATEFULSET_MUTABLE = new Set([
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'revisionHistoryLimit',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
]);

function statefulSetSpecChanges(old: Record<string, unknown>, spec: Record<string, unknown>): StatusCause[] {
  const fields = new Set(
    [...Object.keys(old), ...Object.keys(spec)].filter((k) => !STATEFULSET_MUTABLE.has(k)),
  );
  // The selector has its own message above.
  fields.delete('selector');
  const changed = [...fields].some((k) => JSON.stringify(old[k]) !== JSON.stringify(spec[k]));
  return changed
    ? [
        forbiddenField(
          'spec',
          "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ),
      ]
    : [];
}

/**
 * What a Job update may not change (pkg/apis/batch/validation ValidateJobSpecUpdate), in its order:
 * completions (but for Indexed Jobs), the selector, the pod template (unless the Job is suspended:
 * then its scheduling directives and resources may change, which is not modelled), and the rest.
 */
function jobUpdateCauses(old: Record<string, unknown>, spec: Record<string, unknown>): StatusCause[] {
  const same = (a: unknown, b: unknown) => deepEqual(a ?? null, b ?? null);
  const immutable = (field: string) =>
    same(old[field], spec[field])
      ? []
      : [invalidValue(`spec.${field}`, spec[field] ?? null, 'field is immutable')];
  const suspended = old.suspend === true;
  return [
    ...(spec.completionMode === 'Indexed' ? [] : immutable('completions')),
    ...immutable('selector'),
    ...(suspended ? [] : immutable('template')),
    ...immutable('completionMode'),
    ...immutable('podFailurePolicy'),
    ...immutable('backoffLimitPerIndex'),
    ...immutable('managedBy'),
    ...immutable('successPolicy'),
  ];
}

export function validateSpec(type: ResourceType, obj: StoredObject, old?: StoredObject): StatusCause[] {
  const spec = obj.spec ?? {};
  switch (`${type.group}/${type.kind}`) {
    case '/Pod':
      return [
        ...validateContainers(spec.containers, 'spec.containers'),
        ...(old ? podUpdateCauses(old.spec ?? {}, spec) : []),
      ];
    case '/ConfigMap':
      return validateConfigMap(obj, old);
    case '/Secret':
      return validateSecret(obj, old);
    case 'apps/Deployment':
    case 'apps/ReplicaSet':
    case 'apps/StatefulSet': {
      const causes = [
        ...selectorMatchesTemplate(spec),
        ...validateContainers(spec.template?.spec?.containers, 'spec.template.spec.containers'),
      ];
      if (typeof spec.replicas === 'number' && spec.replicas < 0)
        causes.push(invalidValue('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
      if (old && JSON.stringify(old.spec?.selector) !== JSON.stringify(spec.selector)) {
        causes.push(invalidValue('spec.selector', spec.selector, 'field is immutable'));
      }
      if (old && type.kind === 'StatefulSet') causes.push(...statefulSetSpecChanges(old.spec ?? {}, spec));
      return causes;
    }
    case '/Service': {
      const causes: StatusCause[] = [];
      if (
        spec.type !== 'ExternalName' &&
        spec.clusterIP !== 'None' &&
        (!Array.isArray(spec.ports) || spec.ports.length === 0)
      )
        causes.push(required('spec.ports'));
      (Array.isArray(spec.ports) ? spec.ports : []).forEach((p: { port?: unknown }, i: number) => {
        if (typeof p.port !== 'number' || p.port < 1 || p.port > 65535)
          causes.push(
            invalidValue(`spec.ports[${i}].port`, p.port ?? 0, 'must be between 1 and 65535, inclusive'),
          );
      });
      // The server checks the address list (clusterIP is its first), and prints the list.
      if (old?.spec?.clusterIP && spec.clusterIP && spec.clusterIP !== old.spec.clusterIP)
        causes.push(invalidValue('spec.clusterIPs[0]', [spec.clusterIP], 'may not change once set'));
      return causes;
    }
    case '/PersistentVolumeClaim': {
      const causes: StatusCause[] = [];
      if (!Array.isArray(spec.accessModes) || spec.accessModes.length === 0)
        causes.push(required('spec.accessModes'));
      const storage = spec.resources?.requests?.storage;
      if (storage === undefined) causes.push(required('spec.resources[storage]'));
      else if (parseQuantity(String(storage)) === undefined)
        causes.push(
          invalidValue(
            'spec.resources.requests[storage]',
            storage,
            'quantities must match the regular expression',
          ),
        );
      if (old) causes.push(...pvcUpdateCauses(obj, old));
      return causes;
    }
    case 'batch/Job':
      return old ? jobUpdateCauses(old.spec ?? {}, spec) : [];
    case 'networking.k8s.io/NetworkPolicy':
      return validateNetworkPolicy(obj.spec);
    case 'apiextensions.k8s.io/CustomResourceDefinition': {
      const causes: StatusCause[] = [];
      if (!spec.group) causes.push(required('spec.group'));
      if (!spec.names?.plural) causes.push(required('spec.names.plural'));
      if (!spec.names?.kind) causes.push(required('spec.names.kind'));
      if (!Array.isArray(spec.versions) || spec.versions.length === 0) causes.push(required('spec.versions'));
      if (spec.group && spec.names?.plural && obj.metadata.name !== `${spec.names.plural}.${spec.group}`) {
        causes.push(
          invalidValue('metadata.name', obj.metadata.name, `must be spec.names.plural+"."+spec.group`),
        );
      }
      return causes;
    }
    default:
      return [];
  }
}
