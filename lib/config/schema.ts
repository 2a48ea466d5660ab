/**
 * The environment file's schema: the single source of truth for both the JSON Schema that
 * ajv validates against (and that `environments/schema.json` publishes for editors) and the
 * TypeScript type the rest of twinops reads. Nothing here is written twice: `Environment` is
 * `Static<typeof EnvironmentSchema>`.
 *
 * Defaults named in descriptions are applied by `withDefaults` in `./environment.ts`, not by ajv,
 * so that the validated document stays exactly what the user wrote (line numbers stay true).
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { CapiVersionsSchema, ClusterCapiSchema } from './schema-capi';
import { AddonsSchema } from './schema-addons';
import { EdgeSchema } from './schema-edge';
import { DNS1123_LABEL, DNS1123_SUBDOMAIN, Duration, Hostname, Label, Subdomain } from './schema-names';

const describe = <T extends TSchema>(schema: T, description: string): T => ({ ...schema, description });

export { DNS1123_LABEL, DNS1123_SUBDOMAIN, DURATION, HELM_REPOSITORY, HOSTNAME, Duration, Hostname, Label, Subdomain } from './schema-names';

export const DrStateSchema = Type.Union(
  [Type.Literal('standby'), Type.Literal('syncing'), Type.Literal('active')],
  {
    description:
      'standby: the twin runs with its own identity; syncing: the twin workloads are held at zero replicas so data can be copied into their volumes; active: the twin serves production.',
  },
);
export type DrState = Static<typeof DrStateSchema>;
export const DR_STATES: readonly DrState[] = ['standby', 'syncing', 'active'];

/** Any key at all, newlines included: for maps whose keys the semantic checks judge. */
const ANY_KEY = '^[\\s\\S]*$';

const StringMap = (description: string) =>
  Type.Record(Type.String({ pattern: '^.+$' }), Type.String(), { description, additionalProperties: false });

export const TaintSchema = Type.Object(
  {
    key: Type.String({ minLength: 1, description: 'Taint key, e.g. `dedicated`.' }),
    value: Type.Optional(Type.String({ description: 'Taint value, e.g. `remote`.' })),
    effect: Type.Union(
      [Type.Literal('NoSchedule'), Type.Literal('PreferNoSchedule'), Type.Literal('NoExecute')],
      { description: 'Taint effect.' },
    ),
  },
  { additionalProperties: false, description: 'A node taint; DR pods tolerate the DR node taint.' },
);

export const NodeSchema = Type.Object(
  {
    name: Label('Node name as the cluster knows it.'),
    // Keys are any string here: the semantic checks say precisely why a key is not a label key.
    labels: Type.Optional(
      Type.Record(Type.String({ pattern: ANY_KEY }), Type.String(), {
        description: 'Node labels used for placement; the DR node\'s become every twin\'s nodeSelector. Default: `kubernetes.io/hostname: <name>`.',
        additionalProperties: false,
      }),
    ),
    taints: Type.Optional(Type.Array(TaintSchema, { description: 'Taints on the node. Default: none.' })),
    controlPlane: Type.Optional(
      Type.Boolean({ description: 'Whether the node runs the control plane (API server, datastore); the runbook plans for its failure. Default: false.' }),
    ),
    addresses: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        uniqueItems: true,
        description: 'IPv4 or IPv6 addresses of the node, used by the runbook (ssh, zfs commands). Default: none.',
      }),
    ),
  },
  { additionalProperties: false },
);

/** A five-field cron schedule (`0 3 * * *`), as CronJobs and k3s take it. */
const CRON = '^\\S+( \\S+){4}$';
const Cron = (description: string) => Type.String({ pattern: CRON, description });
/** An absolute path on a node. */
const AbsolutePath = (description: string) => Type.String({ pattern: '^/[A-Za-z0-9._/-]*$', description });

export const VolumeSnapshotsSchema = Type.Object(
  {
    schedule: Cron('When the prod claims of this class are snapshotted, as a cron schedule, e.g. `0 3 * * *` (daily at 03:00).'),
    keep: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'How many snapshots of each claim are kept; older ones are deleted. Default: 7.' })),
    snapshotClass: Type.Optional(
      Subdomain('Name of the VolumeSnapshotClass twinops renders for the class\'s driver (deletionPolicy `Retain`). Default: `<class>-snapshots`.'),
    ),
  },
  {
    additionalProperties: false,
    description:
      'Scheduled CSI volume snapshots of the prod claims of this class (the driver must support snapshots, and the cluster must run the snapshot controller and its CRDs). Default: none.',
  },
);

