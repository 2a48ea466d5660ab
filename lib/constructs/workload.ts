/**
 * A workload of an app: a Deployment and the ClusterIP Service in front of it. The construct
 * applies the variant's name, labels, selector, placement and replica count, and makes every
 * reference (claims, config maps, services) follow the variant's names.
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { appScopeOf } from '../variant/scope';
import type { Config } from './config';
import type { Credentials } from './credentials';
import type { Volume } from './volume';

/** An environment variable's value: a literal, a key of the app's credentials, or a service's host. */
export type EnvValue =
  | string
  | { readonly secret: Credentials; readonly key: string }
  | { readonly serviceOf: string; readonly service: string };

export interface WorkloadPort {
  /** Port name, used by the Service's targetPort. */
  readonly name: string;
  /** Port the container listens on and the Service exposes. */
  readonly port: number;
}

export interface WorkloadMount {
  readonly volume: Volume;
  /** Where the volume is mounted in the container. */
  readonly mountPath: string;
  /** Sub-path of the volume to mount. Default: the whole volume. */
  readonly subPath?: string;
}

export interface WorkloadProps {
  /** Prod name of the Deployment and of its Service, e.g. `wordpress-db`. */
  readonly name: string;
  /** Container image, pinned to a version. */
  readonly image: string;
  /** Container arguments. Default: the image's. */
  readonly args?: readonly string[];
  /** Ports; the first one is also the readiness check (TCP). Default: none and no Service. */
  readonly ports?: readonly WorkloadPort[];
  /** Environment variables, in the order given. Default: none. */
  readonly env?: Readonly<Record<string, EnvValue>>;
  /** ConfigMaps whose keys become environment variables. Default: none. */
  readonly envFrom?: readonly Config[];
  /** Volumes mounted into the container. Default: none. */
  readonly mounts?: readonly WorkloadMount[];
  /** At most one replica (a database on a ReadWriteOnce volume). Default: false. */
  readonly singleton?: boolean;
  /** Resource requests. Default: none. */
  readonly requests?: { readonly cpu: string; readonly memory: string };
}

export class Workload extends Construct {
  /** Name of the Deployment and Service in this variant. */
  public readonly workloadName: string;

  public constructor(scope: Construct, id: string, props: WorkloadProps) {
    super(scope, id);
    const appScope = appScopeOf(this);
    const variant = appScope.variant;
    this.workloadName = variant.name(props.name);
    const labels = variant.labels(props.name);
    const selector = variant.selector(props.name);
    const metadata = { name: this.workloadName, namespace: variant.namespace, labels };
    const ports = props.ports ?? [];
    const mounts = props.mounts ?? [];
    const firstPort = ports[0];

    const env = Object.entries(props.env ?? {}).map(([name, value]): k8s.EnvVar => {
      if (typeof value === 'string') return { name, value };
      if ('secret' in value) return { name, valueFrom: { secretKeyRef: { name: value.secret.secretName, key: value.key } } };
      return { name, value: appScope.serviceHost(value.serviceOf, value.service) };
    });

    new k8s.KubeDeployment(this, 'Deployment', {
      metadata,
      spec: {
        replicas: props.singleton ? Math.min(1, variant.replicas) : variant.replicas,
        selector: { matchLabels: selector },
        // A ReadWriteOnce volume cannot be attached to the old and the new pod at once.
        strategy: mounts.length > 0 ? { type: 'Recreate' } : undefined,
        template: {
          metadata: { labels },
          spec: {
            nodeSelector: variant.placement.nodeSelector ? { ...variant.placement.nodeSelector } : undefined,
            tolerations: variant.placement.tolerations?.map((toleration) => ({ ...toleration })),
            containers: [
              {
                name: props.name,
                image: props.image,
                args: props.args ? [...props.args] : undefined,
                ports: ports.length > 0 ? ports.map((port) => ({ name: port.name, containerPort: port.port })) : undefined,
                env: env.length > 0 ? env : undefined,
                envFrom: props.envFrom?.map((config) => ({ configMapRef: { name: config.configMapName } })),
                readinessProbe: firstPort
                  ? { tcpSocket: { port: k8s.IntOrString.fromString(firstPort.name) }, periodSeconds: 10 }
                  : undefined,
                resources: props.requests
                  ? {
                      requests: {
                        cpu: k8s.Quantity.fromString(props.requests.cpu),
                        memory: k8s.Quantity.fromString(props.requests.memory),
                      },
                    }
                  : undefined,
                volumeMounts:
                  mounts.length > 0
                    ? mounts.map((mount) => ({ name: mount.volume.baseName, mountPath: mount.mountPath, subPath: mount.subPath }))
                    : undefined,
              },
            ],
            volumes:
              mounts.length > 0
                ? mounts.map((mount) => ({
                    name: mount.volume.baseName,
                    persistentVolumeClaim: { claimName: mount.volume.claimName },
                  }))
                : undefined,
          },
        },
      },
    });

    if (ports.length > 0) {
      new k8s.KubeService(this, 'Service', {
        metadata,
        spec: {
          type: 'ClusterIP',
          selector,
          ports: ports.map((port) => ({
            name: port.name,
            port: port.port,
            targetPort: k8s.IntOrString.fromString(port.name),
          })),
        },
      });
    }
  }
}
