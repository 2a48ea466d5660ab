import { describe, expect, it } from 'vitest';
import { Config } from '../../lib/constructs/config';
import { Credentials } from '../../lib/constructs/credentials';
import { Volume } from '../../lib/constructs/volume';
import { Workload } from '../../lib/constructs/workload';
import { appChart, objects } from '../support/scope';

function render(kind: 'prod' | 'dr') {
  const chart = appChart(kind);
  const credentials = new Credentials(chart, 'credentials', { name: 'app-credentials', remoteKey: 'app/db', keys: ['password'] });
  const config = new Config(chart, 'config', { name: 'app-identity', data: { HOST: 'example.org' } });
  const volume = new Volume(chart, 'data', { name: 'app-data', size: '1Gi', role: 'files' });
  new Workload(chart, 'app', {
    name: 'app',
    image: 'registry.example.org/app:1.0.0',
    singleton: true,
    ports: [{ name: 'http', port: 8080 }],
    env: {
      LITERAL: 'value',
      PASSWORD: { secret: credentials, key: 'password' },
      CACHE: { serviceOf: 'redis', service: 'redis' },
    },
    envFrom: [config],
    mounts: [{ volume, mountPath: '/data' }],
  });
  return objects(chart);
}

describe('Workload', () => {
  it('renders a pinned, tolerating twin whose references all follow the -dr names', () => {
    expect(render('dr').filter((o) => o.kind === 'Deployment' || o.kind === 'Service')).toMatchInlineSnapshot(`
      [
        {
          "apiVersion": "apps/v1",
          "kind": "Deployment",
          "metadata": {
            "labels": {
              "app.kubernetes.io/instance": "app-dr",
              "app.kubernetes.io/managed-by": "twinops",
              "app.kubernetes.io/name": "app",
              "app.kubernetes.io/part-of": "wordpress",
              "twinops.dev/variant": "dr",
            },
            "name": "app-dr",
            "namespace": "wordpress",
          },
          "spec": {
            "replicas": 1,
            "selector": {
              "matchLabels": {
                "app.kubernetes.io/instance": "app-dr",
                "app.kubernetes.io/name": "app",
              },
            },
            "strategy": {
              "type": "Recreate",
            },
            "template": {
              "metadata": {
                "labels": {
                  "app.kubernetes.io/instance": "app-dr",
                  "app.kubernetes.io/managed-by": "twinops",
                  "app.kubernetes.io/name": "app",
                  "app.kubernetes.io/part-of": "wordpress",
                  "twinops.dev/variant": "dr",
                },
              },
              "spec": {
                "containers": [
                  {
                    "env": [
                      {
                        "name": "LITERAL",
                        "value": "value",
                      },
                      {
                        "name": "PASSWORD",
                        "valueFrom": {
                          "secretKeyRef": {
                            "key": "password",
                            "name": "app-credentials",
                          },
                        },
                      },
                      {
                        "name": "CACHE",
                        "value": "redis-dr.redis",
                      },
                    ],
                    "envFrom": [
                      {
                        "configMapRef": {
                          "name": "app-identity-dr",
                        },
                      },
                    ],
                    "image": "registry.example.org/app:1.0.0",
                    "name": "app",
                    "ports": [
                      {
                        "containerPort": 8080,
                        "name": "http",
                      },
                    ],
                    "readinessProbe": {
                      "periodSeconds": 10,
                      "tcpSocket": {
                        "port": "http",
                      },
                    },
                    "volumeMounts": [
                      {
                        "mountPath": "/data",
                        "name": "app-data",
                      },
                    ],
                  },
                ],
                "nodeSelector": {
                  "kubernetes.io/hostname": "remote",
                },
                "tolerations": [
                  {
                    "effect": "NoSchedule",
                    "key": "dedicated",
                    "operator": "Equal",
                    "value": "remote",
                  },
                ],
                "volumes": [
                  {
                    "name": "app-data",
                    "persistentVolumeClaim": {
                      "claimName": "app-data-dr",
                    },
                  },
                ],
              },
            },
          },
        },
        {
          "apiVersion": "v1",
          "kind": "Service",
          "metadata": {
            "labels": {
              "app.kubernetes.io/instance": "app-dr",
              "app.kubernetes.io/managed-by": "twinops",
              "app.kubernetes.io/name": "app",
              "app.kubernetes.io/part-of": "wordpress",
              "twinops.dev/variant": "dr",
            },
            "name": "app-dr",
            "namespace": "wordpress",
          },
          "spec": {
            "ports": [
              {
                "name": "http",
                "port": 8080,
                "targetPort": "http",
              },
            ],
            "selector": {
              "app.kubernetes.io/instance": "app-dr",
              "app.kubernetes.io/name": "app",
            },
            "type": "ClusterIP",
          },
        },
      ]
    `);
  });

  it('renders the Service selecting exactly its own variant', () => {
    const prodService = render('prod').find((o) => o.kind === 'Service');
    expect(prodService?.spec).toEqual({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'app', 'app.kubernetes.io/instance': 'app' },
      ports: [{ name: 'http', port: 8080, targetPort: 'http' }],
    });
  });
});
