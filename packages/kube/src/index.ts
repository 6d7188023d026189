// Pure mappings from intent to Kubernetes objects.
export * from './manifests/index.ts';

// The gateway: the only code that talks to a Kubernetes API server.
export {
  createKubeGateway,
  loadKubeConfig,
  FIELD_MANAGER,
  type CallOptions,
  type ClusterSource,
  type KubeGateway,
  type ListOptions,
  type ObjectAddress,
  type ScalableKind,
  type VersionedObject,
} from './client/gateway.ts';
export {
  KubeError,
  isKubeError,
  type KubeCause,
  type KubeErrorKind,
  type KubeTarget,
  type KubeVerb,
} from './client/errors.ts';
export { kinds, type KindName } from './client/kinds.ts';
// The calls Uncloud makes, and the RBAC rules its service account needs for them (deploy/).
export {
  isDeclaredCall,
  rbacOf,
  rbacRules,
  uncloudCalls,
  type PolicyRule,
} from './client/permissions.ts';

// Kubernetes quantities ("500m", "4Gi") as numbers.
export { formatQuantity, parseQuantity } from './quantity.ts';
