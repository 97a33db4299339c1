// The folder that docker-compose.yml mounts (MCHLINK_DEPLOY_DIR, default
// ./deploy), rendered from the same template as the local and test homeservers:
//
//   synapse/        0700, Synapse's uid   /data in the Synapse container
//     homeserver.yaml, log.config         rendered again on every run; no secret inside
//     signing.key, registration_shared_secret, macaroon_secret_key, form_secret,
//     pgpass                        0600  generated once, never overwritten
//   postgres/password               0600  PostgreSQL's password (a compose secret, read as root)
//   state/          0700, the bot's uid   the mchlink state folder, /state in the bot container
//     homeserver.json                     Synapse inside the compose network, the public URL
//     registration_shared_secret    0600  creates the first admin account (then admin.json)
//   element/config.json                   Element Web (the optional `element` profile)
//   caddy/synapse-routes.caddy            the proxy's routes to Synapse (public site), and
//   caddy/internal-routes.caddy           the same plus the admin API (the compose-internal site)
//
// With --workers (docker compose --profile workers): synapse/workers/<name>.yaml for
// each worker of src/homeserver/workers.ts, synapse/worker_replication_secret (0600),
// Redis and the instance map in homeserver.yaml, and routes sending Synapse's
// documented endpoints to the workers. The bot then reaches Synapse through the
// proxy's internal site, so that its requests take the same routes as the phones'.
//
// Safe to run again: after a change of the province's federation partners or
// retention, rendering again and restarting Synapse applies it.
import { randomBytes } from "node:crypto";
import { chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import type { Province } from "../config/schema.ts";
import { readSecretFile, writeFileAtomic, writeSecretFile } from "../util/files.ts";
import { ensureSigningKey, mergeConfig, provinceSettings, renderHomeserverConfig } from "./config.ts";
import { Deployment } from "./deployment.ts";
import { repoRoot } from "./paths.ts";
import { caddyRoutes, mainReplicationListener, sharedWorkerConfig, workerConfig, WORKERS, type WorkerName, type WorkerNetwork } from "./workers.ts";

/** The official Synapse image runs Synapse as 991:991 (docker/start.py). */
export const SYNAPSE_UID = 991;
/** The bot image runs as the `node` user of the Node image. */
export const BOT_UID = 1000;
/** Where the bot container reaches Synapse: the compose service, not the proxy (the admin API is not proxied). */
export const INTERNAL_BASE_URL = "http://synapse:8008";
export const CLIENT_PORT = 8008;
export const METRICS_PORT = 9000;
export const REPLICATION_PORT = 9093;
/** With workers: the proxy's internal plain-HTTP site on the compose network (docker/Caddyfile), which also carries the admin API. */
export const INTERNAL_PROXY_URL = "http://caddy:8080";

/** A worker's compose service, e.g. synapse-federation-sender1. */
export function workerService(name: WorkerName): string {
  return `synapse-${name.replace(/_/g, "-")}`;
}

/** The worker processes as docker-compose.yml places them: one container each, the same ports in each. */
export const COMPOSE_WORKER_NETWORK: WorkerNetwork = {
  bindAddress: "0.0.0.0",
  xForwarded: true,
  redis: { host: "redis", port: 6379 },
  mainReplication: { host: "synapse", port: REPLICATION_PORT },
  client: (name) => ({ host: workerService(name), port: CLIENT_PORT }),
  replication: (name) => ({ host: workerService(name), port: REPLICATION_PORT }),
  metricsPort: METRICS_PORT,
};

export interface ProductionOptions {
  province: Province;
  outDir: string;
  /** What phones connect to: https://<host>, served by the proxy. */
  publicUrl: string;
  /** Synapse workers with Redis (the compose `workers` profile). */
  workers?: boolean;
}

export interface ProductionResult {
  outDir: string;
  /** Secret files created by this run (existing ones are kept). */
  created: string[];
  /** What the operator still has to do by hand (not root: ownership). */
  warnings: string[];
}

export class ProductionConfigError extends Error {}

function secret(): string {
  return randomBytes(32).toString("base64url");
}

/** Write a secret once; an existing one is the deployment's identity and is never replaced. */
function ensureSecretFile(path: string, value: () => string, created: string[]): string {
  if (!existsSync(path)) {
    writeSecretFile(path, value() + "\n");
    created.push(path);
  }
  return readSecretFile(path).trim();
}

function chownTree(path: string, uid: number): void {
  chownSync(path, uid, uid);
  if (!lstatSync(path).isDirectory()) return;
  for (const entry of readdirSync(path)) chownTree(join(path, entry), uid);
}

export function checkPublicUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ProductionConfigError(`--public-url must be a URL such as https://matrix.bokeo.example, found ${value}`);
  }
  if (url.protocol !== "https:" || url.pathname !== "/" || url.search || url.hash) {
    throw new ProductionConfigError(`--public-url must be https://<host> without a path (phones only connect over TLS), found ${value}`);
  }
  return url.origin;
}

