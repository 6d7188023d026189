// OpenAPI v3 documents, enough for `kubectl apply` (server-side field validation is detected from a
// PATCH operation carrying x-kubernetes-group-version-kind and a fieldValidation parameter) and
// `kubectl explain` (schemas with the same extension under components.schemas).
import { createHash } from 'node:crypto';
import { builtinDocument, builtinSchemaName, refName } from './schema/builtin-schemas.ts';
import type { Registry } from './registry.ts';
import type { ObjectStore } from './store.ts';
import type { ResourceType } from './types.ts';

const GROUP_PACKAGE: Record<string, string> = {
  '': 'io.k8s.api.core',
  apps: 'io.k8s.api.apps',
  'networking.k8s.io': 'io.k8s.api.networking',
  'storage.k8s.io': 'io.k8s.api.storage',
  'coordination.k8s.io': 'io.k8s.api.coordination',
  'apiextensions.k8s.io': 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions',
  'metrics.k8s.io': 'io.k8s.metrics.pkg.apis.metrics',
};

export function schemaName(t: ResourceType): string {
  const pkg = GROUP_PACKAGE[t.group] ?? t.group.split('.').reverse().join('.');
  return `${pkg}.${t.version}.${t.kind}`;
}

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** A built-in schema and every schema it references, by name (what `kubectl explain` walks). */
const closures = new Map<string, string[]>();
function schemaClosure(root: string): string[] {
  const hit = closures.get(root);
  if (hit) return hit;
  const all = builtinDocument().schemas;
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name) || !all[name]) return;
    seen.add(name);
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) {
          if (k === '$ref' && typeof x === 'string') visit(refName(x));
          else walk(x);
        }
    };
    walk(all[name]);
  };
  visit(root);
  const names = [...seen];
  closures.set(root, names);
  return names;
}

function kindSchema(t: ResourceType, crdSchema: unknown): Record<string, unknown> {
  const base: Record<string, unknown> =
    crdSchema && typeof crdSchema === 'object'
      ? { ...(crdSchema as Record<string, unknown>) }
      : {
          description: `${t.kind} is served by the Uncloud simulated cluster.`,
          type: 'object',
          properties: {
            spec: {
              description: `Specification of the ${t.kind}.`,
              type: 'object',
              'x-kubernetes-preserve-unknown-fields': true,
            },
            status: {
              description: `Most recently observed status of the ${t.kind}.`,
              type: 'object',
              'x-kubernetes-preserve-unknown-fields': true,
            },
          },
        };
  const props = { ...((base.properties as Record<string, unknown>) ?? {}) };
  props.apiVersion = {
    description: 'APIVersion defines the versioned schema of this representation of an object.',
    type: 'string',
  };
  props.kind = {
    description: 'Kind is a string value representing the REST resource this object represents.',
    type: 'string',
  };
  props.metadata = {
    description: "Standard object's metadata.",
    allOf: [{ $ref: `#/components/schemas/${OBJECT_META}` }],
    default: {},
  };
  return {
    ...base,
    type: 'object',
    properties: props,
    'x-kubernetes-group-version-kind': [{ group: t.group, kind: t.kind, version: t.version }],
  };
}

