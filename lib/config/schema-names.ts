/** Name, host and duration rules shared by every part of the environment schema. */
import { Type } from '@sinclair/typebox';

/** RFC 1123 label: what Kubernetes accepts as a namespace, a Service or a node name segment. */
export const DNS1123_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
/** RFC 1123 subdomain: object names such as storage classes. */
export const DNS1123_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
/** A fully qualified host name, as used in routes and identity config. */
export const HOSTNAME = '^([a-z0-9]([-a-z0-9]*[a-z0-9])?\\.)+[a-z]([-a-z0-9]*[a-z0-9])?$';
/** A Helm repository URL as Flux's HelmRepository accepts it: https or oci, no whitespace. */
export const HELM_REPOSITORY = '^(https|oci)://\\S+$';
/** A Go duration as Flux expects it (`10m`, `1h30m`, `45s`). */
export const DURATION = '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$';

export const Label = (description: string) =>
  Type.String({ pattern: DNS1123_LABEL, maxLength: 63, description });
export const Subdomain = (description: string) =>
  Type.String({ pattern: DNS1123_SUBDOMAIN, maxLength: 253, description });
export const Hostname = (description: string) =>
  Type.String({ pattern: HOSTNAME, maxLength: 253, description });
export const Duration = (description: string) => Type.String({ pattern: DURATION, description });
