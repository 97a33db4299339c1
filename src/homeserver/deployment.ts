// A deployment's local state: where its homeserver is, and the service
// accounts' credentials. It lives in one folder (`.mchlink/` for `npm run up`,
// MCHLINK_STATE or --state elsewhere); every secret in it is a 0600 file.
//
//   homeserver.json        { baseUrl, serverName, dataDir?, publicUrl?, sharedSecretFile? }  (dataDir: a local Synapse we run)
//   admin.json       0600  the mchlink-admin service account (creates rooms, accounts)
//   bot.json         0600  the bot's password, access token and device id
//   onboarding/      0700  credentials.csv and the printable per-facility sheets
//   pids.json              what `npm run up` started
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { readJsonIfExists, readSecretFile, readSecretJson, writeFileAtomic, writeSecretFile } from "../util/files.ts";
import { MatrixError, MatrixHttp } from "../matrix/http.ts";
import { loginWithPassword, registerWithSharedSecret, type Session } from "../matrix/register.ts";
import { ensureSecrets } from "./config.ts";
import { stateDir } from "./paths.ts";

export const ADMIN_LOCALPART = "mchlink-admin";

export interface HomeserverInfo {
  baseUrl: string;
  serverName: string;
  /** Set when this deployment runs its own local Synapse from that data folder. */
  dataDir?: string;
  /** Where to read the registration shared secret when there is no local data folder. */
  sharedSecretFile?: string;
  /** What phones connect to, when it is not baseUrl (production: the TLS proxy; baseUrl is Synapse inside the compose network). */
  publicUrl?: string;
}

export interface Credentials extends Session {
  password: string;
}

export class Deployment {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
  }

  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  ensureDir(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  homeserver(): HomeserverInfo | undefined {
    return readJsonIfExists<HomeserverInfo>(this.path("homeserver.json"));
  }

  requireHomeserver(): HomeserverInfo {
    const hs = this.homeserver();
    if (!hs) {
      throw new Error(`no homeserver is recorded in ${this.path("homeserver.json")}; run \`npm run up\` for the local homeserver, or \`mchlink render-config\` for the docker-compose deployment`);
    }
    return hs;
  }

  saveHomeserver(info: HomeserverInfo): void {
    this.ensureDir();
    writeFileAtomic(this.path("homeserver.json"), JSON.stringify(info, null, 2) + "\n", 0o644);
  }

  readCredentials(name: "admin" | "bot"): Credentials | undefined {
    const file = this.path(`${name}.json`);
    return existsSync(file) ? (readSecretJson(file) as Credentials) : undefined;
  }

  saveCredentials(name: "admin" | "bot", creds: Partial<Credentials> & { password: string }): void {
    this.ensureDir();
    writeSecretFile(this.path(`${name}.json`), JSON.stringify(creds, null, 2) + "\n");
  }

  /** The bot's password: generated once and written (0600) before anything uses it. */
  botPassword(userId: string): string {
    const saved = this.readCredentials("bot");
    if (saved?.password) return saved.password;
    const password = randomBytes(24).toString("base64url");
    this.saveCredentials("bot", { userId, accessToken: "", deviceId: "", password });
    return password;
  }

  sharedSecret(hs: HomeserverInfo): string {
    if (hs.dataDir) return ensureSecrets(hs.dataDir).registration_shared_secret;
    if (hs.sharedSecretFile) return readSecretFile(hs.sharedSecretFile).trim();
    throw new Error("neither a local Synapse data folder nor a shared-secret file is recorded; cannot create the first admin account");
  }

  /**
   * The mchlink-admin session, bootstrapped with shared-secret registration the
   * first time. The password is written (0600) before the account is created, so
   * an interrupted bootstrap is finished by logging in on the next run.
   */
  async adminSession(): Promise<{ http: MatrixHttp; session: Session }> {
    const hs = this.requireHomeserver();
    const anon = new MatrixHttp({ baseUrl: hs.baseUrl });
    let creds = this.readCredentials("admin");
    if (creds?.accessToken) {
      const http = anon.withToken(creds.accessToken);
      try {
        await http.get("/_matrix/client/v3/account/whoami");
        return { http, session: creds };
      } catch (err) {
        if (!(err instanceof MatrixError && err.status === 401)) throw err;
      }
    }
    if (!creds) {
      creds = { userId: `@${ADMIN_LOCALPART}:${hs.serverName}`, accessToken: "", deviceId: "", password: randomBytes(24).toString("base64url") };
      this.saveCredentials("admin", creds);
    }
    let session: Session;
    try {
      session = await registerWithSharedSecret(anon, this.sharedSecret(hs), { localpart: ADMIN_LOCALPART, password: creds.password, admin: true, displayName: "mchlink admin" });
    } catch (err) {
      if (!(err instanceof MatrixError && err.errcode === "M_USER_IN_USE")) throw err;
      session = await loginWithPassword(anon, ADMIN_LOCALPART, creds.password, "mchlink CLI");
    }
    this.saveCredentials("admin", { ...session, password: creds.password });
    return { http: anon.withToken(session.accessToken), session };
  }
}

export function defaultDeployment(dir?: string): Deployment {
  return new Deployment(dir ?? stateDir());
}

/** Where the bot keeps its state in the deployment folder. */
export function botPaths(dep: Deployment) {
  return {
    dir: dep.path("bot"),
    database: dep.path("bot", "bot.sqlite"),
    cryptoDir: dep.path("bot", "crypto"),
    cryptoSecret: dep.path("bot", "crypto.key"),
    recoveryKey: dep.path("bot", "recovery-key.txt"),
    log: dep.path("bot", "bot.log"),
    status: dep.path("bot", "status.json"),
  };
}
