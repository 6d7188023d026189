// The API server's own metrics at /metrics, in the Prometheus text format (prom-client), with the
// names and labels kube-apiserver uses: requests served by verb, resource and code, and the objects
// stored per resource.
import type { ServerResponse } from 'node:http';
import { Counter, Gauge, Registry } from 'prom-client';
import type { ResourceRoute } from './routes.ts';
import type { ObjectStore } from './store.ts';
import { qualifiedResource, type ResourceType } from './types.ts';

const VERBS: Record<string, string> = {
  get: 'GET',
  list: 'LIST',
  watch: 'WATCH',
  create: 'POST',
  update: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
  deletecollection: 'DELETE',
};

export class ApiMetrics {
  private readonly registry = new Registry();
  private readonly requests: Counter;

  constructor(store: ObjectStore, types: () => ResourceType[]) {
    this.requests = new Counter({
      name: 'apiserver_request_total',
      help: 'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
      labelNames: [
        'code',
        'component',
        'dry_run',
        'group',
        'resource',
        'scope',
        'subresource',
        'verb',
        'version',
      ],
      registers: [this.registry],
    });
    new Gauge({
      name: 'apiserver_storage_objects',
      help: 'Number of stored objects at the time of last check split by kind.',
      labelNames: ['resource'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const t of types())
          if (!t.readOnly)
            this.set({ resource: qualifiedResource(t) }, store.count(`${t.group}/${t.plural}`));
      },
    });
  }

  /** Count a resource request once it has been answered. */
  observe(res: ServerResponse, route: ResourceRoute, verb: string, dryRun: boolean): void {
    res.once('finish', () =>
      this.requests.inc({
        code: String(res.statusCode),
        component: 'apiserver',
        dry_run: dryRun ? 'All' : '',
        group: route.group,
        resource: route.plural,
        scope: route.name ? 'resource' : route.namespace ? 'namespace' : 'cluster',
        subresource: route.subresource ?? '',
        verb: VERBS[verb] ?? verb.toUpperCase(),
        version: route.version,
      }),
    );
  }

  async send(res: ServerResponse): Promise<void> {
    const text = await this.registry.metrics();
    res.writeHead(200, { 'Content-Type': this.registry.contentType });
    res.end(text);
  }
}
