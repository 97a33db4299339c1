import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (where package.json is). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Where the Synapse root filesystem is built, once per machine, outside any clone. */
export function cacheDir(): string {
  return process.env.MCHLINK_CACHE ?? "/var/cache/mchlink";
}

export function rootfsDir(): string {
  return join(cacheDir(), "synapse-rootfs");
}

/** Runtime state of `npm run up` in this checkout (git-ignored). */
export function stateDir(): string {
  return process.env.MCHLINK_STATE ?? join(repoRoot, ".mchlink");
}
