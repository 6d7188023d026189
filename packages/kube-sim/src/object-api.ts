// The API server's write and read semantics over the store: create, update, patch (all four
// formats), status subresource, generation, resourceVersion preconditions, admission.
import { randomUUID } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { runAdmission, type Admission, type AdmissionChain } from './admission/chain.ts';
import { realAdmissionChain } from './admission/plugins.ts';
import { normaliseSecret, prepareForCreate } from './defaults.ts';
import { deleteObject, type DeleteOptions } from './deletion.ts';
import {
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  invalid,
  notFound,
  SimError,
  unsupportedMediaType,
  type StatusCause,
} from './errors.ts';
import { listObjects, type ListOptions, type ListResult } from './list.ts';
import { applyOwnership, updateOwnership } from './managed-fields.ts';
import {
  customCauses,
  decodeObject,
  decodesIntoNew,
  goFormat,
  takeSchemaCauses,
  type Arrival,
} from './schema/admit.ts';
import { clone, nowIso, randomSuffix } from './meta.ts';
import { deepEqual, jsonPatch, mergePatch, patchSchemaOf, strategicMerge } from './patch.ts';
import type { Registry } from './registry.ts';
import { allocateServicePorts } from './service-allocation.ts';
import type { ObjectStore } from './store.ts';
import { apiVersionOf, typeKey, type StoredObject, type ResourceType } from './types.ts';
import { validateMetadata, validateSpec } from './validation.ts';

export type { Admission, AdmissionRequest } from './admission/chain.ts';

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: string;
  force?: boolean;
  subresource?: 'status';
  /** Seeded objects keep the status they are created with. */
  keepStatus?: boolean;
  /** Ownership computed by the caller (server-side apply creating the object). */
  applyOwners?: (created: StoredObject) => StoredObject['metadata']['managedFields'];
  /** Filled with the response's `Warning` header values (unknown fields under Warn). */
  warnings?: string[];
  /** The body was decoded against the schema already (server-side apply creating the object). */
  decoded?: boolean;
  /** The caller does not use the created object (seeding): no copy of it is made. */
  discardResult?: boolean;
  /** Keys the JSON request body repeats (refused under Strict, warned of under Warn). */
  duplicateFields?: string[];
}

/** The kind's own checks, plus the schema's (enum) for fields they do not already speak for. */
function withSchemaCauses(own: StatusCause[], schema: StatusCause[]): StatusCause[] {
  const fields = own.map((c) => c.field ?? '');
  return [...schema.filter((c) => !fields.some((f) => f.startsWith(c.field ?? ''))), ...own];
}

export class ObjectApi {
  /** Bumped to invalidate every continue token issued so far. */
  tokenEpoch = 0;
  /** The admission plugins, mutating then validating, as kube-apiserver runs them. */
  readonly admission: AdmissionChain = realAdmissionChain();
  /** Further mutating plugins the cluster adds, run after the built-in ones. */
  readonly admissions: Admission[] = [];

  constructor(
    readonly store: ObjectStore,
    readonly registry: Registry,
  ) {}

  get(type: ResourceType, namespace: string, name: string): StoredObject {
    const obj = this.store.get(typeKey(type), type.namespaced ? namespace : '', name);
    if (!obj) throw notFound(type, name);
    return clone(obj);
  }

  find(type: ResourceType, namespace: string, name: string): StoredObject | undefined {
    const obj = this.store.get(typeKey(type), type.namespaced ? namespace : '', name);
    return obj ? clone(obj) : undefined;
  }

  list(type: ResourceType, namespace: string | undefined, opts: ListOptions = {}): ListResult {
    return listObjects(this.store, type, type.namespaced ? namespace : undefined, opts, this.tokenEpoch);
  }

