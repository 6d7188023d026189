// Simulated core controllers: namespace lifecycle, service and ingress load balancers, the
// persistent volume binder (with expansion), and the expiry of Events.
import { parseQuantity } from '../quantity.ts';
import { allocateLoadBalancerAddress } from './load-balancer.ts';
import { objKey, splitKey, type Controller } from './manager.ts';
import {
  createIgnoringExists,
  deleteIgnoringMissing,
  emitEvent,
  mustType,
  withCondition,
  writeStatus,
  type Condition,
} from './util.ts';

export const namespaceController: Controller = {
  name: 'namespace',
  keysFor(e, { api }) {
    if (e.typeKey === '/namespaces') return [objKey('/namespaces', '', e.object.metadata.name)];
    const ns = e.object.metadata.namespace;
    if (!ns) return [];
    // Content going, or its finalizers changing, in a namespace being deleted.
    if (e.type === 'DELETED' || api.store.get('/namespaces', '', ns)?.metadata.deletionTimestamp)
      return [objKey('/namespaces', '', ns)];
    return [];
  },
  reconcile(key, { api, caPem }) {
    const nsType = mustType(api, '/namespaces');
    const ns = api.find(nsType, '', splitKey(key).name);
    if (!ns) return;
    const name = ns.metadata.name ?? '';
    if (!ns.metadata.deletionTimestamp) {
      // What the service-account and root-CA publishers put in every namespace.
      const sa = mustType(api, '/serviceaccounts');
      if (!api.find(sa, name, 'default'))
        createIgnoringExists(api, sa, name, {
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: { name: 'default' },
        });
      const cm = mustType(api, '/configmaps');
      if (!api.find(cm, name, 'kube-root-ca.crt')) {
        createIgnoringExists(api, cm, name, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name: 'kube-root-ca.crt',
            annotations: {
              'kubernetes.io/description':
                'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc.',
            },
          },
          data: { 'ca.crt': caPem },
        });
      }
      return;
    }
    const remaining = new Map<string, number>();
    const byFinalizer = new Map<string, number>();
    for (const type of api.registry.all()) {
      if (!type.namespaced || type.readOnly) continue;
      const key = `${type.group}/${type.plural}`;
      for (const obj of api.store.list(key, name))
        if (!obj.metadata.deletionTimestamp) deleteIgnoringMissing(api, type, obj);
      for (const obj of api.store.list(key, name)) {
        const label = `${type.plural}.${type.group}`;
        remaining.set(label, (remaining.get(label) ?? 0) + 1);
        for (const f of obj.metadata.finalizers ?? []) byFinalizer.set(f, (byFinalizer.get(f) ?? 0) + 1);
      }
    }
    if (remaining.size === 0) {
      api.removeStored(nsType, ns);
      return;
    }
    writeStatus(api, nsType, ns, {
      ...ns.status,
      conditions: terminatingConditions(ns.status?.conditions, remaining, byFinalizer),
    });
  },
};

/**
 * What the namespace controller reports while content remains (pkg/controller/namespace/deletion
 * status_condition_utils.go): the three failure conditions False, and what is left.
 */
function terminatingConditions(
  existing: Condition[] | undefined,
  remaining: Map<string, number>,
  byFinalizer: Map<string, number>,
): Condition[] {
  const list = (m: Map<string, number>, text: (k: string, n: number) => string) =>
    [...m]
      .map(([k, n]) => text(k, n))
      .sort()
      .join(', ');
  const wanted: Condition[] = [
    {
      type: 'NamespaceDeletionDiscoveryFailure',
      status: 'False',
      reason: 'ResourcesDiscovered',
      message: 'All resources successfully discovered',
    },
    {
      type: 'NamespaceDeletionGroupVersionParsingFailure',
      status: 'False',
      reason: 'ParsedGroupVersions',
      message: 'All legacy kube types successfully parsed',
    },
    {
      type: 'NamespaceDeletionContentFailure',
      status: 'False',
      reason: 'ContentDeleted',
      message: 'All content successfully deleted, may be waiting on finalization',
    },
    {
      type: 'NamespaceContentRemaining',
      status: 'True',
      reason: 'SomeResourcesRemain',
      message: `Some resources are remaining: ${list(remaining, (k, n) => `${k} has ${n} resource instances`)}`,
    },
    byFinalizer.size > 0
      ? {
          type: 'NamespaceFinalizersRemaining',
          status: 'True',
          reason: 'SomeFinalizersRemain',
          message: `Some content in the namespace has finalizers remaining: ${list(byFinalizer, (f, n) => `${f} in ${n} resource instances`)}`,
        }
      : {
          type: 'NamespaceFinalizersRemaining',
          status: 'False',
          reason: 'ContentHasNoFinalizers',
          message: 'All content-preserving finalizers finished',
        },
  ];
  return wanted.reduce<Condition[]>((acc, c) => {
    const prev = acc.find((x) => x.type === c.type);
    if (prev && prev.status === c.status && prev.reason === c.reason && prev.message === c.message)
      return acc;
    return withCondition(acc, c);
  }, existing ?? []);
}