export const DATASTORE_KINDS = ['k3s-etcd', 'k3s-sqlite', 'etcd', 'dqlite'] as const;

export const DatastoreSchema = Type.Object(
  {
    kind: Type.Union(
      DATASTORE_KINDS.map((kind) => Type.Literal(kind)),
      {
        description:
          'What holds the cluster state: `k3s-etcd` (k3s servers with embedded etcd), `k3s-sqlite` (a single k3s server, the default SQLite), `etcd` (kubeadm\'s etcd), `dqlite` (MicroK8s).',
      },
    ),
    snapshots: Type.Optional(
      AbsolutePath(
        'Folder on the control-plane node(s) holding the datastore snapshots, e.g. `/var/lib/rancher/k3s/server/db/snapshots`. Default: k3s\'s own folder for `k3s-etcd`; required otherwise.',
      ),
    ),
    schedule: Type.Optional(Cron('How often snapshots are taken, for the runbook (k3s: `etcd-snapshot-schedule-cron`). Default: k3s\'s `0 */12 * * *` for `k3s-etcd`; none otherwise.')),
    offsite: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'Where copies of the snapshots are kept off the control-plane nodes, in words or as a URL (e.g. `s3://backups.example.org/k3s`): where the runbook fetches one when the node holding them is lost. Default: none.',
      }),
    ),
  },
  { additionalProperties: false, description: 'The cluster\'s datastore and its snapshots: the runbook writes the control-plane restore for it. Default: unknown, and the runbook says what to declare.' },
);

export const StorageClassSchema = Type.Object(
  {
    name: Subdomain('StorageClass name used by prod claims, e.g. `zfs-storage-znvm`.'),
    provisioner: Type.String({ minLength: 1, description: 'CSI provisioner, e.g. `zfs.csi.openebs.io`.' }),
    parameters: Type.Optional(StringMap('Provisioner parameters (e.g. `poolname`, `fstype`). Default: none.')),
    reclaimPolicy: Type.Optional(
      Type.Union([Type.Literal('Retain'), Type.Literal('Delete')], {
        description: 'What happens to a volume when its claim goes. Default: `Retain`, so removing a line never loses data.',
      }),
    ),
    volumeBindingMode: Type.Optional(
      Type.Union([Type.Literal('WaitForFirstConsumer'), Type.Literal('Immediate')], {
        description: 'When volumes are bound. Default: `WaitForFirstConsumer`.',
      }),
    ),
    allowVolumeExpansion: Type.Optional(Type.Boolean({ description: 'Default: unset.' })),
    node: Type.Optional(Label('Pin volumes of this class to one node (allowedTopologies). Default: unpinned.')),
    snapshots: Type.Optional(VolumeSnapshotsSchema),
    dr: Type.Optional(
      Type.Object(
        {
          parameters: Type.Optional(
            StringMap('Parameters of the DR twin class that differ from prod, e.g. its `poolname`.'),
          ),
          replicaDataset: Type.Optional(
            Type.String({
              pattern: '^[A-Za-z0-9_.:-]+(/[A-Za-z0-9_.:-]+)*$',
              description:
                'ZFS dataset on the DR node that prod volumes of this class are replicated to (syncoid, zfs send), e.g. `backup/encrypted/znvm/k3s`: the source the runbook clones twins from. Default: none; the runbook copies from the prod node over ssh.',
            }),
          ),
        },
        {
          additionalProperties: false,
          description:
            'The DR twin of this class, rendered when the DR storage class map gives it a different name. It is pinned to the DR node.',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

/**
 * Storage role → storage class: the roles are the names charts ask for (`database`, `files`),
 * so a chart never names a class and the same chart places on ZFS, Ceph or local-path alike.
 */
const StorageRoles = (description: string) =>
  Type.Record(Type.String({ pattern: DNS1123_LABEL }), Subdomain('Storage class declared on the cluster'), {
    additionalProperties: false,
    description,
  });

export const ClusterDrSchema = Type.Object(
  {
    node: Type.Optional(Label('The DR node of this cluster: twins are pinned to it and tolerate its taints.')),
    cluster: Type.Optional(Label('Another cluster of the environment: the twins run there, delivered by that cluster.')),
  },
  {
    additionalProperties: false,
    // Exactly one key: a node of this cluster or another cluster, never both.
    minProperties: 1,
    maxProperties: 1,
    description: 'Where the twins of apps placed on this cluster run: `node` (a node of this cluster) or `cluster` (another cluster), exactly one. Default: nowhere (no twins).',
  },
);

export const AppDrSchema = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean({ description: 'Render the `-dr` twin. Default: true when `dr` is given.' })),
    identity: Type.Optional(
      Type.Union([Type.Literal('own'), Type.Literal('production')], {
        description:
          'own: the twin answers to its DR hostname until activated (wordpress); production: the twin always believes it is production and is used only once DNS points at it (keycloak). Default: own.',
      }),
    ),
    host: Type.Optional(Hostname('DR hostname. Default: the first label of `host` with the DR suffix (`blog-dr.example.org`).')),
    state: Type.Optional(describe(DrStateSchema, 'DR state of this app only. Default: the environment `dr.state`.')),
    cluster: Type.Optional(Label("The cluster this app's twin runs on, overriding the cluster's `dr`. Default: the cluster's `dr`.")),
  },
  { additionalProperties: false },
);

export const AppPlacementSchema = Type.Object(
  {
    app: Label('Chart name in `charts/apps` (wordpress, redis, keycloak, nextcloud).'),
    namespace: Type.Optional(Label('Namespace of the app. Default: the app name.')),
    host: Type.Optional(Hostname('Production hostname (identity and route). Required by apps that serve HTTP.')),
    replicas: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 100, description: 'Production replica count of each workload. Default: 1.' }),
    ),
    dependsOn: Type.Optional(
      Type.Array(Label('App placed on the same cluster'), {
        uniqueItems: true,
        description: 'Apps this app needs first (its Flux dependsOn). Default: what the chart declares.',
      }),
    ),
    storageRoles: Type.Optional(
      StorageRoles(
        "Storage role → storage class for this app only, overriding the cluster's `storageRoles` for the roles it lists (e.g. `files: ceph-bulk`). Default: the cluster's mapping.",
      ),
    ),
    dr: Type.Optional(
      Type.Union([Type.Boolean(), AppDrSchema], {
        description: 'The DR twin: `true`, `false` or its settings. Default: false (no twin).',
      }),
    ),
  },
  { additionalProperties: false },
);

