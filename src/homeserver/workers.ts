// Synapse's own way past one process: workers coordinated through Redis on one
// PostgreSQL database (Synapse's docs/workers.md, 1.160). One layout for every
// place that runs it: docker-compose's `workers` profile (rendered by
// `mchlink render-config --workers`), and the test suite and the benchmark,
// which run the same processes from the Synapse rootfs. Pure: addresses in,
// config objects and Caddyfile text out.
//
//   sync1               /sync, the sliding sync Element X uses, /events, initialSync
//   client1             the client API's reads: keys, members, messages, login, profiles, ...
//   events1             the `events` stream writer (event persister); event-sending endpoints go
//                       straight to it, as docs/workers.md advises for a stream's own endpoints
//   federation_sender1  outgoing federation to the partner servers (no HTTP endpoint)
//   media1              the media repository and its background jobs
//   main                everything else: admin API, to-device, typing, receipts, account data,
//                       push rules writes, pushers, background tasks
export type WorkerName = "sync1" | "client1" | "events1" | "federation_sender1" | "media1";

export interface WorkerSpec {
  name: WorkerName;
  /** The HTTP listener's resources; none: /health only. */
  resources: Array<"client" | "media">;
  /** A stream writer: other processes send it replication requests. */
  replication: boolean;
  /** What the proxy sends it: Synapse's documented endpoint patterns (regular expressions on the path). */
  routes: string[];
}

const CLIENT = "^/_matrix/client/";

export const WORKERS: readonly WorkerSpec[] = [
  {
    name: "sync1",
    resources: ["client"],
    replication: false,
    routes: [
      `${CLIENT}(r0|v3)/sync$`,
      `${CLIENT}(api/v1|r0|v3)/events$`,
      `${CLIENT}(api/v1|r0|v3)/initialSync$`,
      `${CLIENT}(api/v1|r0|v3)/rooms/[^/]+/initialSync$`,
      // Sliding sync (MSC3575, native in Synapse): what Element X syncs with.
      `${CLIENT}unstable/org.matrix.simplified_msc3575/sync$`,
    ],
  },
  {
    name: "events1",
    resources: ["client"],
    replication: true,
    routes: [
      `${CLIENT}(api/v1|r0|v3|unstable)/rooms/.*/redact`,
      `${CLIENT}(api/v1|r0|v3|unstable)/rooms/.*/send`,
      `${CLIENT}(api/v1|r0|v3|unstable)/rooms/.*/state/`,
      `${CLIENT}(api/v1|r0|v3|unstable)/rooms/.*/(join|invite|leave|ban|unban|kick)$`,
      `${CLIENT}(api/v1|r0|v3|unstable)/join/`,
      `${CLIENT}(api/v1|r0|v3|unstable)/knock/`,
      `${CLIENT}(api/v1|r0|v3|unstable)/createRoom$`,
    ],
  },
  {
    name: "client1",
    resources: ["client"],
    replication: false,
    routes: [
      `${CLIENT}(api/v1|r0|v3|unstable)/rooms/.*/joined_members$`,
      `${CLIENT}(api/v1|r0|v3|unstable)/rooms/.*/context/.*$`,
      `${CLIENT}(api/v1|r0|v3|unstable)/rooms/.*/members$`,
      `${CLIENT}(api/v1|r0|v3|unstable)/rooms/.*/state$`,
      `${CLIENT}(api/v1|r0|v3|unstable)/rooms/.*/messages$`,
      `${CLIENT}v1/rooms/.*/hierarchy$`,
      `${CLIENT}(v1|unstable)/rooms/.*/relations/`,
      `${CLIENT}v1/rooms/.*/threads$`,
      `${CLIENT}(r0|v3|unstable)/account/whoami$`,
      `${CLIENT}(r0|v3)/delete_devices$`,
      `${CLIENT}(api/v1|r0|v3|unstable)/devices(/|$)`,
      `${CLIENT}versions$`,
      `${CLIENT}(api/v1|r0|v3|unstable)/voip/turnServer$`,
      `${CLIENT}(api/v1|r0|v3|unstable)/rooms/.*/event/`,
      `${CLIENT}(api/v1|r0|v3|unstable)/joined_rooms$`,
      `${CLIENT}(api/v1|r0|v3|unstable)/directory/room/.*$`,
      `${CLIENT}(r0|v3|unstable)/capabilities$`,
      `${CLIENT}(r0|v3|unstable)/notifications$`,
      `${CLIENT}(r0|v3|unstable)/keys/query$`,
      `${CLIENT}(r0|v3|unstable)/keys/changes$`,
      `${CLIENT}(r0|v3|unstable)/keys/claim$`,
      `${CLIENT}(r0|v3|unstable)/room_keys/`,
      `${CLIENT}(r0|v3|unstable)/keys/upload`,
      `${CLIENT}(api/v1|r0|v3|unstable)/keys/device_signing/upload$`,
      `${CLIENT}(api/v1|r0|v3|unstable)/keys/signatures/upload$`,
      `${CLIENT}(api/v1|r0|v3|unstable)/login$`,
      `${CLIENT}(api/v1|r0|v3|unstable)/profile/`,
      `${CLIENT}(r0|v3|unstable)/user_directory/search$`,
    ],
  },
  { name: "federation_sender1", resources: [], replication: false, routes: [] },
  {
    name: "media1",
    resources: ["media"],
    replication: false,
    routes: ["^/_matrix/media/", `${CLIENT}v1/media/`, "^/_matrix/federation/v1/media/"],
  },
];

