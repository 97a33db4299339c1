// Homeservers that federate with each other on loopback, for the federation tests.
//
// Each server is named by an IP literal and port (`127.0.0.1:PORT`), so other servers
// reach it at https://127.0.0.1:PORT with no DNS or .well-known lookup. That port is a
// TLS listener carrying the `federation` resource, with a self-signed certificate made
// here. The settings that let this work on loopback are TEST-ONLY and passed as
// overrides: production keeps certificate checks and the IP blacklists of the template.
import { execFileSync } from "node:child_process";
import { createPrivateKey, sign } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../src/homeserver/process.ts";
import { startTestSynapse, type TestSynapse } from "./synapse.ts";

/** A server name chosen before its Synapse is rendered: partners must name each other. */
export interface ReservedServer {
  serverName: string;
  clientPort: number;
  federationPort: number;
}

export interface FederatingSynapse extends TestSynapse {
  federationPort: number;
  /** https://127.0.0.1:PORT, where other servers send federation requests. */
  federationUrl: string;
}

const taken = new Set<number>();

async function distinctFreePort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (!taken.has(port)) {
      taken.add(port);
      return port;
    }
  }
}

export async function reserveServer(): Promise<ReservedServer> {
  const clientPort = await distinctFreePort();
  const federationPort = await distinctFreePort();
  return { serverName: `127.0.0.1:${federationPort}`, clientPort, federationPort };
}

/** A self-signed certificate for 127.0.0.1 in the data folder (Synapse sees it at /data). */
function makeCertificate(dataDir: string): void {
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "2",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      join(dataDir, "tls.key"),
      "-out",
      join(dataDir, "tls.crt"),
    ],
    { stdio: "ignore" },
  );
  chmodSync(join(dataDir, "tls.key"), 0o600);
}

/** The loopback federation settings. Never for production: they turn off certificate checks and the private-IP blacklist. */
function loopbackFederationOverrides(): Record<string, unknown> {
  return {
    tls_certificate_path: "/data/tls.crt",
    tls_private_key_path: "/data/tls.key",
    federation_verify_certificates: false,
    ip_range_whitelist: ["127.0.0.0/8"],
    federation_ip_range_blacklist: [],
    trusted_key_servers: [],
    // A compressed retry schedule, as the tests compress the ladder's clock. Synapse
    // retries a failing server with waits of up to 60 s, then backs off from 10 minutes
    // (checking every minute for servers owed events); a signed request from the partner
    // ends such a backoff at once, but not a wait between retries. Without this, a
    // partner restarted in a test could wait minutes for what it missed.
    federation: { max_long_retry_delay: "2s", destination_min_retry_interval: "2s", destination_max_retry_interval: "4s" },
  };
}

/** Start a Synapse under a reserved name that federates with `partners` (its federation_domain_whitelist). */
export async function startFederatingSynapse(server: ReservedServer, partners: string[]): Promise<FederatingSynapse> {
  const dataDir = mkdtempSync(join(tmpdir(), "mchlink-synapse-"));
  makeCertificate(dataDir);
  const hs = await startTestSynapse({
    serverName: server.serverName,
    port: server.clientPort,
    dataDir,
    federationPartners: partners,
    overrides: loopbackFederationOverrides(),
    extraListeners: [{ port: server.federationPort, bind_addresses: ["127.0.0.1"], type: "http", tls: true, x_forwarded: false, resources: [{ names: ["federation"], compress: false }] }],
  });
  return Object.assign(hs, { federationPort: server.federationPort, federationUrl: `https://${server.serverName}` });
}

/** A federation API request to a server's TLS listener, as another server would make it (self-signed certificate accepted). */
function federationRequest(url: string, method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(new URL(path, url), { method, rejectUnauthorized: false, headers: { ...headers, ...(payload ? { "content-type": "application/json" } : {}) }, timeout: 10_000 }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} }));
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${url}${path} timed out`)));
    req.on("error", reject);
    req.end(payload);
  });
}

/** Synapse's JSON signing form: keys sorted, no whitespace. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * A federation request from one test server to another, signed with the sender's own
 * signing key (read from its data folder) exactly as Synapse would sign it, so the
 * receiver judges it by its origin alone.
 */
export function signedFederationRequest(from: FederatingSynapse, to: FederatingSynapse, method: string, path: string, content?: unknown) {
  const [, keyId, seed] = readFileSync(join(from.dataDir, "signing.key"), "utf8").trim().split(" ") as [string, string, string];
  const key = createPrivateKey({ key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), Buffer.from(seed, "base64")]), format: "der", type: "pkcs8" });
  const request = { method, uri: path, origin: from.serverName, destination: to.serverName, ...(content === undefined ? {} : { content }) };
  const sig = sign(null, Buffer.from(canonicalJson(request)), key)
    .toString("base64")
    .replace(/=+$/, "");
  const authorization = `X-Matrix origin="${from.serverName}",destination="${to.serverName}",key="ed25519:${keyId}",sig="${sig}"`;
  return federationRequest(to.federationUrl, method, path, { authorization }, content);
}
