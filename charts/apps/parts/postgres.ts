/** A single-instance PostgreSQL for an app, on its own claim, with credentials from the store. */
import type { Construct } from 'constructs';
import { Claim } from './claim';
import { envSecret, envValue, Server } from './server';

export const POSTGRES_IMAGE = 'postgres:16.4-alpine';

export interface PostgresProps {
  /** The app it belongs to. */
  readonly app: string;
  /** Name of the Deployment, Service and claim, e.g. `keycloak-db`. */
  readonly name: string;
  /** Database and user name. */
  readonly database: string;
  /** Claim size, e.g. `5Gi`. */
  readonly size: string;
  /** Storage class of the claim: the app's class for role `database`. */
  readonly storageClass: string;
  /** Secret holding the key `password`. */
  readonly secret: string;
}

export function postgres(scope: Construct, props: PostgresProps): Server {
  const claim = new Claim(scope, `${props.name}-volume`, { app: props.app, name: props.name, size: props.size, storageClass: props.storageClass });
  return new Server(scope, props.name, {
    app: props.app,
    name: props.name,
    image: POSTGRES_IMAGE,
    // One database pod on a ReadWriteOnce claim.
    replicas: 1,
    ports: [{ name: 'postgres', port: 5432 }],
    env: [
      envValue('POSTGRES_DB', props.database),
      envValue('POSTGRES_USER', props.database),
      envSecret('POSTGRES_PASSWORD', props.secret, 'password'),
      // The volume's root holds lost+found on some file systems; initdb wants an empty folder.
      envValue('PGDATA', '/var/lib/postgresql/data/pgdata'),
    ],
    mounts: [{ claim: claim.claimName, mountPath: '/var/lib/postgresql/data' }],
    requests: { cpu: '100m', memory: '256Mi' },
  });
}
