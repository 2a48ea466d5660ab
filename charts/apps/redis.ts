/** Redis as a cache: no volume, so a twin is an independent copy with nothing to resynchronise. */
import { Workload } from '../../lib/constructs/workload';
import type { AppChart } from '../catalog-types';

export const redis: AppChart = {
  name: 'redis',
  needsHost: false,
  needsSecrets: false,
  dependsOn: [],
  volumes: [],
  render(scope) {
    new Workload(scope, 'redis', {
      name: 'redis',
      image: 'redis:7.4.1-alpine',
      // A cache: nothing is written to disk, so a twin never needs data copied.
      args: ['--save', '', '--appendonly', 'no'],
      ports: [{ name: 'redis', port: 6379 }],
      requests: { cpu: '50m', memory: '64Mi' },
    });
  },
};
