// The endpoints and endpointslice controllers: a Service with a selector gets an Endpoints object of
// its name and an EndpointSlice (owned by the Service) listing the pods it selects that have an IP,
// ready ones as addresses and the others as not-ready ones, with the Service's ports resolved
// against each pod's container ports.
import { deepEqual } from '../patch.ts';
import type { StoredObject } from '../types.ts';
import type { Controller, ControllerContext } from './manager.ts';
import { createIgnoringExists, deleteIgnoringMissing, mustType } from './util.ts';

const SERVICES = '/services';
const PODS = '/pods';
const ENDPOINTS = '/endpoints';
const SLICES = 'discovery.k8s.io/endpointslices';
const SERVICE_NAME = 'kubernetes.io/service-name';
const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
const SLICE_MANAGER = 'endpointslice-controller.k8s.io';

interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
  targetPort?: number | string;
  appProtocol?: string;
}

const serviceKey = (ns: string | undefined, name: string | undefined) => `${ns ?? ''}/${name ?? ''}`;

/** Services of the pod's namespace whose selector matches the pod's labels. */
function servicesSelecting(ctx: ControllerContext, pod: StoredObject | undefined): string[] {
  if (!pod) return [];
  const ns = pod.metadata.namespace ?? '';
  return ctx.api.store
    .list(SERVICES, ns)
    .filter((svc) => {
      const selector = svc.spec?.selector as Record<string, string> | undefined;
      return selector && Object.keys(selector).length > 0 && selects(selector, pod);
    })
    .map((svc) => serviceKey(ns, svc.metadata.name));
}

/** A Service selector (equality only) against a pod's labels. */
function selects(selector: Record<string, string>, pod: StoredObject): boolean {
  const labels = pod.metadata.labels ?? {};
  for (const k in selector) if (labels[k] !== selector[k]) return false;
  return true;
}

function isReady(pod: StoredObject): boolean {
  const conditions = (pod.status?.conditions ?? []) as { type: string; status: string }[];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The pod's port for a Service port: its number, or the container port of that name. */
function targetPortOf(port: ServicePort, pod: StoredObject): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  const containers = (pod.spec?.containers ?? []) as { ports?: { name?: string; containerPort: number }[] }[];
  for (const c of containers) {
    const found = c.ports?.find((p) => p.name === target);
    if (found) return found.containerPort;
  }
  return undefined;
}

function targetRef(pod: StoredObject) {
  return {
    kind: 'Pod',
    namespace: pod.metadata.namespace,
    name: pod.metadata.name,
    uid: pod.metadata.uid,
  };
}

