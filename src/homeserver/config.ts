// Renders synapse/homeserver.yaml (+ a profile from synapse/profiles/) into a
// data folder. One template serves the local, test and production homeservers
// so that the privacy hardening cannot drift between them.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import type { Province } from "../config/schema.ts";
import { readSecretJson, writeSecretFile } from "../util/files.ts";
import { repoRoot } from "./paths.ts";

export type Profile = "local" | "test" | "production";

export interface HomeserverSettings {
  serverName: string;
  publicBaseUrl: string;
  clientPort: number;
  bindAddress: string;
  /** Behind a TLS reverse proxy that sets X-Forwarded-For. */
  xForwarded: boolean;
  /** The federation allow-list; empty: no federation. */
  federationPartners: string[];
  retention: { minLifetime: string; maxLifetime: string };
  profile: Profile;
  /** A Prometheus metrics listener on this port, same bind address (production: the compose network only). */
  metricsPort?: number;
  /** Extra settings merged last (tests use it for federation over loopback). */
  overrides?: Record<string, unknown>;
}

export interface HomeserverSecrets {
  registration_shared_secret: string;
  macaroon_secret_key: string;
  form_secret: string;
}

const templateDir = join(repoRoot, "synapse");

type Yaml = Record<string, unknown>;

function isPlainObject(v: unknown): v is Yaml {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Deep merge where `over` wins; lists are replaced, not concatenated. */
/** What the province decides in Synapse's config, the same in every profile: the federation allow-list and message retention. */
export function provinceSettings(province: Province): Pick<HomeserverSettings, "federationPartners" | "retention"> {
  return {
    federationPartners: province.federation.partners,
    retention: { minLifetime: province.retention.min_lifetime, maxLifetime: province.retention.max_lifetime },
  };
}

export function mergeConfig(base: Yaml, over: Yaml): Yaml {
  const out: Yaml = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    out[key] = isPlainObject(prev) && isPlainObject(value) ? mergeConfig(prev, value) : value;
  }
  return out;
}

/** The homeserver.yaml content, as an object, for these settings (secrets not included). */
export function renderHomeserverConfig(settings: HomeserverSettings): Yaml {
  const values: Record<string, unknown> = {
    server_name: settings.serverName,
    public_baseurl: settings.publicBaseUrl,
    client_port: settings.clientPort,
    bind_address: settings.bindAddress,
    x_forwarded: settings.xForwarded,
    federation_domain_whitelist: settings.federationPartners,
    retention_min_lifetime: settings.retention.minLifetime,
    retention_max_lifetime: settings.retention.maxLifetime,
  };
  const text = readFileSync(join(templateDir, "homeserver.yaml"), "utf8").replace(/\$\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in values)) throw new Error(`synapse/homeserver.yaml: unknown placeholder ${whole}`);
    const v = values[name];
    // Strings sit inside quotes in the template; everything else is written as JSON (valid YAML).
    return typeof v === "string" ? v.replace(/["\\]/g, "\\$&") : JSON.stringify(v);
  });
  let config = parse(text) as Yaml;
  const profiles = settings.profile === "test" ? ["local", "test"] : [settings.profile];
  for (const p of profiles) {
    config = mergeConfig(config, parse(readFileSync(join(templateDir, "profiles", `${p}.yaml`), "utf8")) as Yaml);
  }
  if (settings.federationPartners.length > 0) {
    // Federation shares the client listener: in production the TLS proxy serves
    // both on 443 and .well-known/matrix/server delegates to it.
    const listeners = config.listeners as Array<{ resources: Array<{ names: string[] }> }>;
    listeners[0]!.resources[0]!.names.push("federation");
  }
  if (settings.metricsPort !== undefined) {
    (config.listeners as unknown[]).push({ port: settings.metricsPort, bind_addresses: [settings.bindAddress], type: "metrics" });
  }
  return mergeConfig(config, settings.overrides ?? {});
}

/** Secrets are generated once per data folder and kept in a 0600 file there. */
export function ensureSecrets(dataDir: string): HomeserverSecrets {
  const path = join(dataDir, "secrets.json");
  if (existsSync(path)) return readSecretJson(path) as HomeserverSecrets;
  const secret = () => randomBytes(32).toString("base64url");
  const secrets = { registration_shared_secret: secret(), macaroon_secret_key: secret(), form_secret: secret() };
  writeSecretFile(path, JSON.stringify(secrets, null, 2) + "\n");
  return secrets;
}

/** An ed25519 signing key in Synapse's format: `ed25519 <key id> <unpadded base64 seed>`. */
export function ensureSigningKey(dataDir: string): void {
  const path = join(dataDir, "signing.key");
  if (existsSync(path)) return;
  const { privateKey } = generateKeyPairSync("ed25519");
  const seed = Buffer.from(privateKey.export({ format: "jwk" }).d!, "base64url");
  const keyId =
    "a_" +
    randomBytes(3)
      .toString("base64url")
      .replace(/[^A-Za-z0-9]/g, "x")
      .slice(0, 4);
  writeSecretFile(path, `ed25519 ${keyId} ${seed.toString("base64").replace(/=+$/, "")}\n`);
}

/**
 * Prepare a data folder: secrets and signing key (kept if present), and the
 * rendered homeserver.yaml (re-rendered every time, so template changes apply).
 */
export function prepareDataDir(dataDir: string, settings: HomeserverSettings): HomeserverSecrets {
  mkdirSync(join(dataDir, "media_store"), { recursive: true, mode: 0o700 });
  const secrets = ensureSecrets(dataDir);
  ensureSigningKey(dataDir);
  const config = mergeConfig(renderHomeserverConfig(settings), { ...secrets });
  writeSecretFile(join(dataDir, "homeserver.yaml"), "# Rendered by mchlink from synapse/homeserver.yaml; edit the template, not this file.\n" + stringify(config));
  copyFileSync(join(templateDir, "log.config"), join(dataDir, "log.config"));
  return secrets;
}
