// Admission and defaulting: quotas, limit ranges, namespace contents, defaults of built-in kinds.
import { at, defaultClass, deployment, fromHttp, paths, pod, presence } from '../observe.ts';
import type { Json, Probe } from '../types.ts';

const pick = (obj: unknown, fields: string[]) => {
  const out: Record<string, Json> = {};
  for (const f of fields) out[f] = (at(obj, f) as Json | undefined) ?? '<absent>';
  return out;
};

export const admissionProbes: Probe[] = [
  {
    name: 'quota-exceeded',
    area: 'admission',
    description: 'ResourceQuota pods=1: the second pod is refused with 403 and the quota message',
    async run(c) {
      const quota = await c.request('POST', paths.core(c, 'resourcequotas'), {
        body: {
          apiVersion: 'v1',
          kind: 'ResourceQuota',
          metadata: { name: 'q' },
          spec: { hard: { pods: '1' } },
        },
      });
      if (quota.status !== 201) return fromHttp(quota, { step: 'create quota' });
      // The quota controller must have computed status.hard before admission enforces it.
      const counted = await c.waitFor(async () => {
        const q = await c.request('GET', paths.core(c, 'resourcequotas', 'q'));
        return at(q.body, 'status.hard.pods') !== undefined;
      }, 15_000);
      const first = await c.request('POST', paths.core(c, 'pods'), { body: pod('one') });
      const second = await c.request('POST', paths.core(c, 'pods'), { body: pod('two') });
      const q = await c.request('GET', paths.core(c, 'resourcequotas', 'q'));
      return fromHttp(second, {
        quotaStatusComputed: counted === true,
        firstPod: first.status,
        used: (at(q.body, 'status.used') as Json | undefined) ?? null,
      });
    },
  },
  {
    name: 'quota-compute-requires-requests',
    area: 'admission',
    description: 'ResourceQuota on requests.cpu: a pod without cpu requests is refused (403 must specify)',
    async run(c) {
      const quota = await c.request('POST', paths.core(c, 'resourcequotas'), {
        body: {
          apiVersion: 'v1',
          kind: 'ResourceQuota',
          metadata: { name: 'cpu' },
          spec: { hard: { 'requests.cpu': '1' } },
        },
      });
      if (quota.status !== 201) return fromHttp(quota, { step: 'create quota' });
      await c.waitFor(async () => {
        const q = await c.request('GET', paths.core(c, 'resourcequotas', 'cpu'));
        return at(q.body, 'status.hard') !== undefined;
      }, 15_000);
      return fromHttp(await c.request('POST', paths.core(c, 'pods'), { body: pod('free') }));
    },
  },
  {
    name: 'limitrange-defaults',
    area: 'admission',
    description: 'A LimitRange with container defaults: a pod without resources gets them',
    async run(c) {
      const lr = await c.request('POST', paths.core(c, 'limitranges'), {
        body: {
          apiVersion: 'v1',
          kind: 'LimitRange',
          metadata: { name: 'defaults' },
          spec: {
            limits: [
              {
                type: 'Container',
                default: { cpu: '500m', memory: '256Mi' },
                defaultRequest: { cpu: '100m' },
              },
            ],
          },
        },
      });
      if (lr.status !== 201) return fromHttp(lr, { step: 'create limitrange' });
      const res = await c.request('POST', paths.core(c, 'pods'), { body: pod('plain') });
      const annotations = (at(res.body, 'metadata.annotations') ?? {}) as Record<string, string>;
      return fromHttp(res, {
        resources: (at(res.body, 'spec.containers.0.resources') as Json | undefined) ?? null,
        annotation: annotations['kubernetes.io/limit-ranger'] ?? null,
      });
    },
  },
  {
    name: 'namespace-contents',
    area: 'admission',
    description: 'A new namespace gets a `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap',
    async run(c) {
      const sa = await c.waitFor(
        async () => (await presence(c, paths.core(c, 'serviceaccounts', 'default'))) === 'present',
        5_000,
      );
      const ca = await c.waitFor(
        async () => (await presence(c, paths.core(c, 'configmaps', 'kube-root-ca.crt'))) === 'present',
        5_000,
      );
      const ns = await c.request('GET', `/api/v1/namespaces/${c.namespace}`);
      return fromHttp(ns, {
        defaultServiceAccount: sa === true,
        kubeRootCa: ca === true,
        phase: at(ns.body, 'status.phase') ?? null,
        specFinalizers: (at(ns.body, 'spec.finalizers') as Json | undefined) ?? null,
        nameLabel:
          ((at(ns.body, 'metadata.labels') ?? {}) as Record<string, string>)['kubernetes.io/metadata.name'] ??
          null,
      });
    },
  },
  {
    name: 'pod-defaults',
    area: 'admission',
    description:
      'A minimal pod (images :latest and :1.27): defaulted spec, tolerations, service-account volume',
    async run(c) {
      const p = pod('plain');
      p.spec.containers = [
        { name: 'latest', image: 'nginx:latest' },
        { name: 'pinned', image: 'nginx:1.27' },
      ];
      const res = await c.request('POST', paths.core(c, 'pods'), { body: p });
      const volumes = ((at(res.body, 'spec.volumes') ?? []) as { name?: string; projected?: unknown }[]).map(
        (v) => `${String(v.name).replace(/-[a-z0-9]{5}$/, '-<rand>')}${v.projected ? ' (projected)' : ''}`,
      );
      return fromHttp(res, {
        ...pick(res.body, [
          'spec.restartPolicy',
          'spec.dnsPolicy',
          'spec.schedulerName',
          'spec.terminationGracePeriodSeconds',
          'spec.serviceAccountName',
          'spec.enableServiceLinks',
          'spec.priority',
          'spec.preemptionPolicy',
          'spec.securityContext',
          'spec.tolerations',
          'status.phase',
          'status.qosClass',
          'spec.containers.0.imagePullPolicy',
          'spec.containers.1.imagePullPolicy',
          'spec.containers.1.terminationMessagePath',
          'spec.containers.1.terminationMessagePolicy',
        ]),
        volumes,
        mounts: ((at(res.body, 'spec.containers.1.volumeMounts') ?? []) as { mountPath?: string }[]).map(
          (m) => m.mountPath ?? '',
        ),
      });
    },
  },
  {
    name: 'deployment-defaults',
    area: 'admission',
    description: 'A minimal Deployment: defaulted strategy, history limit, deadline, template spec',
    async run(c) {
      const res = await c.request('POST', paths.apps(c, 'deployments'), { body: deployment('web') });
      return fromHttp(
        res,
        pick(res.body, [
          'metadata.generation',
          'spec.strategy',
          'spec.revisionHistoryLimit',
          'spec.progressDeadlineSeconds',
          'spec.template.spec.restartPolicy',
          'spec.template.spec.dnsPolicy',
          'spec.template.spec.schedulerName',
          'spec.template.spec.terminationGracePeriodSeconds',
          'spec.template.spec.securityContext',
          'spec.template.spec.containers.0.imagePullPolicy',
          'spec.template.spec.containers.0.terminationMessagePath',
          'spec.template.spec.containers.0.resources',
          'status',
        ]),
      );
    },
  },
  {
    name: 'service-defaults',
    area: 'admission',
    description: 'A minimal ClusterIP Service: type, IP families, policies, port defaults',
    async run(c) {
      const res = await c.request('POST', paths.core(c, 'services'), {
        body: {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'web' },
          spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
        },
      });
      return fromHttp(
        res,
        pick(res.body, [
          'spec.type',
          'spec.clusterIP',
          'spec.clusterIPs',
          'spec.sessionAffinity',
          'spec.ipFamilies',
          'spec.ipFamilyPolicy',
          'spec.internalTrafficPolicy',
          'spec.ports',
          'status',
        ]),
      );
    },
  },
  {
    name: 'service-nodeport-out-of-range',
    area: 'admission',
    description: 'A NodePort Service asking for nodePort 80 (outside 30000-32767)',
    async run(c) {
      return fromHttp(
        await c.request('POST', paths.core(c, 'services'), {
          body: {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name: 'np' },
            spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 80 }] },
          },
        }),
      );
    },
  },
  {
    name: 'pvc-default-storageclass',
    area: 'admission',
    description: "A PVC without storageClassName gets the cluster's default StorageClass",
    async run(c) {
      const standard = await defaultClass(c, 'storage');
      const res = await c.request('POST', paths.core(c, 'persistentvolumeclaims'), {
        body: {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        },
      });
      // The class names differ by environment (k3s `local-path`, kube-real `standard`): compare the rule.
      const given = at(res.body, 'spec.storageClassName');
      return fromHttp(res, {
        defaultClassExists: standard !== undefined,
        storageClassName:
          given === undefined ? '<absent>' : given === standard ? '<the default class>' : String(given),
        ...pick(res.body, ['spec.volumeMode', 'status.phase']),
      });
    },
  },
];
