/**
 * CAPD (Docker) infrastructure at v1beta2, after CAPI v1.12.0's e2e bases (study §B.3): an empty
 * DockerCluster and one DockerMachineTemplate per machine group. CAPD is for tests and is
 * deprecated in favour of the "dev" provider, whose CRDs are not available here (§E.9).
 */
import type { Construct } from 'constructs';
import { DockerClusterV1Beta2, DockerMachineTemplateV1Beta2, type DockerMachineTemplateV1Beta2SpecTemplateSpec } from '../../../imports/infrastructure.cluster.x-k8s.io';
import { capiMetadata, GROUP, type CapiObjectRef, type InfrastructureRefs } from './metadata';
import type { CapiNames, ResolvedCapiCluster } from './props';

/** The host's Docker socket, mounted so that CAPD inside the cluster can start machines (self-hosting). */
const DOCKER_SOCKET = '/var/run/docker.sock';

export function dockerInfrastructure(scope: Construct, cluster: ResolvedCapiCluster, names: CapiNames): InfrastructureRefs {
  // The schema allows an empty spec; a DockerCluster needs nothing for one load balancer container.
  new DockerClusterV1Beta2(scope, 'DockerCluster', { metadata: capiMetadata(cluster, names.cluster), spec: {} });
  const machineSpec: DockerMachineTemplateV1Beta2SpecTemplateSpec =
    cluster.dockerSocket === true ? { extraMounts: [{ containerPath: DOCKER_SOCKET, hostPath: DOCKER_SOCKET }] } : {};
  const template = (id: string, name: string): CapiObjectRef => {
    new DockerMachineTemplateV1Beta2(scope, id, { metadata: capiMetadata(cluster, name), spec: { template: { spec: machineSpec } } });
    return { apiGroup: GROUP.infrastructure, kind: 'DockerMachineTemplate', name };
  };
  return {
    cluster: { apiGroup: GROUP.infrastructure, kind: 'DockerCluster', name: names.cluster },
    controlPlaneMachines: template('ControlPlaneMachineTemplate', names.controlPlane),
    workerMachines: template('WorkerMachineTemplate', names.workers),
  };
}
