import type { KubeVerb } from './errors.ts';
import { type KindName, kinds } from './kinds.ts';

/**
 * Every call Uncloud makes to Kubernetes, per kind, in the gateway's verbs: the one source of the
 * permissions its service account needs (`deploy/rbac.yaml` is checked against `rbacRules()`, and
 * the real tier checks that the gateway never made a call outside this table). The sync engine's
 * informers list and watch every kind it owns or observes. The lease lives in
 * Uncloud's own namespace; everything else in the projects' namespaces, made at run time.
 */
export const uncloudCalls = {
  cluster: {
    Namespace: ['list', 'watch', 'get', 'apply', 'delete'],
    NetworkPolicy: ['list', 'watch', 'get', 'apply', 'delete'],
    ResourceQuota: ['list', 'watch', 'get', 'apply', 'delete'],
    CiliumNetworkPolicy: ['list', 'watch', 'get', 'apply', 'delete'],
    PersistentVolumeClaim: ['list', 'watch', 'get', 'apply', 'delete'],
    Deployment: ['list', 'watch', 'get', 'apply', 'delete'],
    Service: ['list', 'watch', 'get', 'apply', 'delete'],
    // A load balancer's endpoints: the addresses of its target droplets.
    EndpointSlice: ['list', 'watch', 'get', 'apply', 'delete'],
    Ingress: ['list', 'watch', 'get', 'apply', 'delete'],
    StatefulSet: ['list', 'watch', 'get', 'apply', 'delete'],
    // A MySQL or Valkey password reset runs as a Job.
    Job: ['list', 'watch', 'get', 'apply', 'delete'],
    // MySQL and Valkey backups on a schedule.
    CronJob: ['list', 'watch', 'get', 'apply', 'delete'],
    // Why a controller could not create a database's pods (FailedCreate: a quota refused them).
    Event: ['list'],
    // Database credentials are generated into a Secret and read back for their owner.
    Secret: ['list', 'watch', 'get', 'apply', 'delete'],
    Cluster: ['list', 'watch', 'get', 'apply', 'delete'],
    // PostgreSQL backups: taken now, on a schedule, and the schedule's taken in (listed by label).
    Backup: ['list', 'watch', 'get', 'apply', 'delete'],
    ScheduledBackup: ['list', 'watch', 'get', 'apply', 'delete'],
    VirtualMachine: ['list', 'watch', 'get', 'apply', 'delete', 'restart'],
    // The dashboard's serial console and screen (VNC), proxied for project members.
    VirtualMachineInstance: ['list', 'watch', 'get', 'console', 'vnc'],
    // A snapshot's own objects: a droplet's VM snapshot, a volume's CSI snapshot.
    VirtualMachineSnapshot: ['list', 'watch', 'get', 'apply', 'delete'],
    VolumeSnapshot: ['list', 'watch', 'get', 'apply', 'delete'],
    // Restoring a droplet to a snapshot, made once by its action and read until complete.
    VirtualMachineRestore: ['create', 'get'],
    // A droplet's root disk: read for its import's progress; a rebuilt droplet's old disk deleted.
    DataVolume: ['list', 'watch', 'get', 'delete'],
    // A bucket's claim, and an object store user per access key.
    ObjectBucketClaim: ['list', 'watch', 'get', 'apply', 'delete'],
    CephObjectStoreUser: ['list', 'watch', 'get', 'apply', 'delete'],
    // The usage charts, from metrics-server.
    PodMetrics: ['list'],
    // An app's replicas and their logs (recent and followed), read for project members.
    Pod: ['list', 'log'],
  },
  ownNamespace: {
    // Leader election.
    Lease: ['get', 'create', 'update'],
  },
} as const satisfies Record<'cluster' | 'ownNamespace', Partial<Record<KindName, readonly KubeVerb[]>>>;

