// The SMS gateway's secrets, kept in the deployment (sms.json, mode 0600), never in
// the province file: the sendsms username and password, the token in the bot's
// callback path (Kannel must present it), and the key senders' numbers are hashed with.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import type { Deployment } from "../homeserver/deployment.ts";
import { readSecretJson, writeSecretFile } from "../util/files.ts";

export interface SmsSecrets {
  username: string;
  password: string;
  /** In the callback path: /sms/<token>/mo and /sms/<token>/dlr. */
  callback_token: string;
  hash_key: string;
}

export function smsSecretsPath(dep: Deployment): string {
  return dep.path("sms.json");
}

export type SecretsResult = { ok: true; secrets: SmsSecrets } | { ok: false; error: string };

export function readSmsSecrets(dep: Deployment): SecretsResult {
  const path = smsSecretsPath(dep);
  if (!existsSync(path)) return { ok: false, error: `${path} is missing; \`npm run up\` writes one for the local Kannel, or write it yourself (docs/operations.md, "SMS")` };
  let data: unknown;
  try {
    data = readSecretJson(path);
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  const fields = ["username", "password", "callback_token", "hash_key"] as const;
  const record = (data ?? {}) as Record<string, unknown>;
  for (const field of fields) {
    if (typeof record[field] !== "string" || record[field] === "") return { ok: false, error: `${path}: ${field} must be a non-empty string` };
  }
  if (!/^[A-Za-z0-9_-]{16,}$/u.test(String(record.callback_token))) return { ok: false, error: `${path}: callback_token must be at least 16 letters, digits, '-' or '_'` };
  return { ok: true, secrets: record as unknown as SmsSecrets };
}

/** Writes fresh secrets unless the file exists (a local Kannel, or the compose setup). */
export function ensureSmsSecrets(dep: Deployment): SmsSecrets {
  const existing = readSmsSecrets(dep);
  if (existing.ok) return existing.secrets;
  if (existsSync(smsSecretsPath(dep))) throw new Error(existing.error);
  const token = () => randomBytes(24).toString("base64url");
  const secrets: SmsSecrets = { username: "mchlink", password: token(), callback_token: token(), hash_key: token() };
  dep.ensureDir();
  writeSecretFile(smsSecretsPath(dep), JSON.stringify(secrets, null, 2) + "\n");
  return secrets;
}
