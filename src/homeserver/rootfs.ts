// The Debian sid root filesystem that carries Synapse also carries the other real
// servers the suite and the local stack start (PostgreSQL, Redis, ntfy, ...):
// one snapshot of Debian, run under bubblewrap without touching the host's mounts.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { repoRoot, rootfsDir } from "./paths.ts";

/** A problem with the local homeserver or its root filesystem, said so that the operator can act on it. */
export class HomeserverError extends Error {}

/** Build the root filesystem if this machine has none yet (needs root the first time). */
export function ensureRootfs(): void {
  if (existsSync(join(rootfsDir(), ".mchlink-ready"))) return;
  const run = spawnSync("bash", [join(repoRoot, "scripts", "synapse-rootfs.sh")], { stdio: ["ignore", "inherit", "inherit"] });
  if (run.status !== 0) throw new HomeserverError("could not build the Synapse root filesystem (see the message above)");
}

/** Make sure Debian sid `packages` are installed in the root filesystem (once per machine; serialised by a lock). */
export function ensureRootfsPackages(packages: readonly string[]): void {
  const run = spawnSync("bash", [join(repoRoot, "scripts", "rootfs-add.sh"), ...packages], { stdio: ["ignore", "inherit", "inherit"] });
  if (run.status !== 0) throw new HomeserverError(`could not add ${packages.join(" ")} to the root filesystem (see the message above)`);
}

export interface Bind {
  /** A folder on the host. */
  readonly host: string;
  /** Where it appears inside, e.g. /data. */
  readonly inside: string;
}

export interface SandboxOptions {
  /** Writable folders; the rootfs itself is read-only. */
  readonly binds: readonly Bind[];
  /** Working folder and HOME inside. */
  readonly home: string;
  /** End the sandboxed program when the process that started it dies. */
  readonly dieWithParent: boolean;
}

/** bubblewrap's arguments for a program from the root filesystem (append the program and its arguments). */
export function sandboxArgs(opts: SandboxOptions): string[] {
  const args = ["--ro-bind", rootfsDir(), "/", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"];
  for (const b of opts.binds) args.push("--bind", b.host, b.inside);
  args.push("--chdir", opts.home, "--setenv", "HOME", opts.home);
  if (opts.dieWithParent) args.push("--die-with-parent");
  return args;
}

export function requireBwrap(): void {
  if (spawnSync("bwrap", ["--version"]).status !== 0) {
    throw new HomeserverError("bubblewrap (bwrap) is not installed; run `npm run up` once as root, or `apt-get install bubblewrap`");
  }
}