/** A region name as clouds spell them: `eastus`, `RegionOne`, `eu-west-1`. */
export const REGION = '^[A-Za-z0-9-]+$';

export const ClusterSchema = Type.Object(
  {
    name: Label('Cluster name; also the folder `dist/<env>/<cluster>`.'),
    role: Type.Optional(
      Type.Union([Type.Literal('workload'), Type.Literal('management')], {
        description: 'management: runs the Cluster API providers, holds the other clusters\' Cluster API objects and delivers to them (at most one); workload: runs apps. Default: workload.',
      }),
    ),
    region: Type.Optional(
      Type.String({ pattern: REGION, description: 'Where the cluster runs, e.g. `eastus` or OpenStack\'s `RegionOne`: a twin runs in another region than its prod. Default: none.' }),
    ),
    protect: Type.Optional(
      Type.Boolean({ description: 'Destroy protection of the cluster\'s Cluster API objects: removing the cluster is refused while on. Default: true.' }),
    ),
    capi: Type.Optional(ClusterCapiSchema),
    nodes: Type.Optional(Type.Array(NodeSchema, { minItems: 1, description: 'Nodes of the cluster. Required without `capi`; refused with it (its machines are its nodes).' })),
    dr: Type.Optional(ClusterDrSchema),
    storageClasses: Type.Optional(Type.Array(StorageClassSchema, { description: 'Storage classes rendered for the cluster.' })),
    storageRoles: Type.Optional(
      StorageRoles(
        "Storage role a chart asks for (`database`, `files`) → the cluster's storage class that serves it; twins use that class's DR class. Default: a role not listed uses the cluster's only storage class when it declares exactly one.",
      ),
    ),
    datastore: Type.Optional(DatastoreSchema),
    edge: Type.Optional(EdgeSchema),
    apps: Type.Optional(Type.Array(AppPlacementSchema, { description: 'The apps placed on the cluster.' })),
  },
  { additionalProperties: false },
);

export const SecretStoreSchema = Type.Object(
  {
    kind: Type.Optional(
      Type.Union([Type.Literal('ClusterSecretStore'), Type.Literal('SecretStore')], {
        description: 'External Secrets store kind. Default: ClusterSecretStore.',
      }),
    ),
    name: Subdomain('Store name, e.g. `vault`.'),
    refreshInterval: Type.Optional(Duration('How often secrets are refreshed. Default: 1h.')),
  },
  {
    additionalProperties: false,
    description:
      'Where app credentials come from. twinops never renders a plaintext Secret: it renders ExternalSecrets that read this store.',
  },
);