export const serviceController: Controller = {
  name: 'service',
  keysFor: (e) =>
    e.typeKey === '/services' && e.type !== 'DELETED'
      ? [objKey(e.typeKey, e.object.metadata.namespace, e.object.metadata.name)]
      : [],
  reconcile(key, { api }) {
    const type = mustType(api, '/services');
    const { namespace, name } = splitKey(key);
    const svc = api.find(type, namespace, name);
    if (!svc) return;
    const allocation = svc.spec?.type === 'LoadBalancer' ? allocateLoadBalancerAddress(api, svc) : undefined;
    const lb = allocation && 'ip' in allocation ? { ingress: [{ ip: allocation.ip, ipMode: 'VIP' }] } : {};
    const written = writeStatus(api, type, svc, { ...(svc.status ?? {}), loadBalancer: lb });
    // MetalLB's word for an address it may not give: the Service stays pending.
    if (allocation && 'refused' in allocation)
      emitEvent(api, written, 'AllocationFailed', allocation.refused, 'metallb-controller', 'Warning');
  },
};

export const ingressController: Controller = {
  name: 'ingress',
  keysFor: (e) =>
    e.typeKey === 'networking.k8s.io/ingresses' && e.type !== 'DELETED'
      ? [objKey(e.typeKey, e.object.metadata.namespace, e.object.metadata.name)]
      : [],
  reconcile(key, { api, nodeIp }) {
    const type = mustType(api, 'networking.k8s.io/ingresses');
    const { namespace, name } = splitKey(key);
    const ing = api.find(type, namespace, name);
    if (!ing) return;
    writeStatus(api, type, ing, { loadBalancer: { ingress: [{ ip: nodeIp }] } });
  },
};

