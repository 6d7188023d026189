// The simulated cluster: a Kubernetes API server in miniature, for tests and for `npm start`
// without a cluster. Only composition roots and tests import it; product code reaches a cluster
// through @uncloud/kube's gateway alone.
export { createSimCluster, SimCluster, type SimClusterInfo, type SimClusterOptions } from './cluster.ts';
export { startSimWorker, type SimWorker } from './worker-host.ts';
export type { ObjectRef } from './control.ts';
export type { NetworkConnection, NetworkEndpoint } from './network-policy.ts';
export type { SimGuest } from './disks.ts';
export type { GuestNetwork, GuestProbe, GuestProbeResult, PortAnswer } from './guest-network.ts';
export type { ErrorFault, LatencyFault, RequestCount } from './faults.ts';
export type { Profile } from './seed.ts';
export type { ObjectStoreOptions } from './controllers/object-store-backend.ts';
export type { ResourceType, StoredObject } from './types.ts';
export { RESERVED_LOAD_BALANCER_CIDR } from './controllers/load-balancer.ts';
export type { SimStatefulDatabase } from './stateful-db.ts';
export type { SimObjects } from './sim-objects.ts';
export type { EmbeddedObjectStoreInfo } from './object-store/embedded-store.ts';
