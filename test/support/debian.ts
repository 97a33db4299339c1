// Debian packages some tests need (docker-compose, caddy, postgresql), installed
// on first use: CI is a clean clone on a Debian machine, run as root. Test files
// run in parallel, so installs are serialised with flock; apt itself waits for
// a lock held by anyone else.
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type Availability = { ok: true } | { ok: false; reason: string };

function apt(args: string): { ok: boolean; output: string } {
  const run = spawnSync("flock", [join(tmpdir(), "mchlink-apt.lock"), "sh", "-c", `apt-get -o DPkg::Lock::Timeout=300 -qq ${args}`], {
    encoding: "utf8",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  return { ok: run.status === 0, output: `${run.stdout ?? ""}${run.stderr ?? ""}`.trim().split("\n").slice(-5).join("\n") };
}

/**
 * Make sure `packages` are installed (`installed()` says whether they are).
 * Not available only when apt cannot reach Debian's archive or we are not root;
 * any other failure to install throws, so a broken setup fails instead of skipping.
 */
export function ensureDebianPackages(packages: string[], installed: () => boolean): Availability {
  if (installed()) return { ok: true };
  const names = packages.join(" ");
  if (process.getuid?.() !== 0) return { ok: false, reason: `${names} not installed, and only root can install it (apt-get install ${names})` };
  const install = `install -y --no-install-recommends ${names}`;
  if (apt(install).ok && installed()) return { ok: true };
  // The package lists may be missing or stale on a new machine.
  const update = apt("update");
  if (!update.ok) return { ok: false, reason: `apt-get update failed, so ${names} cannot be installed; is Debian's archive reachable?\n${update.output}` };
  const retry = apt(install);
  if (!retry.ok || !installed()) throw new Error(`apt-get could not install ${names}:\n${retry.output}`);
  return { ok: true };
}

export function commandExists(command: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}
