/** Redis as a cache: no volume, so a twin is an independent copy with nothing to resynchronise. */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { AppProps } from '../../lib/app/definition';
import { Server } from './parts/server';

export class Redis extends Chart {
  public constructor(scope: Construct, id: string, props: AppProps) {
    super(scope, id, props);
    new Server(this, 'redis', {
      app: 'redis',
      name: 'redis',
      image: 'redis:7.4.1-alpine',
      replicas: props.replicas,
      // A cache: nothing is written to disk, so a twin never needs data copied.
      args: ['--save', '', '--appendonly', 'no'],
      ports: [{ name: 'redis', port: 6379 }],
      requests: { cpu: '50m', memory: '64Mi' },
    });
  }
}
