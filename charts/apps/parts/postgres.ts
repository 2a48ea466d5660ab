/** A single-instance PostgreSQL for an app, on its own claim, with credentials from the store. */
import type { Construct } from 'constructs';
import type { Credentials } from '../../../lib/constructs/credentials';
import { Volume, type VolumeProps } from '../../../lib/constructs/volume';
import { Workload } from '../../../lib/constructs/workload';

export const POSTGRES_IMAGE = 'postgres:16.4-alpine';

export interface PostgresProps {
  /** Prod name of the Deployment and Service, e.g. `keycloak-db`. */
  readonly name: string;
  /** Database and user name. */
  readonly database: string;
  /** The claim holding the data. */
  readonly volume: VolumeProps;
  /** Credentials holding the key `password`. */
  readonly credentials: Credentials;
}

export function postgres(scope: Construct, props: PostgresProps): Workload {
  const volume = new Volume(scope, `${props.name}-volume`, props.volume);
  return new Workload(scope, props.name, {
    name: props.name,
    image: POSTGRES_IMAGE,
    singleton: true,
    ports: [{ name: 'postgres', port: 5432 }],
    env: {
      POSTGRES_DB: props.database,
      POSTGRES_USER: props.database,
      POSTGRES_PASSWORD: { secret: props.credentials, key: 'password' },
      // The volume's root holds lost+found on some file systems; initdb wants an empty folder.
      PGDATA: '/var/lib/postgresql/data/pgdata',
    },
    mounts: [{ volume, mountPath: '/var/lib/postgresql/data' }],
    requests: { cpu: '100m', memory: '256Mi' },
  });
}