export function openApiRoot(registry: Registry, store: ObjectStore): unknown {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  const gvs = [{ group: '', version: 'v1' }, ...registry.groupVersions()];
  for (const { group, version } of gvs) {
    const p = gvPath(group, version);
    const hash = createHash('sha256')
      .update(`${p}:${store.resourceVersion}`)
      .digest('hex')
      .slice(0, 32)
      .toUpperCase();
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hash}` };
  }
  return { paths };
}

function crdSchemaFor(store: ObjectStore, t: ResourceType): unknown {
  if (!t.custom) return undefined;
  const crd = store.get('apiextensions.k8s.io/customresourcedefinitions', '', `${t.plural}.${t.group}`);
  const versions: { name: string; schema?: { openAPIV3Schema?: unknown } }[] = crd?.spec?.versions ?? [];
  return versions.find((v) => v.name === t.version)?.schema?.openAPIV3Schema;
}

export function openApiGroupVersion(
  registry: Registry,
  store: ObjectStore,
  group: string,
  version: string,
): unknown | undefined {
  const types = registry.all().filter((t) => t.group === group && t.version === version && !t.readOnly);
  if (types.length === 0 && !registry.all().some((t) => t.group === group && t.version === version))
    return undefined;
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {
    [OBJECT_META]: {
      description: 'ObjectMeta is metadata that all persisted resources must have.',
      type: 'object',
      properties: {
        name: { type: 'string', description: 'Name must be unique within a namespace.' },
        namespace: {
          type: 'string',
          description: 'Namespace defines the space within which each name must be unique.',
        },
        labels: {
          type: 'object',
          additionalProperties: { type: 'string', default: '' },
          description: 'Map of string keys and values.',
        },
        annotations: {
          type: 'object',
          additionalProperties: { type: 'string', default: '' },
          description: 'Annotations is an unstructured key value map.',
        },
      },
    },
  };
  for (const t of types) {
    // A built-in kind is described by the real API server's own schemas (captured in builtin.json).
    const builtin = builtinSchemaName(t);
    const name = builtin ?? schemaName(t);
    if (builtin) for (const n of schemaClosure(builtin)) schemas[n] = builtinDocument().schemas[n];
    else schemas[name] = kindSchema(t, crdSchemaFor(store, t));
    const gvk = { group: t.group, version: t.version, kind: t.kind };
    const prefix = `/${gvPath(group, version)}${t.namespaced ? '/namespaces/{namespace}' : ''}/${t.plural}`;
    const ref = { $ref: `#/components/schemas/${name}` };
    const content = { 'application/json': { schema: ref } };
    const params = ['dryRun', 'fieldManager', 'fieldValidation', 'force', 'pretty'].map((n) => ({
      name: n,
      in: 'query',
      schema: { type: n === 'force' ? 'boolean' : 'string', uniqueItems: true },
    }));
    paths[`${prefix}/{name}`] = {
      get: {
        operationId: `read${t.kind}`,
        'x-kubernetes-action': 'get',
        'x-kubernetes-group-version-kind': gvk,
        responses: { '200': { content } },
      },
      put: {
        operationId: `replace${t.kind}`,
        'x-kubernetes-action': 'put',
        'x-kubernetes-group-version-kind': gvk,
        parameters: params,
        requestBody: { content },
        responses: { '200': { content } },
      },
      patch: {
        operationId: `patch${t.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': gvk,
        parameters: params,
        requestBody: {
          content: {
            'application/apply-patch+yaml': { schema: { type: 'object' } },
            'application/merge-patch+json': { schema: { type: 'object' } },
          },
        },
        responses: { '200': { content } },
      },
      delete: {
        operationId: `delete${t.kind}`,
        'x-kubernetes-action': 'delete',
        'x-kubernetes-group-version-kind': gvk,
        responses: { '200': { content } },
      },
    };
    paths[prefix] = {
      get: {
        operationId: `list${t.kind}`,
        'x-kubernetes-action': 'list',
        'x-kubernetes-group-version-kind': gvk,
        responses: { '200': {} },
      },
      post: {
        operationId: `create${t.kind}`,
        'x-kubernetes-action': 'post',
        'x-kubernetes-group-version-kind': gvk,
        parameters: params,
        requestBody: { content },
        responses: { '201': { content } },
      },
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    components: { schemas },
  };
}

export function gvOfOpenApiPath(parts: string[]): { group: string; version: string } | undefined {
  if (parts[0] !== 'v3') return undefined;
  if (parts[1] === 'api' && parts[2]) return { group: '', version: parts[2] };
  if (parts[1] === 'apis' && parts[2] && parts[3]) return { group: parts[2], version: parts[3] };
  return undefined;
}
