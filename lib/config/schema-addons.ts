/**
 * `addons`: the platform software the rendered objects need in a cluster, rendered as units
 * unless the environment says it is installed already (then listed as a prerequisite).
 */
import { Type, type Static } from '@sinclair/typebox';
import { AcmeCredentialsSchema } from './schema-edge';
import { Subdomain } from './schema-names';

const AddonState = Type.Union([Type.Literal('render'), Type.Literal('installed')], {
  description: 'render: twinops installs it in every cluster that needs it; installed: it runs already, and the runbook lists it as a prerequisite. Default: render.',
});

export const ExternalDnsAddonSchema = Type.Object(
  {
    provider: Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', description: 'external-dns provider name, e.g. `cloudflare`. Required: nothing else in the environment says it.' }),
    credentials: Type.Optional(AcmeCredentialsSchema),
    domainFilters: Type.Optional(Type.Array(Subdomain('A zone external-dns may change, e.g. `example.org`.'), { minItems: 1 })),
  },
  { additionalProperties: false, description: 'external-dns for the edges with `publicDns`: its provider and credentials (from the secret store).' },
);

export const AddonsSchema = Type.Object(
  {
    externalSecrets: Type.Optional(AddonState),
    metallb: Type.Optional(AddonState),
    localPath: Type.Optional(AddonState),
    zfsLocalPv: Type.Optional(AddonState),
    externalDns: Type.Optional(Type.Union([Type.Literal('installed'), ExternalDnsAddonSchema])),
  },
  {
    additionalProperties: false,
    description:
      'Platform add-ons (External Secrets when `secrets` is set, MetalLB for a metallb edge, local-path and OpenEBS ZFS LocalPV for their storage classes, external-dns for `publicDns`): rendered as units before the infrastructure unless marked `installed`. Default: every needed add-on is rendered.',
  },
);

export type AddonsSpec = Static<typeof AddonsSchema>;