export const volumeBinder: Controller = {
  name: 'persistentvolume-binder',
  keysFor(e, { api }) {
    if (e.typeKey === '/persistentvolumeclaims')
      return [objKey(e.typeKey, e.object.metadata.namespace, e.object.metadata.name)];
    if (e.typeKey === 'snapshot.storage.k8s.io/volumesnapshots')
      return api.store
        .list('/persistentvolumeclaims', e.object.metadata.namespace)
        .filter(
          (c) =>
            c.spec?.dataSource?.kind === 'VolumeSnapshot' &&
            c.spec.dataSource.name === e.object.metadata.name,
        )
        .map((c) => objKey('/persistentvolumeclaims', c.metadata.namespace, c.metadata.name));
    if (e.typeKey === '/persistentvolumes' && e.type !== 'DELETED') {
      const ref = e.object.spec?.claimRef;
      return ref ? [objKey('/persistentvolumeclaims', ref.namespace, ref.name)] : [];
    }
    return [];
  },
  reconcile(key, { api }) {
    const pvcType = mustType(api, '/persistentvolumeclaims');
    const pvType = mustType(api, '/persistentvolumes');
    const { namespace, name } = splitKey(key);
    const pvc = api.find(pvcType, namespace, name);
    if (!pvc) {
      for (const pv of api.store.list('/persistentvolumes')) {
        const ref = pv.spec?.claimRef;
        if (
          ref?.namespace === namespace &&
          ref?.name === name &&
          pv.spec?.persistentVolumeReclaimPolicy === 'Delete'
        )
          deleteIgnoringMissing(api, pvType, pv);
      }
      return;
    }
    if (pvc.metadata.deletionTimestamp) return;
    const requested = String(pvc.spec?.resources?.requests?.storage ?? '0');
    const className: string | undefined = pvc.spec?.storageClassName;
    if (className && !api.store.get('storage.k8s.io/storageclasses', '', className)) {
      if (pvc.status?.phase !== 'Pending') writeStatus(api, pvcType, pvc, { phase: 'Pending' });
      return;
    }
    // A claim restored from a snapshot is provisioned once the snapshot is ready (external-provisioner).
    const source = pvc.spec?.dataSource;
    if (
      source?.kind === 'VolumeSnapshot' &&
      !pvc.spec?.volumeName &&
      api.store.get('snapshot.storage.k8s.io/volumesnapshots', namespace, String(source.name))?.status
        ?.readyToUse !== true
    ) {
      if (pvc.status?.phase !== 'Pending') writeStatus(api, pvcType, pvc, { phase: 'Pending' });
      return;
    }
    const pvName = pvc.spec?.volumeName ?? `pvc-${pvc.metadata.uid}`;
    let pv = api.find(pvType, '', pvName);
    if (!pv) {
      pv = api.create(pvType, '', {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: {
          name: pvName,
          annotations: { 'pv.kubernetes.io/provisioned-by': 'rancher.io/local-path' },
        },
        spec: {
          capacity: { storage: requested },
          accessModes: pvc.spec?.accessModes ?? ['ReadWriteOnce'],
          persistentVolumeReclaimPolicy: 'Delete',
          storageClassName: className ?? '',
          volumeMode: pvc.spec?.volumeMode ?? 'Filesystem',
          claimRef: {
            kind: 'PersistentVolumeClaim',
            apiVersion: 'v1',
            namespace,
            name,
            uid: pvc.metadata.uid,
            resourceVersion: pvc.metadata.resourceVersion,
          },
          hostPath: {
            path: `/var/lib/rancher/k3s/storage/${pvName}_${namespace}_${name}`,
            type: 'DirectoryOrCreate',
          },
        },
      });
      emitEvent(
        api,
        pvc,
        'ProvisioningSucceeded',
        `Successfully provisioned volume ${pvName}`,
        'rancher.io/local-path',
      );
    }
    if ((parseQuantity(requested) ?? 0) > (parseQuantity(pv.spec?.capacity?.storage) ?? 0)) {
      pv = api.update(pvType, '', pvName, { ...pv, spec: { ...pv.spec, capacity: { storage: requested } } });
    }
    pv = writeStatus(api, pvType, pv, { phase: 'Bound' });
    let bound = pvc;
    if (pvc.spec?.volumeName !== pvName) {
      bound = api.update(pvcType, namespace, name, {
        ...pvc,
        metadata: {
          ...pvc.metadata,
          annotations: {
            ...pvc.metadata.annotations,
            'pv.kubernetes.io/bind-completed': 'yes',
            'pv.kubernetes.io/bound-by-controller': 'yes',
          },
        },
        spec: { ...pvc.spec, volumeName: pvName },
      });
    }
    writeStatus(api, pvcType, bound, {
      phase: 'Bound',
      accessModes: pv.spec?.accessModes,
      capacity: { storage: pv.spec?.capacity?.storage },
    });
  },
};

const EVENT_TTL_MS = 60 * 60_000;

/** Events expire an hour after they were last seen, as the API server's event TTL does. */
export const eventTtl: Controller = {
  name: 'event-ttl',
  keysFor: (e) =>
    e.typeKey === '/events' && e.type === 'ADDED'
      ? [objKey('/events', e.object.metadata.namespace, e.object.metadata.name)]
      : [],
  reconcile(key, { api }) {
    const type = mustType(api, '/events');
    const { namespace, name } = splitKey(key);
    const ev = api.find(type, namespace, name);
    if (!ev) return;
    const seen = Date.parse((ev.lastTimestamp as string | undefined) ?? ev.metadata.creationTimestamp ?? '');
    const left = seen + EVENT_TTL_MS - Date.now();
    if (left > 0) return { requeueAfterMs: left };
    deleteIgnoringMissing(api, type, ev);
  },
};
