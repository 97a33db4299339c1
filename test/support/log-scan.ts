// What must never be written where it does not belong: the secrets of a deployment and the
// messages people sent. The scan reports which kind of secret was found where, never the secret
// itself (a test report is a log too).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { botPaths } from "../../src/homeserver/deployment.ts";
import type { Deployment } from "../../src/homeserver/deployment.ts";
import { OnboardingSheet } from "../../src/provision/sheet.ts";

export interface Secret {
  /** What it is, for the report: "password of @nurse-n1:…", "recovery key". */
  what: string;
  value: string;
}

export interface Finding {
  file: string;
  what: string;
}

/** Every secret a deployment holds: people's and service accounts' passwords, tokens, the bot's keys, Synapse's secrets. */
export function deploymentSecrets(dep: Deployment, synapseDataDir?: string): Secret[] {
  const secrets: Secret[] = [];
  const add = (what: string, value: string | undefined) => {
    if (value && value.trim().length >= 8) secrets.push({ what, value: value.trim() });
  };
  for (const row of new OnboardingSheet(dep.path("onboarding")).allRows()) add(`password of ${row.user_id}`, row.password);
  for (const name of ["admin", "bot"] as const) {
    const creds = dep.readCredentials(name);
    add(`${name} password`, creds?.password);
    add(`${name} access token`, creds?.accessToken);
  }
  const paths = botPaths(dep);
  const recovery = readFileSync(paths.recoveryKey, "utf8").trim();
  add("recovery key", recovery);
  add("recovery key (without spaces)", recovery.replace(/\s+/g, ""));
  const storeSecret = readFileSync(paths.cryptoSecret, "utf8").trim();
  add("crypto store secret", storeSecret);
  add("crypto store secret (hex)", Buffer.from(storeSecret, "base64").toString("hex"));
  if (synapseDataDir) {
    const synapse = JSON.parse(readFileSync(join(synapseDataDir, "secrets.json"), "utf8")) as Record<string, string>;
    for (const [name, value] of Object.entries(synapse)) add(`Synapse ${name}`, value);
    add("Synapse signing key", readFileSync(join(synapseDataDir, "signing.key"), "utf8").trim().split(" ").at(-1));
  }
  return secrets;
}

/** Any Synapse access token, whoever it belongs to. */
export const ACCESS_TOKEN: Secret = { what: "an access token (syt_…)", value: "syt_" };

/** Files (text or binary) in which any of `needles` occurs. */
export function scanFiles(files: string[], needles: Secret[]): Finding[] {
  const findings: Finding[] = [];
  for (const file of files) {
    if (!existsSync(file)) continue;
    const content = readFileSync(file);
    for (const n of needles) if (content.includes(n.value)) findings.push({ file, what: n.what });
  }
  return findings;
}

/** Every regular file under `dir`. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

export function modeOf(path: string): string {
  return (statSync(path).mode & 0o777).toString(8).padStart(4, "0");
}
