// The subresources.kubevirt.io/v1 actions virtctl uses: start, stop and restart a VirtualMachine.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { conflict, notFoundPath } from './errors.ts';
import type { ObjectApi } from './object-api.ts';
import type { ResourceRoute } from './routes.ts';

export const KUBEVIRT_SUBRESOURCES = 'subresources.kubevirt.io';

export function kubevirtSubresourceList(): unknown {
  const entry = (name: string) => ({
    name: `virtualmachines/${name}`,
    singularName: '',
    namespaced: true,
    kind: '',
    verbs: ['update'],
  });
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: `${KUBEVIRT_SUBRESOURCES}/v1`,
    resources: [
      ...['start', 'stop', 'restart'].map(entry),
      // The serial console and the screen, WebSockets (kubevirt-console.ts), as virt-api lists them.
      ...['console', 'vnc'].map((sub) => ({
        name: `virtualmachineinstances/${sub}`,
        singularName: '',
        namespaced: true,
        kind: '',
        verbs: ['get'],
      })),
    ],
  };
}

/** PUT .../virtualmachines/<name>/{start,stop,restart}: change the run strategy as virt-api does. */
export function handleKubevirtSubresource(
  api: ObjectApi,
  req: IncomingMessage,
  res: ServerResponse,
  route: ResourceRoute,
): void {
  const vmType = api.registry.get('kubevirt.io/virtualmachines');
  const action = route.subresource;
  if (
    !vmType ||
    route.version !== 'v1' ||
    route.plural !== 'virtualmachines' ||
    !route.name ||
    !action ||
    !['start', 'stop', 'restart'].includes(action)
  )
    throw notFoundPath();
  if (req.method !== 'PUT') throw notFoundPath();
  const ns = route.namespace ?? '';
  const vm = api.get(vmType, ns, route.name);
  const strategy = vm.spec?.runStrategy as string | undefined;
  if (action === 'start') {
    if (strategy === 'Always') throw conflict(vmType, route.name, 'VM is already running');
    api.update(vmType, ns, route.name, {
      ...vm,
      spec: { ...vm.spec, runStrategy: 'Always', running: undefined },
    });
  } else if (action === 'stop') {
    if (strategy === 'Halted') throw conflict(vmType, route.name, 'VM is not running');
    api.update(vmType, ns, route.name, {
      ...vm,
      spec: { ...vm.spec, runStrategy: 'Halted', running: undefined },
    });
  } else {
    const vmiType = api.registry.get('kubevirt.io/virtualmachineinstances');
    const vmi = vmiType && api.find(vmiType, ns, route.name);
    if (!vmiType || !vmi) throw conflict(vmType, route.name, 'VM is not running');
    api.delete(vmiType, ns, route.name);
  }
  res.writeHead(202, { 'Content-Length': '0' });
  res.end();
}