/** A Git URL Argo CD can read: https or ssh, no whitespace. */
export const GIT_URL = '^(https|ssh)://\\S+$';

export const GitOpsSchema = Type.Object(
  {
    engine: Type.Optional(
      Type.Union([Type.Literal('flux'), Type.Literal('argocd')], { description: 'What delivers the rendered units: Flux Kustomizations or Argo CD Applications. Default: flux.' }),
    ),
    repoURL: Type.Optional(
      Type.String({ pattern: GIT_URL, description: 'Git URL of this repository as Argo CD reads it (`spec.source.repoURL`), e.g. `https://git.example.org/platform/estate.git`. Required with `engine: argocd`; Flux uses its bootstrap GitRepository.' }),
    ),
    revision: Type.Optional(Type.String({ minLength: 1, description: 'Branch, tag or commit Argo CD syncs (`targetRevision`). Default: main.' })),
    project: Type.Optional(Label('Argo CD project of the Applications (`spec.project`). Default: default.')),
    sourceName: Type.Optional(Subdomain('Flux GitRepository holding this repository. Default: flux-system.')),
    namespace: Type.Optional(Label('Namespace of the engine\'s objects. Default: flux-system with Flux, argocd with Argo CD.')),
    interval: Type.Optional(Duration('Reconcile interval of each unit. Default: 10m.')),
    retryInterval: Type.Optional(Duration('Retry interval after a failure. Default: 1m.')),
    timeout: Type.Optional(Duration('Timeout of apply and health checks. Default: 5m.')),
    pathPrefix: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9._/-]*$',
        description: 'Where `dist/` sits in the Git repository, as Flux sees it. Default: `./dist`.',
      }),
    ),
  },
  { additionalProperties: false, description: 'How Flux or Argo CD delivers the rendered units.' },
);

export const EnvironmentDrSchema = Type.Object(
  {
    state: Type.Optional(describe(DrStateSchema, 'DR state of the environment. Default: standby.')),
    suffix: Type.Optional(
      Type.String({ pattern: '^-[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 20, description: 'Name suffix of every twin. Default: `-dr`.' }),
    ),
    storageClasses: Type.Optional(
      Type.Record(Type.String({ pattern: DNS1123_SUBDOMAIN }), Subdomain('DR storage class'), {
        additionalProperties: false,
        description: 'Prod storage class → DR storage class. Default for a class not listed: `<class><suffix>`.',
      }),
    ),
    namespace: Type.Optional(
      Type.Union([Type.Literal('same'), Type.Literal('suffixed')], {
        description: 'same: twins share the prod namespace and its secrets; suffixed: `<namespace><suffix>`. Default: same.',
      }),
    ),
  },
  { additionalProperties: false, description: 'The DR rules and the DR state.' },
);

export const EnvironmentSchema = Type.Object(
  {
    description: Type.Optional(Type.String({ description: 'What this environment is.' })),
    gitops: Type.Optional(GitOpsSchema),
    secrets: Type.Optional(SecretStoreSchema),
    dr: Type.Optional(EnvironmentDrSchema),
    capi: Type.Optional(CapiVersionsSchema),
    addons: Type.Optional(AddonsSchema),
    clusters: Type.Array(ClusterSchema, { minItems: 1, description: 'The clusters of the environment.' }),
  },
  {
    $id: 'https://twinops.dev/schemas/environment.json',
    title: 'twinops environment',
    description: 'One environment of a twinops estate: its clusters, nodes, storage, apps and DR rules.',
    additionalProperties: false,
  },
);

export type EnvironmentSpec = Static<typeof EnvironmentSchema>;
export type ClusterSpec = Static<typeof ClusterSchema>;
export type DatastoreSpec = Static<typeof DatastoreSchema>;
export type NodeSpec = Static<typeof NodeSchema>;
export type TaintSpec = Static<typeof TaintSchema>;
export type StorageClassSpec = Static<typeof StorageClassSchema>;
export type AppPlacementSpec = Static<typeof AppPlacementSchema>;
export type AppDrSpec = Static<typeof AppDrSchema>;
export type ClusterDrSpec = Static<typeof ClusterDrSchema>;
export type GitOpsSpec = Static<typeof GitOpsSchema>;