/** The media administration API, which only the media worker can serve once the main process has no media repository. */
export const MEDIA_ADMIN_ROUTES = [
  "^/_synapse/admin/v1/purge_media_cache$",
  "^/_synapse/admin/v1/room/.*/media.*$",
  "^/_synapse/admin/v1/user/.*/media.*$",
  "^/_synapse/admin/v1/media/.*$",
  "^/_synapse/admin/v1/quarantine_media/.*$",
  "^/_synapse/admin/v1/users/.*/media$",
];

export interface Address {
  host: string;
  port: number;
}

export interface WorkerNetwork {
  /** Where the processes listen (compose: 0.0.0.0 in each container; tests: 127.0.0.1). */
  bindAddress: string;
  /** Behind the reverse proxy. */
  xForwarded: boolean;
  redis: Address;
  /** The main process's replication listener, as the workers reach it. */
  mainReplication: Address;
  /** Each worker's HTTP listener (client, media, or /health only), as the proxy reaches it. */
  client(name: WorkerName): Address;
  /** A stream writer's replication listener, as the other processes reach it. */
  replication(name: WorkerName): Address;
  /** A Prometheus metrics listener on each worker (production), same port in every container. */
  metricsPort?: number;
}

type Yaml = Record<string, unknown>;

/** What the shared homeserver.yaml gains for workers (the main process reads only this file). */
export function sharedWorkerConfig(net: WorkerNetwork, replicationSecretPath: string): Yaml {
  const writers = WORKERS.filter((w) => w.replication);
  return {
    redis: { enabled: true, host: net.redis.host, port: net.redis.port },
    instance_map: {
      main: { host: net.mainReplication.host, port: net.mainReplication.port },
      ...Object.fromEntries(writers.map((w) => [w.name, net.replication(w.name)])),
    },
    stream_writers: { events: ["events1"] },
    federation_sender_instances: ["federation_sender1"],
    // The media repository lives in media1 alone (the main process must not run its jobs too).
    enable_media_repo: false,
    media_instance_running_background_jobs: "media1",
    // Replication requests are authenticated; the secret is a 0600 file next to the config.
    worker_replication_secret_path: replicationSecretPath,
  };
}

/** The main process's replication listener, added to the template's listeners. */
export function mainReplicationListener(net: WorkerNetwork): Yaml {
  return { port: net.mainReplication.port, bind_addresses: [net.bindAddress], type: "http", resources: [{ names: ["replication"] }] };
}

/** One worker's own file, read after the shared homeserver.yaml (`--config-path shared --config-path this`). */
export function workerConfig(spec: WorkerSpec, net: WorkerNetwork, dataDir = "/data"): Yaml {
  // Every worker has an HTTP listener, if only for /health (the federation sender serves no endpoint).
  const listeners: Yaml[] = [
    { type: "http", port: net.client(spec.name).port, bind_addresses: [net.bindAddress], x_forwarded: net.xForwarded, resources: [{ names: spec.resources, compress: false }] },
  ];
  if (spec.replication) listeners.push({ type: "http", port: net.replication(spec.name).port, bind_addresses: [net.bindAddress], resources: [{ names: ["replication"] }] });
  if (net.metricsPort !== undefined) listeners.push({ type: "metrics", port: net.metricsPort, bind_addresses: [net.bindAddress] });
  return {
    worker_app: "synapse.app.generic_worker",
    worker_name: spec.name,
    worker_listeners: listeners,
    worker_log_config: `${dataDir}/log.config`,
    ...(spec.resources.includes("media") ? { enable_media_repo: true } : {}),
  };
}

const hostPort = (a: Address) => `${a.host}:${a.port}`;

/**
 * The Caddyfile routes for Synapse (imported by docker/Caddyfile's sites).
 * Without workers: everything to the main process, as before. With workers:
 * each worker's documented endpoints to it, the rest to the main process; the
 * first match wins. `admin`: also proxy the admin
 * API (the internal site only, never the public one).
 */
export function caddyRoutes(main: Address, workers: WorkerNetwork | undefined, opts: { admin: boolean }): string {
  const lines: string[] = ["# Rendered by `mchlink render-config" + (workers ? " --workers" : "") + "` from src/homeserver/workers.ts; render again instead of editing."];
  const paths = ["/_matrix/*", "/_synapse/client/*", ...(opts.admin ? ["/_synapse/admin/*"] : [])];
  if (!workers) {
    for (const path of paths) lines.push(`handle ${path} {`, `\treverse_proxy ${hostPort(main)}`, "}");
    return lines.join("\n") + "\n";
  }
  const routed = WORKERS.filter((w) => w.routes.length > 0);
  for (const w of routed) {
    const patterns = w.name === "media1" && opts.admin ? [...w.routes, ...MEDIA_ADMIN_ROUTES] : w.routes;
    // One anchored alternation per worker; Caddy's regular expressions are Go's (RE2).
    lines.push(`@${w.name} path_regexp ${w.name} ${JSON.stringify(`^(${patterns.map((p) => p.replace(/^\^/, "")).join("|")})`)}`);
  }
  // `handle`, like the site's other blocks (Caddy runs `handle` before `route`); inside, a `route` keeps the order.
  lines.push(`@synapse path ${paths.join(" ")}`, "handle @synapse {", "\troute {");
  for (const w of routed) lines.push(`\t\treverse_proxy @${w.name} ${hostPort(workers.client(w.name))}`);
  lines.push(`\t\treverse_proxy ${hostPort(main)}`, "\t}", "}");
  return lines.join("\n") + "\n";
}
