/** The Cluster API objects of one cluster: the construct, its props and the protection it applies. */
export { CapiCluster } from './cluster';
export { CILIUM_CLUSTER_LABEL } from './cilium';
export { capiNames, resolveCapiCluster } from './props';
export type { CapiClusterProps, CapiCni, CapiControlPlane, CapiInfrastructure, CapiNames, CapiOpenStackProps } from './props';
export { DESTROY_PROTECTION, protectionAnnotations } from './protection';
