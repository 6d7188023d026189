// Parse a request path into what it addresses: discovery, a resource collection or object, a
// subresource, or a watch. Query strings never take part (kubectl adds timeout=32s everywhere).

export interface ResourceRoute {
  group: string;
  version: string;
  namespace?: string;
  plural: string;
  name?: string;
  subresource?: string;
  /** What follows `proxy` (`pods/{name}:{port}/proxy/{path}`): the path asked of the pod. */
  proxyPath?: string;
  watchPath: boolean;
}

export type Route =
  | { kind: 'version' }
  | { kind: 'api' }
  | { kind: 'apis' }
  | { kind: 'groupVersion'; group: string; version: string }
  | { kind: 'group'; group: string }
  | { kind: 'resource'; route: ResourceRoute }
  | { kind: 'openapi'; path: string[] }
  | { kind: 'health' }
  | { kind: 'unknown' };

export function parseRoute(pathname: string): Route {
  const parts = pathname
    .split('/')
    .filter((p) => p.length > 0)
    .map(decodeURIComponent);
  if (parts.length === 0) return { kind: 'unknown' };
  const [head] = parts;
  if (head === 'version' && parts.length === 1) return { kind: 'version' };
  if (head === 'healthz' || head === 'readyz' || head === 'livez') return { kind: 'health' };
  if (head === 'openapi') return { kind: 'openapi', path: parts.slice(1) };
  if (head === 'api') {
    if (parts.length === 1) return { kind: 'api' };
    if (parts.length === 2) return { kind: 'groupVersion', group: '', version: parts[1] as string };
    return resourceRoute('', parts[1] as string, parts.slice(2));
  }
  if (head === 'apis') {
    if (parts.length === 1) return { kind: 'apis' };
    if (parts.length === 2) return { kind: 'group', group: parts[1] as string };
    if (parts.length === 3)
      return { kind: 'groupVersion', group: parts[1] as string, version: parts[2] as string };
    return resourceRoute(parts[1] as string, parts[2] as string, parts.slice(3));
  }
  return { kind: 'unknown' };
}

function resourceRoute(group: string, version: string, restIn: string[]): Route {
  let rest = restIn;
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  const base = { group, version, watchPath };
  if (
    rest[0] === 'namespaces' &&
    rest.length >= 3 &&
    !(group === '' && rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))
  ) {
    const [, namespace, plural, name, subresource, ...extra] = rest;
    if (subresource === 'proxy' && plural === 'pods' && group === '')
      return {
        kind: 'resource',
        route: { ...base, namespace, plural, name, subresource, proxyPath: `/${extra.join('/')}` },
      };
    if (extra.length > 0) return { kind: 'unknown' };
    return { kind: 'resource', route: { ...base, namespace, plural: plural as string, name, subresource } };
  }
  const [plural, name, subresource, ...extra] = rest;
  if (!plural || extra.length > 0) return { kind: 'unknown' };
  return { kind: 'resource', route: { ...base, plural, name, subresource } };
}
