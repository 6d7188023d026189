// Unknown-field detection for fieldValidation=Strict (what `kubectl apply` sends), for the kinds
// Uncloud writes: the field names of their Go types, nested where manifests usually go wrong.
type Shape = { fields: string[]; nested?: Record<string, Shape>; items?: Record<string, Shape> };

const words = (s: string) => s.split(/\s+/).filter((w) => w.length > 0);

const OBJECT_META: Shape = {
  fields: words(
    'name generateName namespace selfLink uid resourceVersion generation creationTimestamp deletionTimestamp deletionGracePeriodSeconds labels annotations ownerReferences finalizers managedFields',
  ),
};
const CONTAINER: Shape = {
  fields: words(
    'name image command args workingDir ports envFrom env resources resizePolicy restartPolicy volumeMounts volumeDevices livenessProbe readinessProbe startupProbe lifecycle terminationMessagePath terminationMessagePolicy imagePullPolicy securityContext stdin stdinOnce tty',
  ),
  items: {
    ports: { fields: words('name hostPort containerPort protocol hostIP') },
    env: { fields: words('name value valueFrom') },
  },
};
const POD_SPEC: Shape = {
  fields: words(
    'volumes initContainers containers ephemeralContainers restartPolicy terminationGracePeriodSeconds activeDeadlineSeconds dnsPolicy nodeSelector serviceAccountName serviceAccount automountServiceAccountToken nodeName hostNetwork hostPID hostIPC shareProcessNamespace securityContext imagePullSecrets hostname subdomain affinity schedulerName tolerations hostAliases priorityClassName priority dnsConfig readinessGates runtimeClassName enableServiceLinks preemptionPolicy overhead topologySpreadConstraints setHostnameAsFQDN os hostUsers schedulingGates resourceClaims resources',
  ),
  items: { containers: CONTAINER, initContainers: CONTAINER },
};
const TEMPLATE: Shape = { fields: ['metadata', 'spec'], nested: { metadata: OBJECT_META, spec: POD_SPEC } };
const TOP = (spec: Shape): Shape => ({
  fields: ['apiVersion', 'kind', 'metadata', 'spec', 'status'],
  nested: { metadata: OBJECT_META, spec },
});

const SHAPES: Record<string, Shape> = {
  '/Pod': TOP(POD_SPEC),
  'apps/Deployment': TOP({
    fields: words(
      'replicas selector template strategy minReadySeconds revisionHistoryLimit paused progressDeadlineSeconds',
    ),
    nested: { template: TEMPLATE },
  }),
  'apps/StatefulSet': TOP({
    fields: words(
      'replicas selector template volumeClaimTemplates serviceName podManagementPolicy updateStrategy revisionHistoryLimit minReadySeconds persistentVolumeClaimRetentionPolicy ordinals',
    ),
    nested: { template: TEMPLATE },
  }),
  '/Service': TOP({
    fields: words(
      'ports selector clusterIP clusterIPs type externalIPs sessionAffinity loadBalancerIP loadBalancerSourceRanges externalName externalTrafficPolicy healthCheckNodePort publishNotReadyAddresses sessionAffinityConfig ipFamilies ipFamilyPolicy allocateLoadBalancerNodePorts loadBalancerClass internalTrafficPolicy trafficDistribution',
    ),
    items: { ports: { fields: words('name protocol appProtocol port targetPort nodePort') } },
  }),
  '/PersistentVolumeClaim': TOP({
    fields: words(
      'accessModes selector resources volumeName storageClassName volumeMode dataSource dataSourceRef volumeAttributesClassName',
    ),
  }),
  'networking.k8s.io/Ingress': TOP({ fields: words('ingressClassName defaultBackend tls rules') }),
};

function walk(value: unknown, shape: Shape, path: string, out: string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  for (const [k, v] of Object.entries(value)) {
    const here = path ? `${path}.${k}` : k;
    if (!shape.fields.includes(k)) {
      out.push(here);
      continue;
    }
    const nested = shape.nested?.[k];
    if (nested) walk(v, nested, here, out);
    const item = shape.items?.[k];
    if (item && Array.isArray(v)) v.forEach((x, i) => walk(x, item, `${here}[${i}]`, out));
  }
}

/** Paths of fields the kind's type does not have ("spec.template.spec.containers[0].imagePullPolicyy"). */
export function unknownFields(group: string, kind: string, obj: unknown): string[] | undefined {
  const shape = SHAPES[`${group}/${kind}`];
  if (!shape) return undefined;
  const out: string[] = [];
  walk(obj, shape, '', out);
  return out;
}