export const endpointsController: Controller = {
  name: 'endpoints',
  keysFor(e, ctx) {
    if (e.typeKey === SERVICES) return [serviceKey(e.object.metadata.namespace, e.object.metadata.name)];
    if (e.typeKey !== PODS) return [];
    const keys = new Set([...servicesSelecting(ctx, e.object), ...servicesSelecting(ctx, e.previous)]);
    return [...keys];
  },
  reconcile(key, ctx) {
    const { api } = ctx;
    const [namespace = '', name = ''] = key.split('/');
    const svcType = mustType(api, SERVICES);
    const epType = mustType(api, ENDPOINTS);
    const sliceType = mustType(api, SLICES);
    const svc = api.find(svcType, namespace, name);
    const endpoints = api.find(epType, namespace, name);
    const slices = api.store
      .list(SLICES, namespace)
      .filter(
        (s) =>
          s.metadata.labels?.[SERVICE_NAME] === name && s.metadata.labels?.[MANAGED_BY] === SLICE_MANAGER,
      );
    const selector = svc?.spec?.selector as Record<string, string> | undefined;
    if (!svc || !selector || Object.keys(selector).length === 0) {
      // A Service without a selector has its endpoints managed by someone else.
      if (!svc && endpoints) deleteIgnoringMissing(api, epType, endpoints);
      if (!svc) for (const s of slices) deleteIgnoringMissing(api, sliceType, s);
      return;
    }
    const ports = (svc.spec?.ports ?? []) as ServicePort[];
    const pods = api.store
      .list(PODS, namespace)
      .filter((p) => !p.metadata.deletionTimestamp && p.status?.podIP && selects(selector, p));

    // Endpoints: pods grouped by their resolved ports.
    const subsets = new Map<
      string,
      { addresses: unknown[]; notReadyAddresses: unknown[]; ports: unknown[] }
    >();
    for (const pod of pods) {
      const resolved = ports.flatMap((p) => {
        const port = targetPortOf(p, pod);
        return port === undefined
          ? []
          : [
              {
                ...(p.name ? { name: p.name } : {}),
                port,
                protocol: p.protocol ?? 'TCP',
                ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
              },
            ];
      });
      const portKey = JSON.stringify(resolved);
      let subset = subsets.get(portKey);
      if (!subset) subsets.set(portKey, (subset = { addresses: [], notReadyAddresses: [], ports: resolved }));
      const address = { ip: pod.status?.podIP, nodeName: pod.spec?.nodeName, targetRef: targetRef(pod) };
      (isReady(pod) ? subset.addresses : subset.notReadyAddresses).push(address);
    }
    const wantedSubsets = [...subsets.values()].map((s) => ({
      ...(s.addresses.length > 0 ? { addresses: s.addresses } : {}),
      ...(s.notReadyAddresses.length > 0 ? { notReadyAddresses: s.notReadyAddresses } : {}),
      ...(s.ports.length > 0 ? { ports: s.ports } : {}),
    }));
    const labels = { ...(svc.metadata.labels ?? {}) };
    if (!endpoints) {
      createIgnoringExists(api, epType, namespace, {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name, namespace, labels },
        ...(wantedSubsets.length > 0 ? { subsets: wantedSubsets } : {}),
      });
    } else if (!deepEqual(endpoints.subsets ?? [], wantedSubsets)) {
      const next: StoredObject = { ...endpoints, metadata: { ...endpoints.metadata, labels } };
      if (wantedSubsets.length > 0) next.subsets = wantedSubsets;
      else delete next.subsets;
      api.update(epType, namespace, name, next);
    }

    // EndpointSlice: one per Service, its endpoints with their conditions.
    const first = pods[0];
    const slicePorts = first
      ? ports.flatMap((p) => {
          const port = targetPortOf(p, first);
          return port === undefined
            ? []
            : [
                {
                  name: p.name ?? '',
                  port,
                  protocol: p.protocol ?? 'TCP',
                  ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
                },
              ];
        })
      : [];
    const sliceEndpoints = pods.map((pod) => ({
      addresses: [pod.status?.podIP],
      conditions: { ready: isReady(pod), serving: isReady(pod), terminating: false },
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      targetRef: targetRef(pod),
    }));
    const [slice, ...extra] = slices;
    for (const s of extra) deleteIgnoringMissing(api, sliceType, s);
    if (!slice) {
      api.create(sliceType, namespace, {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          generateName: `${name}-`,
          namespace,
          labels: { ...labels, [SERVICE_NAME]: name, [MANAGED_BY]: SLICE_MANAGER },
          ownerReferences: [
            {
              apiVersion: 'v1',
              kind: 'Service',
              name,
              uid: svc.metadata.uid ?? '',
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        addressType: 'IPv4',
        endpoints: sliceEndpoints,
        ports: slicePorts,
      });
    } else if (
      !deepEqual(slice.endpoints ?? [], sliceEndpoints) ||
      !deepEqual(slice.ports ?? [], slicePorts)
    ) {
      api.update(sliceType, namespace, slice.metadata.name ?? '', {
        ...slice,
        endpoints: sliceEndpoints,
        ports: slicePorts,
      });
    }
  },
};