  create(type: ResourceType, namespace: string, body: StoredObject, opts: WriteOptions = {}): StoredObject {
    const obj = this.prepareBody(type, namespace, body, opts);
    const meta = obj.metadata;
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomSuffix()}`;
    const schemaCauses = takeSchemaCauses(obj);
    if (type.namespaced) this.checkNamespace(type, namespace, meta.name ?? '');
    normaliseSecret(obj);
    const request = { op: 'create' as const, type, object: obj, dryRun: opts.dryRun === true };
    runAdmission(this.admission.mutating, request, this);
    runAdmission(this.admissions, request, this);
    const causes = [
      ...validateMetadata(type.kind, obj),
      ...withSchemaCauses(validateSpec(type, obj), schemaCauses),
      ...customCauses(type, obj),
      ...(type.group === '' && type.kind === 'Service' ? allocateServicePorts(this.store, obj) : []),
    ];
    if (causes.length > 0) throw invalid(type, meta.name ?? '', causes);
    if (this.store.get(typeKey(type), meta.namespace ?? '', meta.name ?? ''))
      throw alreadyExists(type, meta.name ?? '');
    prepareForCreate(type, obj, this.store, opts.keepStatus === true);
    runAdmission(this.admission.validating, request, this);
    const now = nowIso();
    meta.uid = randomUUID();
    meta.creationTimestamp = now;
    meta.generation = 1;
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    if (opts.applyOwners) meta.managedFields = opts.applyOwners(obj);
    else if (opts.fieldManager) {
      meta.managedFields = updateOwnership(undefined, obj, {
        manager: opts.fieldManager,
        custom: !!type.custom,
        apiVersion: apiVersionOf(type),
        now,
      });
    } else delete meta.managedFields;
    if (opts.dryRun) return obj;
    this.onCrdChange(type, obj);
    const stored = this.store.put(typeKey(type), obj);
    return opts.discardResult ? stored : clone(stored);
  }

  update(
    type: ResourceType,
    namespace: string,
    name: string,
    body: StoredObject,
    opts: WriteOptions = {},
  ): StoredObject {
    const old = this.get(type, namespace, name);
    const next = this.prepareBody(type, namespace, body, opts);
    if (next.metadata.name !== name)
      throw badRequest(
        `the name of the object (${next.metadata.name} based on URL) was undeterminable: name does not match`,
      );
    const rv = next.metadata.resourceVersion;
    if (rv && rv !== old.metadata.resourceVersion) throw conflict(type, name);
    return this.commit(type, old, next, opts, (o, n) =>
      opts.fieldManager ? updateOwnership(o, n, this.ownership(type, opts)) : o.metadata.managedFields,
    );
  }

  patch(
    type: ResourceType,
    namespace: string,
    name: string,
    contentType: string,
    raw: string,
    opts: WriteOptions = {},
  ): StoredObject {
    const mediaType = contentType.split(';')[0]?.trim() ?? '';
    const existing = this.find(type, namespace, name);
    if (mediaType === 'application/apply-patch+yaml')
      return this.apply(type, namespace, name, existing, raw, opts);
    if (!existing) throw notFound(type, name);
    const patched = this.applyPatchDocument(type, existing, contentType, raw);
    const shown = () =>
      mediaType === 'application/strategic-merge-patch+json'
        ? goFormat(JSON.parse(raw))
        : JSON.stringify(patched);
    const next = this.prepareBody(type, namespace, patched as StoredObject, opts, { via: 'patch', shown });
    const rv = next.metadata.resourceVersion;
    if (rv && rv !== existing.metadata.resourceVersion) throw conflict(type, name);
    const manager = opts.fieldManager ?? 'unknown';
    return this.commit(type, existing, next, opts, (o, n) =>
      updateOwnership(o, n, this.ownership(type, { ...opts, fieldManager: manager })),
    );
  }

  /** Apply a JSON, merge or strategic merge patch document to `target` (no storage involved). */
  applyPatchDocument(type: ResourceType, target: unknown, contentType: string, raw: string): unknown {
    const mediaType = contentType.split(';')[0]?.trim() ?? '';
    let patchBody: unknown;
    try {
      patchBody = JSON.parse(raw);
    } catch (e) {
      throw badRequest(`error decoding patch: ${(e as Error).message}`);
    }
    if (mediaType === 'application/merge-patch+json') return mergePatch(target, patchBody);
    if (mediaType === 'application/json-patch+json') return jsonPatch(target, patchBody);
    if (mediaType === 'application/strategic-merge-patch+json') {
      if (type.custom) throw unsupportedMediaType(mediaType);
      return strategicMerge(target, patchBody, patchSchemaOf(type));
    }
    throw unsupportedMediaType(contentType);
  }

  delete(type: ResourceType, namespace: string, name: string, opts: DeleteOptions = {}): StoredObject {
    return deleteObject(this, type, namespace, name, opts);
  }

  /** Write `next` over `old` unless nothing changes; finish a deletion whose finalizers are gone. */
  commit(
    type: ResourceType,
    old: StoredObject,
    nextIn: StoredObject,
    opts: WriteOptions,
    owners: (old: StoredObject, next: StoredObject) => StoredObject['metadata']['managedFields'],
  ): StoredObject {
    let next = nextIn;
    const schemaCauses = takeSchemaCauses(nextIn);
    if (opts.subresource === 'status') {
      next = { ...clone(old), status: next.status };
      // A Deployment's status strategy resets only spec and labels: its controller records the
      // revision annotation through /status (deploymentStatusStrategy.PrepareForUpdate).
      if (type.group === 'apps' && type.kind === 'Deployment')
        next.metadata = { ...clone(nextIn.metadata), labels: clone(old.metadata.labels) };
    } else if (type.subresources.includes('status')) next.status = clone(old.status);
    const meta = next.metadata;
    for (const k of [
      'uid',
      'creationTimestamp',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
      'generation',
    ] as const) {
      if (old.metadata[k] === undefined) delete meta[k];
      else (meta as Record<string, unknown>)[k] = old.metadata[k];
    }
    if (old.metadata.deletionTimestamp) {
      const added = (meta.finalizers ?? []).filter((f) => !(old.metadata.finalizers ?? []).includes(f));
      if (added.length > 0)
        throw forbidden(
          type,
          old.metadata.name ?? '',
          `no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
        );
    }
    normaliseSecret(next);
    const request = { op: 'update' as const, type, object: next, old, dryRun: opts.dryRun === true };
    // The admission plugins leave subresource writes (a status) alone, as the real ones do.
    const plugins = opts.subresource === 'status' ? { mutating: [], validating: [] } : this.admission;
    runAdmission(plugins.mutating, request, this);
    if (opts.subresource !== 'status') runAdmission(this.admissions, request, this);
    if (opts.subresource !== 'status') {
      const causes = [
        ...validateMetadata(type.kind, next),
        ...withSchemaCauses(validateSpec(type, next, old), schemaCauses),
        ...customCauses(type, next, old),
        ...(type.group === '' && type.kind === 'Service' ? allocateServicePorts(this.store, next, old) : []),
      ];
      if (causes.length > 0) throw invalid(type, old.metadata.name ?? '', causes);
    } else {
      const causes = customCauses(type, next, old);
      if (causes.length > 0) throw invalid(type, old.metadata.name ?? '', causes);
    }
    runAdmission(plugins.validating, request, this);
    const strip = (o: StoredObject) => {
      const { metadata, status: _s, ...rest } = o;
      const { resourceVersion: _rv, managedFields: _mf, generation: _g, ...m } = metadata;
      return { ...rest, metadata: m };
    };
    const { metadata: _a, ...restOld } = strip(old);
    const { metadata: _b, ...restNew } = strip(next);
    if (!deepEqual(restOld, restNew)) meta.generation = (old.metadata.generation ?? 0) + 1;
    meta.managedFields = owners(old, next);
    if (!meta.managedFields) delete meta.managedFields;
    meta.resourceVersion = old.metadata.resourceVersion;
    if (deepEqual(old, next)) return old;
    if (opts.dryRun) return next;
    const key = typeKey(type);
    // The last finalizer gone ends the deletion, unless a grace period still runs (a pod the
    // kubelet has not stopped yet).
    if (
      meta.deletionTimestamp &&
      (meta.finalizers ?? []).length === 0 &&
      (meta.deletionGracePeriodSeconds ?? 0) === 0 &&
      type.kind !== 'Namespace'
    ) {
      return this.removeStored(type, next);
    }
    this.onCrdChange(type, next);
    return clone(this.store.put(key, next));
  }

  /** Remove an object for good (its deletion is complete). */
  removeStored(type: ResourceType, obj: StoredObject): StoredObject {
    const removed = this.store.remove(typeKey(type), obj.metadata.namespace ?? '', obj.metadata.name ?? '');
    if (!removed) throw notFound(type, obj.metadata.name ?? '');
    this.onCrdChange(type, removed, true);
    return clone(removed);
  }

  private apply(
    type: ResourceType,
    namespace: string,
    name: string,
    existing: StoredObject | undefined,
    raw: string,
    opts: WriteOptions,
  ): StoredObject {
    let applied: StoredObject;
    try {
      applied = parseYaml(raw) as StoredObject;
    } catch (e) {
      throw badRequest(`error decoding YAML: ${(e as Error).message}`);
    }
    if (!opts.fieldManager)
      throw badRequest('PATCH, application/apply-patch+yaml requires fieldManager to be set');
    if (!applied || typeof applied !== 'object' || !applied.metadata)
      throw badRequest("Object 'metadata' is missing in apply configuration");
    applied.metadata.name ??= name;
    if (applied.metadata.name !== name)
      throw badRequest(
        `the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`,
      );
    // The configuration must fit the kind's schema whatever fieldValidation says.
    decodeObject(
      type,
      { ...clone(applied), apiVersion: apiVersionOf(type), kind: type.kind },
      { via: 'apply', name },
      {},
    );
    const own = { ...this.ownership(type, opts), manager: opts.fieldManager, force: opts.force === true };
    if (!existing) {
      const created = this.prepareBody(type, namespace, clone(applied), opts);
      return this.create(type, namespace, created, {
        ...opts,
        decoded: true,
        applyOwners: (obj) => applyOwnership(undefined, obj, applied, { ...own, now: nowIso() }),
      });
    }
    const merged = (
      type.custom ? mergePatch(existing, applied) : strategicMerge(existing, applied, patchSchemaOf(type))
    ) as StoredObject;
    const next = this.prepareBody(type, namespace, merged, opts);
    const rv = applied.metadata.resourceVersion;
    if (rv && rv !== existing.metadata.resourceVersion) throw conflict(type, name);
    return this.commit(type, existing, next, opts, (o, n) =>
      applyOwnership(o, n, applied, { ...own, now: nowIso() }),
    );
  }

  private ownership(type: ResourceType, opts: WriteOptions) {
    return {
      manager: opts.fieldManager ?? 'unknown',
      custom: !!type.custom,
      apiVersion: apiVersionOf(type),
      now: nowIso(),
      ...(opts.subresource ? { subresource: opts.subresource } : {}),
    };
  }

  private prepareBody(
    type: ResourceType,
    namespace: string,
    body: StoredObject,
    opts: WriteOptions,
    arrival: Arrival = { via: 'body' },
  ): StoredObject {
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw badRequest('the body of the request was not a JSON object');
    const expected = apiVersionOf(type);
    if (body.apiVersion && body.apiVersion !== expected)
      throw badRequest(
        `the API version in the data (${body.apiVersion}) does not match the expected API version (${expected})`,
      );
    if (body.kind && body.kind !== type.kind)
      throw badRequest(`the kind in the data (${body.kind}) does not match the expected kind (${type.kind})`);
    const obj = opts.decoded
      ? body
      : decodeObject(type, decodesIntoNew(type) ? body : clone(body), arrival, opts);
    obj.apiVersion = expected;
    obj.kind = type.kind;
    obj.metadata ??= {};
    if (type.namespaced) {
      if (obj.metadata.namespace && obj.metadata.namespace !== namespace)
        throw badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      obj.metadata.namespace = namespace;
    } else delete obj.metadata.namespace;
    return obj;
  }

  private checkNamespace(type: ResourceType, namespace: string, name: string): void {
    const ns = this.store.get('/namespaces', '', namespace);
    if (!ns)
      throw new SimError(404, 'NotFound', `namespaces "${namespace}" not found`, {
        name: namespace,
        kind: 'namespaces',
      });
    if (ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') {
      throw forbidden(
        type,
        name,
        `unable to create new content in namespace ${namespace} because it is being terminated`,
      );
    }
  }

  /** A CRD's resource is served while the CRD exists; it is Established at once. */
  private onCrdChange(type: ResourceType, obj: StoredObject, removed = false): void {
    if (type.group !== 'apiextensions.k8s.io') return;
    if (removed) {
      const gone = this.registry.syncCrd(obj, false);
      if (gone) this.store.removeType(typeKey(gone));
      return;
    }
    const served = this.registry.syncCrd(obj, true);
    const now = nowIso();
    obj.status = {
      acceptedNames: obj.spec?.names ?? {},
      storedVersions: served ? [served.version] : [],
      conditions: [
        {
          type: 'NamesAccepted',
          status: 'True',
          reason: 'NoConflicts',
          message: 'no conflicts found',
          lastTransitionTime: now,
        },
        {
          type: 'Established',
          status: 'True',
          reason: 'InitialNamesAccepted',
          message: 'the initial names have been accepted',
          lastTransitionTime: now,
        },
      ],
    };
  }
}
