// `npm run up` with SMS: when the province pages by SMS through a gateway on this machine,
// a local Kannel (bearerbox + smsbox) with Kannel's fake SMS centre behind it, so the whole
// path runs without an operator. What would have gone to phones is in kannel/fakesmsc.out.
// A real operator's SMPP account or a GSM modem replaces the fake centre: docs/operations.md.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Province } from "../config/schema.ts";
import type { Deployment } from "../homeserver/deployment.ts";
import { assertPortFree } from "../homeserver/process.ts";
import { writeSecretFile } from "../util/files.ts";
import { renderKannelConfig } from "./kannel-config.ts";
import { FAKESMSC, KANNEL_PACKAGES, kannelInstalled, startKannel } from "./kannel-process.ts";
import { ensureSmsSecrets } from "./secrets.ts";

export interface LocalKannel {
  sendsmsUrl: string;
  bearerbox: number;
  smsbox: number;
  /** Where the fake SMS centre writes what it received. */
  outbox: string;
}

/** The ports next to the gateway's: sendsms is the gateway's own, then smsbox, admin and the fake centre. */
export function localKannelPorts(sendsms: number) {
  return { sendsms, smsbox: sendsms + 1, admin: sendsms + 2, fake: sendsms + 3 };
}

/**
 * Starts the local Kannel unless the province has no `sms` section or its gateway is not
 * on this machine (then it is someone else's to run). Returns undefined when not started.
 */
export async function startLocalKannel(dep: Deployment, province: Province, log: (line: string) => void): Promise<LocalKannel | undefined> {
  const sms = province.sms;
  if (!sms) return undefined;
  const gateway = new URL(sms.gateway);
  if (gateway.hostname !== "127.0.0.1" && gateway.hostname !== "localhost") {
    log(`SMS goes through the gateway at ${sms.gateway}; not starting a local Kannel`);
    return undefined;
  }
  installKannel();
  const ports = localKannelPorts(Number(gateway.port || 80));
  for (const port of Object.values(ports)) await assertPortFree("127.0.0.1", port);
  const secrets = ensureSmsSecrets(dep);
  const dir = dep.path("kannel");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const configFile = join(dir, "kannel.conf");
  const callbackBase = `${(sms.callback ?? `http://${sms.listen}`).replace(/\/+$/u, "")}/sms/${secrets.callback_token}`;
  writeSecretFile(
    configFile,
    renderKannelConfig({ dir, sendsmsInterface: "127.0.0.1", allowIp: "127.0.0.1", ports, adminPassword: secrets.password, centre: { kind: "fake", port: ports.fake }, secrets, callbackBase }),
  );
  log(`Starting Kannel (SMS gateway) at ${sms.gateway}, with the fake SMS centre; its logs are in ${dir}`);
  const kannel = await startKannel({ configFile, dir, sendsmsPort: ports.sendsms, detached: true });
  // Receive-only (`-m 0`): it sends nothing and prints every SMS the gateway hands it. It ends when bearerbox does.
  const outbox = join(dir, "fakesmsc.out");
  const out = openSync(outbox, "a", 0o600);
  spawn(FAKESMSC, ["-H", "127.0.0.1", "-r", String(ports.fake), "-m", "0", "0 0 text unused"], { stdio: ["ignore", out, out], detached: true }).unref();
  closeSync(out);
  return { sendsmsUrl: kannel.sendsmsUrl, bearerbox: kannel.bearerbox.pid!, smsbox: kannel.smsbox.pid!, outbox };
}

/** Debian's `kannel` and `kannel-extras`, installed on first use (root only), serialised with other installs. */
function installKannel(): void {
  if (kannelInstalled()) return;
  const names = KANNEL_PACKAGES.join(" ");
  if (process.getuid?.() !== 0) throw new Error(`Kannel is not installed; install it as root: apt-get install ${names}`);
  const apt = (args: string) =>
    spawnSync("flock", [join(tmpdir(), "mchlink-apt.lock"), "sh", "-c", `apt-get -o DPkg::Lock::Timeout=300 -qq ${args}`], {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    }).status === 0;
  if (!apt(`install -y --no-install-recommends ${names}`) && !(apt("update") && apt(`install -y --no-install-recommends ${names}`))) {
    throw new Error(`apt-get could not install ${names}; is Debian's archive reachable?`);
  }
  if (!kannelInstalled()) throw new Error(`${names} installed, but bearerbox, smsbox or fakesmsc is missing`);
}
