/**
 * One server of a shipped app: a Deployment of one container and the ClusterIP Service in front
 * of it, with the shape the shipped apps share (TCP startup, readiness and liveness on the first
 * port, cpu and memory requests, `Recreate` when a ReadWriteOnce claim is mounted, a disruption
 * budget when it runs more than one replica). Plain Kubernetes objects for prod; nothing here
 * knows DR.
 */
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { appLabels, selectorLabels } from './labels';

export interface ServerPort {
  /** Port name, used by the Service's targetPort. */
  readonly name: string;
  /** Port the container listens on and the Service exposes. */
  readonly port: number;
}

export interface ServerMount {
  /** Name of the claim mounted. */
  readonly claim: string;
  /** Where it is mounted in the container. */
  readonly mountPath: string;
}

export interface ServerProps {
  /** The app it belongs to (`app.kubernetes.io/part-of`). */
  readonly app: string;
  /** Name of the Deployment, its container and its Service, e.g. `wordpress-db`. */
  readonly name: string;
  /** Container image, pinned to a version. */
  readonly image: string;
  /** Replicas. */
  readonly replicas: number;
  /** Container arguments. Default: the image's. */
  readonly args?: readonly string[];
  /** Ports; the first is also the startup, readiness and liveness check. Default: none, and no Service. */
  readonly ports?: readonly ServerPort[];
  /** Environment variables, in order. Default: none. */
  readonly env?: readonly k8s.EnvVar[];
  /** ConfigMaps whose keys become environment variables. Default: none. */
  readonly envFromConfigMaps?: readonly string[];
  /** Claims mounted into the container. Default: none. */
  readonly mounts?: readonly ServerMount[];
  /** Resource requests (the estate's resources policy wants both on every container). */
  readonly requests: { readonly cpu: string; readonly memory: string };
}

/** A literal environment variable. */
export const envValue = (name: string, value: string): k8s.EnvVar => ({ name, value });

/** An environment variable read from a key of a Secret. */
export const envSecret = (name: string, secret: string, key: string): k8s.EnvVar => ({
  name,
  valueFrom: { secretKeyRef: { name: secret, key } },
});

/** Startup checks 10 s apart before a first start counts as failed: five minutes. */
const STARTUP_CHECKS = 30;

export class Server extends Construct {
  public constructor(scope: Construct, id: string, props: ServerProps) {
    super(scope, id);
    const labels = appLabels(props.app, props.name);
    const selector = selectorLabels(props.name);
    const metadata = { name: props.name, labels };
    const ports = props.ports ?? [];
    const mounts = props.mounts ?? [];
    const env = props.env ?? [];
    const firstPort = ports[0];

    new k8s.KubeDeployment(this, 'Deployment', {
      metadata,
      spec: {
        replicas: props.replicas,
        selector: { matchLabels: selector },
        // A ReadWriteOnce claim cannot be attached to the old and the new pod at once.
        strategy: mounts.length > 0 ? { type: 'Recreate' } : undefined,
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: props.name,
                image: props.image,
                args: props.args ? [...props.args] : undefined,
                ports: ports.length > 0 ? ports.map((port) => ({ name: port.name, containerPort: port.port })) : undefined,
                env: env.length > 0 ? [...env] : undefined,
                envFrom: props.envFromConfigMaps?.map((name) => ({ configMapRef: { name } })),
                // A first start may take minutes (WordPress copies its files, Keycloak builds,
                // initdb): liveness only counts once the startup probe has passed.
                startupProbe: firstPort ? { tcpSocket: { port: k8s.IntOrString.fromString(firstPort.name) }, periodSeconds: 10, failureThreshold: STARTUP_CHECKS } : undefined,
                readinessProbe: firstPort ? { tcpSocket: { port: k8s.IntOrString.fromString(firstPort.name) }, periodSeconds: 10 } : undefined,
                livenessProbe: firstPort ? { tcpSocket: { port: k8s.IntOrString.fromString(firstPort.name) }, periodSeconds: 20, failureThreshold: 3 } : undefined,
                resources: { requests: { cpu: k8s.Quantity.fromString(props.requests.cpu), memory: k8s.Quantity.fromString(props.requests.memory) } },
                volumeMounts: mounts.length > 0 ? mounts.map((mount) => ({ name: mount.claim, mountPath: mount.mountPath })) : undefined,
              },
            ],
            volumes: mounts.length > 0 ? mounts.map((mount) => ({ name: mount.claim, persistentVolumeClaim: { claimName: mount.claim } })) : undefined,
          },
        },
      },
    });

    // A drain keeps all but one pod serving; with one replica a budget would only block the drain.
    if (props.replicas > 1) {
      new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
        metadata,
        spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
      });
    }

    if (ports.length > 0) {
      new k8s.KubeService(this, 'Service', {
        metadata,
        spec: {
          type: 'ClusterIP',
          selector,
          ports: ports.map((port) => ({ name: port.name, port: port.port, targetPort: k8s.IntOrString.fromString(port.name) })),
        },
      });
    }
  }
}
