// SMS for the docker-compose deployment (`mchlink render-config`, profile `sms`): the bot's
// SMS secrets in its state folder, and Kannel's configuration rendered into deploy/kannel/.
// Which SMS centre Kannel talks to is the operator's own secret file, deploy/kannel/smsc.json:
//   {"kind": "smpp", "host": "...", "port": 2775, "system_id": "...", "password": "...", "source_address": "+856..."}
//   {"kind": "modem", "device": "/dev/ttyUSB0", "pin": "1234"}
// Without it the gateway runs against nothing and queues every page (the bot tells the experts'
// room nothing is wrong until the queue's pages expire); render-config warns.
import { chownSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Province } from "../config/schema.ts";
import type { Deployment } from "../homeserver/deployment.ts";
import { BOT_UID } from "../homeserver/production.ts";
import { readSecretJson, writeSecretFile } from "../util/files.ts";
import { renderKannelConfig, type SmsCentre } from "./kannel-config.ts";
import { ensureSmsSecrets, smsSecretsPath } from "./secrets.ts";

/** The kannel user of docker/kannel.Dockerfile: it must be able to read its configuration. */
export const KANNEL_UID = 997;

/** Inside the compose network: smsbox's sendsms port, and the ports bearerbox keeps to itself. */
export const COMPOSE_KANNEL_PORTS = { admin: 13000, smsbox: 13001, sendsms: 13013 };

export interface ComposeSmsResult {
  created: string[];
  warnings: string[];
}

export function renderComposeSms(province: Province, outDir: string, state: Deployment): ComposeSmsResult {
  const sms = province.sms;
  if (!sms) return { created: [], warnings: [] };
  const created: string[] = [];
  const warnings: string[] = [];
  const hadSecrets = existsSync(smsSecretsPath(state));
  const secrets = ensureSmsSecrets(state);
  if (!hadSecrets) created.push(smsSecretsPath(state));
  // The bot container reads it as its own user, like the rest of the state folder.
  if (process.getuid?.() === 0) chownSync(smsSecretsPath(state), BOT_UID, BOT_UID);
  const dir = join(outDir, "kannel");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const centreFile = join(dir, "smsc.json");
  let centre: SmsCentre = { kind: "fake", port: 13002 };
  if (existsSync(centreFile)) centre = readCentre(centreFile);
  else
    warnings.push(
      `${centreFile} is missing: Kannel has no SMS centre and pages will wait in its queue. Write your operator's SMPP account or your GSM modem there (docs/operations.md, "SMS"), then render again.`,
    );
  if (!sms.callback) warnings.push("the province's sms.callback is not set: in docker-compose Kannel reaches the bot at http://bot:<port of sms.listen>; set it, and sms.listen to 0.0.0.0:<port>");
  const conf = join(dir, "kannel.conf");
  writeSecretFile(
    conf,
    renderKannelConfig({
      dir: "/var/lib/kannel",
      // The sendsms port is reachable on the compose network only (never published), so any address there may use it.
      sendsmsInterface: "0.0.0.0",
      allowIp: "*.*.*.*",
      ports: COMPOSE_KANNEL_PORTS,
      adminPassword: secrets.password,
      centre,
      secrets,
      callbackBase: `${(sms.callback ?? `http://${sms.listen}`).replace(/\/+$/u, "")}/sms/${secrets.callback_token}`,
    }),
  );
  if (process.getuid?.() === 0) chownSync(conf, KANNEL_UID, KANNEL_UID);
  else warnings.push(`not root: give ${conf} to the container's kannel user with: sudo chown ${KANNEL_UID}:${KANNEL_UID} ${conf}`);
  return { created, warnings };
}

function readCentre(path: string): SmsCentre {
  const data = (readSecretJson(path) ?? {}) as Record<string, unknown>;
  const text = (key: string) => {
    const value = data[key];
    if (typeof value !== "string" || value === "") throw new Error(`${path}: ${key} must be a non-empty string`);
    return value;
  };
  if (data.kind === "smpp") {
    const port = Number(data.port ?? 2775);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${path}: port must be a port number`);
    return {
      kind: "smpp",
      host: text("host"),
      port,
      systemId: text("system_id"),
      password: text("password"),
      ...(typeof data.source_address === "string" ? { sourceAddress: data.source_address } : {}),
    };
  }
  if (data.kind === "modem") return { kind: "modem", device: text("device"), ...(typeof data.pin === "string" ? { pin: data.pin } : {}) };
  throw new Error(`${path}: kind must be "smpp" (an operator's SMPP account) or "modem" (a GSM modem), found ${JSON.stringify(data.kind)}`);
}
