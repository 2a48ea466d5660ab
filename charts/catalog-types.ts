/** What every app chart provides: what the loader must know of it, and how it renders. */
import type { Construct } from 'constructs';
import type { VolumeProps } from '../lib/constructs/volume';

/** The inputs an app chart renders from; the variant engine has resolved them already. */
export interface AppInput {
  /** The host name the app believes it has (its identity), for apps that serve HTTP. */
  readonly host?: string;
}

export interface AppChart {
  /** Chart name, as environments place it (`app: wordpress`). */
  readonly name: string;
  /** Whether a placement must give `host`. */
  readonly needsHost: boolean;
  /** Whether it reads credentials from the environment's secret store. */
  readonly needsSecrets: boolean;
  /** Apps it needs on the same cluster first (its Flux dependsOn and service references). */
  readonly dependsOn: readonly string[];
  /** Its claims, as the prod variant requests them: each names its storage role, never a class. */
  readonly volumes: readonly VolumeProps[];
  /** Adds the app's objects, as written once for prod, to an app chart. */
  render(scope: Construct, input: AppInput): void;
}

/** The host an HTTP app needs; the loader has checked that placements give one. */
export function requireHost(chart: string, input: AppInput): string {
  if (input.host === undefined) throw new Error(`${chart} needs a host`);
  return input.host;
}