export function renderProductionDeployment(opts: ProductionOptions): ProductionResult {
  const publicUrl = checkPublicUrl(opts.publicUrl);
  const { province, outDir } = opts;
  const serverName = province.homeserver.server_name;
  const synapseDir = join(outDir, "synapse");
  const state = new Deployment(join(outDir, "state"));
  const recorded = state.homeserver();
  if (recorded && recorded.serverName !== serverName) {
    throw new ProductionConfigError(
      `${state.path("homeserver.json")} belongs to server name ${recorded.serverName}, but the province file says ${serverName}. ` +
        "A Matrix server name cannot change once people have accounts; render into another folder to start a new server.",
    );
  }
  for (const dir of [outDir, synapseDir, join(outDir, "postgres"), state.dir]) mkdirSync(dir, { recursive: true, mode: 0o700 });
  mkdirSync(join(outDir, "element"), { recursive: true, mode: 0o755 });

  const created: string[] = [];
  const hadSigningKey = existsSync(join(synapseDir, "signing.key"));
  ensureSigningKey(synapseDir);
  if (!hadSigningKey) created.push(join(synapseDir, "signing.key"));
  const sharedSecret = ensureSecretFile(join(synapseDir, "registration_shared_secret"), secret, created);
  ensureSecretFile(join(synapseDir, "macaroon_secret_key"), secret, created);
  ensureSecretFile(join(synapseDir, "form_secret"), secret, created);
  const dbPassword = ensureSecretFile(join(outDir, "postgres", "password"), secret, created);
  // Derived on every run, so the two copies cannot drift apart.
  writeSecretFile(join(synapseDir, "pgpass"), `*:*:synapse:synapse:${dbPassword}\n`);
  writeSecretFile(state.path("registration_shared_secret"), sharedSecret + "\n");

  const base = renderHomeserverConfig({
    serverName,
    publicBaseUrl: `${publicUrl}/`,
    clientPort: CLIENT_PORT,
    // Inside the container: reachable from the proxy and Prometheus on the compose network, published nowhere.
    bindAddress: "0.0.0.0",
    xForwarded: true,
    ...provinceSettings(province),
    profile: "production",
    metricsPort: METRICS_PORT,
  });
  const net = opts.workers ? COMPOSE_WORKER_NETWORK : undefined;
  let config = base;
  if (net) {
    ensureSecretFile(join(synapseDir, "worker_replication_secret"), secret, created);
    config = mergeConfig(base, { ...sharedWorkerConfig(net, "/data/worker_replication_secret"), listeners: [...(base.listeners as unknown[]), mainReplicationListener(net)] });
    mkdirSync(join(synapseDir, "workers"), { recursive: true, mode: 0o700 });
    for (const spec of WORKERS) {
      writeSecretFile(
        join(synapseDir, "workers", `${spec.name}.yaml`),
        `# Rendered by \`mchlink render-config --workers\` (src/homeserver/workers.ts); read after homeserver.yaml.\n${stringify(workerConfig(spec, net))}`,
      );
    }
  }
  mkdirSync(join(outDir, "caddy"), { recursive: true, mode: 0o755 });
  const main = { host: "synapse", port: CLIENT_PORT };
  writeFileAtomic(join(outDir, "caddy", "synapse-routes.caddy"), caddyRoutes(main, net, { admin: false }), 0o644);
  writeFileAtomic(join(outDir, "caddy", "internal-routes.caddy"), caddyRoutes(main, net, { admin: true }), 0o644);
  writeSecretFile(
    join(synapseDir, "homeserver.yaml"),
    "# Rendered by `mchlink render-config` from synapse/homeserver.yaml and synapse/profiles/production.yaml; edit those, then render again.\n" + stringify(config),
  );
  writeSecretFile(join(synapseDir, "log.config"), readFileSync(join(repoRoot, "synapse", "log.config"), "utf8"));

  state.saveHomeserver({ baseUrl: net ? INTERNAL_PROXY_URL : INTERNAL_BASE_URL, serverName, publicUrl, sharedSecretFile: "/state/registration_shared_secret" });
  writeFileAtomic(join(outDir, "element", "config.json"), JSON.stringify(elementConfig(serverName, publicUrl), null, 2) + "\n", 0o644);

  const warnings: string[] = [];
  if (process.getuid?.() === 0) {
    chownTree(synapseDir, SYNAPSE_UID);
    chownTree(state.dir, BOT_UID);
  } else {
    warnings.push(
      `Not running as root, so the files keep your user as owner. Synapse (uid ${SYNAPSE_UID}) and the bot (uid ${BOT_UID}) must own theirs: ` +
        `sudo chown -R ${SYNAPSE_UID}:${SYNAPSE_UID} ${synapseDir} && sudo chown -R ${BOT_UID}:${BOT_UID} ${state.dir}`,
    );
  }
  return { outDir, created, warnings };
}

/** Element Web locked to this homeserver: no other server, no guests, no identity server, closed federation. */
function elementConfig(serverName: string, publicUrl: string): Record<string, unknown> {
  return {
    default_server_config: { "m.homeserver": { base_url: publicUrl, server_name: serverName } },
    disable_custom_urls: true,
    disable_guests: true,
    disable_3pid_login: true,
    default_federate: false,
    default_country_code: "LA",
    show_labs_settings: false,
    room_directory: { servers: [serverName] },
    setting_defaults: {
      "UIFeature.registration": false,
      "UIFeature.passwordReset": false,
      "UIFeature.deactivate": false,
      "UIFeature.identityServer": false,
      "UIFeature.thirdPartyId": false,
      "UIFeature.urlPreviews": false,
      "UIFeature.widgets": false,
    },
  };
}
