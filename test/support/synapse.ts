// A real Synapse for the test suite: its own data folder under the OS temp dir,
// a free port, fast password hashing and raised rate limits (synapse/profiles/test.yaml),
// and shared-secret registration for test users. Nothing here touches an `up` stack.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mergeConfig, prepareDataDir, renderHomeserverConfig, type HomeserverSecrets, type HomeserverSettings } from "../../src/homeserver/config.ts";
import { ensureRootfs, freePort, startSynapse, stopSynapse, type RunningSynapse } from "../../src/homeserver/process.ts";
import { MatrixHttp } from "../../src/matrix/http.ts";
import { registerWithSharedSecret, type Session } from "../../src/matrix/register.ts";

export interface TestUser extends Session {
  password: string;
}

export interface TestSynapse {
  baseUrl: string;
  serverName: string;
  port: number;
  dataDir: string;
  secrets: HomeserverSecrets;
  http: MatrixHttp;
  registerUser(localpart: string, opts?: { admin?: boolean; displayName?: string }): Promise<TestUser>;
  /** Stop Synapse and keep its data (for restart tests). */
  stop(): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
  /** Stop and delete the data folder. */
  destroy(): Promise<void>;
}

export interface TestSynapseOptions {
  serverName?: string;
  federationPartners?: string[];
  overrides?: Record<string, unknown>;
  /** A port picked beforehand (a federating server's name must be known before rendering); default: a free one. */
  port?: number;
  /** A data folder prepared beforehand (e.g. holding a TLS certificate); default: a new temporary one. */
  dataDir?: string;
  /** Listeners added after the template's client listener (e.g. a TLS federation listener). */
  extraListeners?: Record<string, unknown>[];
  /**
   * The rate limits and password hashing people meet (the `local` profile, as `npm run up`),
   * without synapse/profiles/test.yaml's raised limits: for tests of what users meet at the door.
   */
  productionLimits?: boolean;
}

export async function startTestSynapse(opts: TestSynapseOptions = {}): Promise<TestSynapse> {
  ensureRootfs();
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "mchlink-synapse-"));
  const port = opts.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const serverName = opts.serverName ?? "mchlink.test";
  const settings: HomeserverSettings = {
    serverName,
    publicBaseUrl: `${baseUrl}/`,
    clientPort: port,
    bindAddress: "127.0.0.1",
    xForwarded: false,
    federationPartners: opts.federationPartners ?? [],
    retention: { minLifetime: "1d", maxLifetime: "730d" },
    profile: opts.productionLimits ? "local" : "test",
  };
  // Overrides replace lists, so extra listeners are appended to the rendered ones here.
  const listeners = opts.extraListeners ? { listeners: [...(renderHomeserverConfig(settings).listeners as unknown[]), ...opts.extraListeners] } : {};
  const secrets = prepareDataDir(dataDir, { ...settings, overrides: mergeConfig(opts.overrides ?? {}, listeners) });
  const http = new MatrixHttp({ baseUrl, retries: 3, backoffMs: 200 });
  let running: RunningSynapse | undefined;
  const hs: TestSynapse = {
    baseUrl,
    serverName,
    port,
    dataDir,
    secrets,
    http,
    async registerUser(localpart, o = {}) {
      const password = randomBytes(12).toString("base64url");
      const session = await registerWithSharedSecret(http, secrets.registration_shared_secret, {
        localpart,
        password,
        admin: o.admin ?? false,
        displayName: o.displayName,
      });
      return { ...session, password };
    },
    async start() {
      running = await startSynapse({ dataDir, baseUrl, dieWithParent: true });
    },
    async stop() {
      if (running) await stopSynapse(running.pid);
      running = undefined;
    },
    async restart() {
      await hs.stop();
      await hs.start();
    },
    async destroy() {
      await hs.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await hs.start();
  return hs;
}

/** A unique, valid localpart or alias suffix for one test. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}
