// Simulated core controllers: namespace lifecycle, service and ingress load balancers, the
// persistent volume binder (with expansion), and the expiry of Events.
import { parseQuantity } from '../quantity.ts';
import { objKey, splitKey, type Controller } from './manager.ts';
import { createIgnoringExists, deleteIgnoringMissing, emitEvent, mustType, writeStatus } from './util.ts';

export const namespaceController: Controller = {
  name: 'namespace',
  keysFor(e) {
    if (e.typeKey === '/namespaces') return [objKey('/namespaces', '', e.object.metadata.name)];
    const ns = e.object.metadata.namespace;
    return e.type === 'DELETED' && ns ? [objKey('/namespaces', '', ns)] : [];
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
    let remaining = 0;
    for (const type of api.registry.all()) {
      if (!type.namespaced || type.readOnly) continue;
      for (const obj of api.store.list(`${type.group}/${type.plural}`, name)) {
        remaining += 1;
        if (!obj.metadata.deletionTimestamp) deleteIgnoringMissing(api, type, obj);
      }
    }
    if (remaining > 0) return { requeueSteps: 1 };
    api.removeStored(nsType, ns);
  },
};

export const serviceController: Controller = {
  name: 'service',
  keysFor: (e) =>
    e.typeKey === '/services' && e.type !== 'DELETED'
      ? [objKey(e.typeKey, e.object.metadata.namespace, e.object.metadata.name)]
      : [],
  reconcile(key, { api, nodeIp }) {
    const type = mustType(api, '/services');
    const { namespace, name } = splitKey(key);
    const svc = api.find(type, namespace, name);
    if (!svc) return;
    const lb = svc.spec?.type === 'LoadBalancer' ? { ingress: [{ ip: nodeIp, ipMode: 'VIP' }] } : {};
    writeStatus(api, type, svc, { ...(svc.status ?? {}), loadBalancer: lb });
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
  keysFor(e) {
    if (e.typeKey === '/persistentvolumeclaims')
      return [objKey(e.typeKey, e.object.metadata.namespace, e.object.metadata.name)];
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
