// Pure mappings from intent to Kubernetes objects.
export * from './manifests/index.ts';

// The gateway: the only code that talks to a Kubernetes API server.
export {
  createKubeGateway,
  loadKubeConfig,
  openKubeGateway,
  FIELD_MANAGER,
  CONSOLE_PROTOCOL,
  type CallOptions,
  type ClusterSource,
  type KubeGateway,
  type ListOptions,
  type ObjectAddress,
  type PodLogOptions,
  type ScalableKind,
  type VersionedObject,
  type GatewayOptions,
  type WatchEvent,
  type WatchOptions,
  type WatchStream,
} from './client/gateway.ts';
// Informers: list-then-watch per kind into one cache of the managed objects.
export { createInformers, type InformerOptions, type Informers } from './client/informer.ts';
export { createObjectCache, type CacheChange, type ObjectCache } from './client/object-cache.ts';
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
  provisionerRules,
  rbacOf,
  rbacRules,
  uncloudCalls,
  type PolicyRule,
} from './client/permissions.ts';

// Kubernetes quantities ("500m", "4Gi") as numbers.
export { formatQuantity, parseQuantity } from './quantity.ts';

// The provisioner: the catalogue of cluster components, their manifests, health and preflight.
export {
  builtinCatalogue,
  findVersion,
  generatedFor,
  installOrder,
  SYSTEM_NAMESPACE,
  type Catalogue,
  type CatalogueEntry,
  type CatalogueVersion,
  type ComponentSource,
  type ObjectRef,
} from './components/catalogue.ts';
export { CatalogueFile, readCatalogueFile, withCatalogueFile } from './components/catalogue-file.ts';
export {
  registryConfig,
  type GeneratedContext,
  type RegistryTokenAuth,
} from './components/generated.ts';
export { fetchSource, sha256Of, sourceLocation, SourceError, type FetchOptions } from './components/fetch.ts';
export { carriesHealth, healthOf } from './components/health.ts';
export {
  COMPONENT,
  ManifestError,
  applyRank,
  describeRef,
  labelForComponent,
  leftBehind,
  parseManifests,
  refOf,
  sortForApply,
  sortForDelete,
} from './components/manifests.ts';
export {
  DEFAULT_CLASS_ANNOTATION,
  K3S_VERSION,
  KVM_DEVICE,
  defaultStorageClass,
  k3sInfo,
  preflightChecks,
  type ClusterFacts,
} from './components/preflight.ts';
export type { KindInfo } from './client/kinds.ts';

// Models of how NetworkPolicy and Cilium judge a connection, for proving a firewall means the same.
export { evaluateNetworkPolicies } from './policy-model/network-policy.ts';
export { evaluateCiliumPolicies } from './policy-model/cilium.ts';
export type { Connection, Endpoint, PolicyEvaluator, World } from './policy-model/world.ts';