/**
 * The provisioner's rights (`deploy/components/provisioner`, opt-in): it applies upstream release
 * manifests of any kind (CRDs, webhooks, APIServices, DaemonSets) and their ClusterRoles, which
 * Kubernetes lets only a holder of the same rights create. So it is cluster-admin in all but name;
 * the gateway records its calls apart (`provisionerCallsMade`), and without this role the engine's
 * own calls stay within `uncloudCalls`.
 */
export const provisionerRules = [
  { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
  { nonResourceURLs: ['*'], verbs: ['*'] },
] as const;

/** An RBAC PolicyRule, as a ClusterRole or Role holds it. */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

// KubeVirt serves a VirtualMachine's restart in its own aggregated API group.
const SUBRESOURCE_GROUPS: Partial<Record<KubeVerb, string>> = {
  restart: 'subresources.kubevirt.io',
  console: 'subresources.kubevirt.io',
  vnc: 'subresources.kubevirt.io',
};

/**
 * What RBAC must allow for one gateway verb on a kind: group, resource (or subresource) and the
 * Kubernetes verbs. Server-side apply is a PATCH that creates the object when it is missing, which
 * the API server authorizes as `create` as well.
 */
export const rbacOf = (kind: KindName, verb: KubeVerb): PolicyRule => {
  const info = kinds[kind];
  const group = info.apiVersion.includes('/') ? info.apiVersion.split('/')[0]! : '';
  switch (verb) {
    case 'apply':
      return { apiGroups: [group], resources: [info.plural], verbs: ['create', 'patch'] };
    case 'scale':
      return { apiGroups: [group], resources: [`${info.plural}/scale`], verbs: ['patch'] };
    case 'restart':
      return {
        apiGroups: [SUBRESOURCE_GROUPS.restart!],
        resources: [`${info.plural}/restart`],
        verbs: ['update'],
      };
    case 'console':
    case 'vnc':
      // A WebSocket upgrade of a GET: virt-api authorizes it as `get` on the subresource.
      return {
        apiGroups: [SUBRESOURCE_GROUPS[verb]!],
        resources: [`${info.plural}/${verb}`],
        verbs: ['get'],
      };
    case 'log':
      return { apiGroups: [group], resources: [`${info.plural}/log`], verbs: ['get'] };
    case 'proxy':
      // Only GETs go through the proxy (health checks), which RBAC authorizes as `get`.
      return { apiGroups: [group], resources: [`${info.plural}/proxy`], verbs: ['get'] };
    default:
      return { apiGroups: [group], resources: [info.plural], verbs: [verb] };
  }
};

/**
 * The least RBAC rules that allow every call of `calls`: one rule per (group, resource), verbs
 * sorted, rules sorted by group and resource, so that the YAML can be compared with it.
 */
export const rbacRules = (calls: Partial<Record<KindName, readonly KubeVerb[]>>): PolicyRule[] => {
  const byResource = new Map<string, { group: string; resource: string; verbs: Set<string> }>();
  for (const [kind, verbs] of Object.entries(calls) as [KindName, readonly KubeVerb[]][]) {
    for (const verb of verbs) {
      const rule = rbacOf(kind, verb);
      const key = `${rule.apiGroups[0]}/${rule.resources[0]}`;
      const entry = byResource.get(key) ?? {
        group: rule.apiGroups[0]!,
        resource: rule.resources[0]!,
        verbs: new Set<string>(),
      };
      rule.verbs.forEach((v) => entry.verbs.add(v));
      byResource.set(key, entry);
    }
  }
  return [...byResource.values()]
    .sort((a, b) => a.group.localeCompare(b.group) || a.resource.localeCompare(b.resource))
    .map((e) => ({ apiGroups: [e.group], resources: [e.resource], verbs: [...e.verbs].sort() }));
};

/** Whether the gateway's call (`verb` on `kind`) is one the table declares. */
export const isDeclaredCall = (kind: string, verb: KubeVerb): boolean =>
  Object.values(uncloudCalls).some((table) =>
    ((table as Partial<Record<string, readonly KubeVerb[]>>)[kind] ?? []).includes(verb),
  );
