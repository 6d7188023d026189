// meta.k8s.io/v1 Table answers for `kubectl get`: the columns the real server prints per kind.
import type { StoredObject, ResourceType } from './types.ts';

interface Column {
  name: string;
  type: string;
  format?: string;
  priority?: number;
  cell: (o: StoredObject) => unknown;
}

export function humanAge(fromIso: string | undefined, now = Date.now()): string {
  if (!fromIso) return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(fromIso)) / 1000));
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const d = Math.floor(h / 24);
  if (s < 120) return `${s}s`;
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  if (h < 24 * 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

const NAME: Column = { name: 'Name', type: 'string', format: 'name', cell: (o) => o.metadata.name };
const AGE: Column = { name: 'Age', type: 'string', cell: (o) => humanAge(o.metadata.creationTimestamp) };

function podReady(o: StoredObject): string {
  const statuses: { ready?: boolean }[] = o.status?.containerStatuses ?? [];
  const total = (o.spec?.containers ?? []).length;
  return `${statuses.filter((c) => c.ready).length}/${total}`;
}

function podStatus(o: StoredObject): string {
  if (o.metadata.deletionTimestamp) return 'Terminating';
  for (const c of (o.status?.containerStatuses ?? []) as { state?: { waiting?: { reason?: string } } }[]) {
    if (c.state?.waiting?.reason) return c.state.waiting.reason;
  }
  return o.status?.phase ?? 'Pending';
}

/** Restarts of all containers, with the age of the last one (`3 (20s ago)`), as kubectl prints them. */
function podRestarts(o: StoredObject): string {
  let restarts = 0;
  let last = '';
  for (const c of (o.status?.containerStatuses ?? []) as {
    restartCount?: number;
    lastState?: { terminated?: { finishedAt?: string } };
  }[]) {
    restarts += c.restartCount ?? 0;
    const finished = c.lastState?.terminated?.finishedAt ?? '';
    if (finished > last) last = finished;
  }
  return restarts !== 0 && last ? `${restarts} (${humanAge(last)} ago)` : String(restarts);
}

/** `<true>/<all>` of the pod's readiness gates, or `<none>` without any. */
function podReadinessGates(o: StoredObject): string {
  const gates = (o.spec?.readinessGates ?? []) as { conditionType: string }[];
  if (gates.length === 0) return '<none>';
  const conditions = (o.status?.conditions ?? []) as { type: string; status: string }[];
  const met = gates.filter(
    (g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True',
  ).length;
  return `${met}/${gates.length}`;
}

/** The JSONPath of a printer column: fields, `[n]` and `[?(@.type=='Ready')]` (first match). */
function jsonPath(o: unknown, path: string): unknown {
  let cur: unknown = o;
  for (const part of path.replace(/^\./, '').split(/\.(?![^[]*\])/)) {
    const m = /^([^[]+)(?:\[(\d+)\]|\[\?\(@\.(\w+)\s*==\s*['"]([^'"]*)['"]\)\])?$/.exec(part);
    if (!m || cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[m[1] as string];
    if (m[2] !== undefined) cur = Array.isArray(cur) ? cur[Number(m[2])] : undefined;
    if (m[3] !== undefined)
      cur = Array.isArray(cur)
        ? cur.find(
            (x) =>
              typeof x === 'object' && x !== null && (x as Record<string, unknown>)[m[3] as string] === m[4],
          )
        : undefined;
  }
  return cur;
}

const COLUMNS: Record<string, Column[]> = {
  '/Pod': [
    NAME,
    { name: 'Ready', type: 'string', cell: podReady },
    { name: 'Status', type: 'string', cell: podStatus },
    { name: 'Restarts', type: 'string', cell: podRestarts },
    AGE,
    { name: 'IP', type: 'string', priority: 1, cell: (o) => o.status?.podIPs?.[0]?.ip || '<none>' },
    { name: 'Node', type: 'string', priority: 1, cell: (o) => o.spec?.nodeName || '<none>' },
    {
      name: 'Nominated Node',
      type: 'string',
      priority: 1,
      cell: (o) => o.status?.nominatedNodeName || '<none>',
    },
    { name: 'Readiness Gates', type: 'string', priority: 1, cell: podReadinessGates },
  ],
  'apps/Deployment': [
    NAME,
    {
      name: 'Ready',
      type: 'string',
      cell: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`,
    },
    { name: 'Up-to-date', type: 'integer', cell: (o) => o.status?.updatedReplicas ?? 0 },
    { name: 'Available', type: 'integer', cell: (o) => o.status?.availableReplicas ?? 0 },
    AGE,
    {
      name: 'Containers',
      type: 'string',
      priority: 1,
      cell: (o) => (o.spec?.template?.spec?.containers ?? []).map((c: { name: string }) => c.name).join(','),
    },
    {
      name: 'Images',
      type: 'string',
      priority: 1,
      cell: (o) =>
        (o.spec?.template?.spec?.containers ?? []).map((c: { image: string }) => c.image).join(','),
    },
  ],
  'apps/ReplicaSet': [
    NAME,
    { name: 'Desired', type: 'integer', cell: (o) => o.spec?.replicas ?? 0 },
    { name: 'Current', type: 'integer', cell: (o) => o.status?.replicas ?? 0 },
    { name: 'Ready', type: 'integer', cell: (o) => o.status?.readyReplicas ?? 0 },
    AGE,
  ],
  'apps/StatefulSet': [
    NAME,
    {
      name: 'Ready',
      type: 'string',
      cell: (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`,
    },
    AGE,
  ],
  '/Service': [
    NAME,
    { name: 'Type', type: 'string', cell: (o) => o.spec?.type ?? 'ClusterIP' },
    { name: 'Cluster-IP', type: 'string', cell: (o) => o.spec?.clusterIP ?? '<none>' },
    {
      name: 'External-IP',
      type: 'string',
      cell: (o) =>
        (o.status?.loadBalancer?.ingress ?? []).map((i: { ip?: string }) => i.ip).join(',') || '<none>',
    },
    {
      name: 'Port(s)',
      type: 'string',
      cell: (o) =>
        (o.spec?.ports ?? [])
          .map((p: { port: number; protocol?: string }) => `${p.port}/${p.protocol ?? 'TCP'}`)
          .join(',') || '<none>',
    },
    AGE,
  ],
  '/Namespace': [NAME, { name: 'Status', type: 'string', cell: (o) => o.status?.phase ?? '' }, AGE],
  '/PersistentVolumeClaim': [
    NAME,
    { name: 'Status', type: 'string', cell: (o) => o.status?.phase ?? '' },
    { name: 'Volume', type: 'string', cell: (o) => o.spec?.volumeName ?? '' },
    { name: 'Capacity', type: 'string', cell: (o) => o.status?.capacity?.storage ?? '' },
    {
      name: 'Access Modes',
      type: 'string',
      cell: (o) =>
        (o.status?.accessModes ?? [])
          .map((m: string) =>
            m.replace('ReadWriteOnce', 'RWO').replace('ReadWriteMany', 'RWX').replace('ReadOnlyMany', 'ROX'),
          )
          .join(','),
    },
    { name: 'StorageClass', type: 'string', cell: (o) => o.spec?.storageClassName ?? '<unset>' },
    AGE,
  ],
  '/Node': [
    NAME,
    {
      name: 'Status',
      type: 'string',
      cell: (o) =>
        (o.status?.conditions ?? []).some(
          (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
        )
          ? 'Ready'
          : 'NotReady',
    },
    {
      name: 'Roles',
      type: 'string',
      cell: (o) =>
        Object.keys(o.metadata.labels ?? {})
          .filter((l) => l.startsWith('node-role.kubernetes.io/'))
          .map((l) => l.split('/')[1])
          .join(',') || '<none>',
    },
    AGE,
    { name: 'Version', type: 'string', cell: (o) => o.status?.nodeInfo?.kubeletVersion ?? '' },
  ],
  '/Event': [
    {
      name: 'Last Seen',
      type: 'string',
      cell: (o) => humanAge((o.lastTimestamp as string | undefined) ?? o.metadata.creationTimestamp),
    },
    { name: 'Type', type: 'string', cell: (o) => o.type ?? '' },
    { name: 'Reason', type: 'string', cell: (o) => o.reason ?? '' },
    {
      name: 'Object',
      type: 'string',
      cell: (o) => {
        const i = o.involvedObject as { kind?: string; name?: string } | undefined;
        return `${(i?.kind ?? '').toLowerCase()}/${i?.name ?? ''}`;
      },
    },
    { name: 'Message', type: 'string', cell: (o) => o.message ?? '' },
  ],
  'networking.k8s.io/Ingress': [
    NAME,
    { name: 'Class', type: 'string', cell: (o) => o.spec?.ingressClassName ?? '<none>' },
    {
      name: 'Hosts',
      type: 'string',
      cell: (o) => (o.spec?.rules ?? []).map((r: { host?: string }) => r.host ?? '*').join(',') || '*',
    },
    {
      name: 'Address',
      type: 'string',
      cell: (o) => (o.status?.loadBalancer?.ingress ?? []).map((i: { ip?: string }) => i.ip).join(','),
    },
    { name: 'Ports', type: 'string', cell: (o) => ((o.spec?.tls ?? []).length > 0 ? '80, 443' : '80') },
    AGE,
  ],
  'storage.k8s.io/StorageClass': [
    {
      ...NAME,
      cell: (o) =>
        `${o.metadata.name}${o.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true' ? ' (default)' : ''}`,
    },
    { name: 'Provisioner', type: 'string', cell: (o) => o.provisioner ?? '' },
    { name: 'ReclaimPolicy', type: 'string', cell: (o) => o.reclaimPolicy ?? 'Delete' },
    { name: 'VolumeBindingMode', type: 'string', cell: (o) => o.volumeBindingMode ?? 'Immediate' },
    { name: 'AllowVolumeExpansion', type: 'string', cell: (o) => String(o.allowVolumeExpansion ?? false) },
    AGE,
  ],
  '/PersistentVolume': [
    NAME,
    { name: 'Capacity', type: 'string', cell: (o) => o.spec?.capacity?.storage ?? '' },
    { name: 'Reclaim Policy', type: 'string', cell: (o) => o.spec?.persistentVolumeReclaimPolicy ?? '' },
    { name: 'Status', type: 'string', cell: (o) => o.status?.phase ?? '' },
    {
      name: 'Claim',
      type: 'string',
      cell: (o) => (o.spec?.claimRef ? `${o.spec.claimRef.namespace}/${o.spec.claimRef.name}` : ''),
    },
    { name: 'StorageClass', type: 'string', cell: (o) => o.spec?.storageClassName ?? '' },
    AGE,
  ],
  '/Secret': [
    NAME,
    { name: 'Type', type: 'string', cell: (o) => o.type ?? 'Opaque' },
    { name: 'Data', type: 'integer', cell: (o) => Object.keys((o.data as object) ?? {}).length },
    AGE,
  ],
  '/ConfigMap': [
    NAME,
    { name: 'Data', type: 'integer', cell: (o) => Object.keys((o.data as object) ?? {}).length },
    AGE,
  ],
  '/LimitRange': [
    NAME,
    { name: 'Created At', type: 'date', cell: (o) => o.metadata.creationTimestamp ?? '' },
  ],
};

export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  priority?: number;
}

function columnsFor(type: ResourceType, printerColumns: PrinterColumn[] | undefined): Column[] {
  const builtin = COLUMNS[`${type.group}/${type.kind}`];
  if (builtin) return builtin;
  if (printerColumns && printerColumns.length > 0) {
    return [
      NAME,
      ...printerColumns.map((c) => ({
        name: c.name,
        type: c.type === 'date' ? 'string' : c.type,
        priority: c.priority ?? 0,
        cell: (o: StoredObject) => {
          const v = jsonPath(o, c.jsonPath);
          return c.type === 'date' ? humanAge(v as string | undefined) : (v ?? null);
        },
      })),
    ];
  }
  return [NAME, AGE];
}

export function buildTable(
  type: ResourceType,
  objects: StoredObject[],
  opts: {
    includeObject?: string;
    withColumns: boolean;
    resourceVersion?: string;
    continue?: string;
    printerColumns?: PrinterColumn[];
  },
): unknown {
  const cols = columnsFor(type, opts.printerColumns);
  const rowObject = (o: StoredObject) =>
    opts.includeObject === 'None'
      ? undefined
      : opts.includeObject === 'Object'
        ? o
        : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {
      resourceVersion: opts.resourceVersion ?? '',
      ...(opts.continue ? { continue: opts.continue } : {}),
    },
    columnDefinitions: opts.withColumns
      ? cols.map((c) => ({
          name: c.name,
          type: c.type,
          format: c.format ?? '',
          description: c.name,
          priority: c.priority ?? 0,
        }))
      : [],
    rows: objects.map((o) => ({ cells: cols.map((c) => c.cell(o)), object: rowObject(o) })),
  };
}
