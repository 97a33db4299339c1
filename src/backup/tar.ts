// The archive container: a gzip-compressed POSIX tar made and read by GNU tar
// (Debian's `tar`; Node has no tar of its own). Owners are not kept (0/0) and
// modes are applied from the manifest at restore, so the archive does not
// depend on the users of the machine that made it.
import { spawnSync } from "node:child_process";

export class TarError extends Error {}

/** tar's complaint in one line, without its generic trailer. */
function complaint(stderr: string): string {
  const lines = stderr
    .split("\n")
    .map((l) => l.replace(/^tar: /, "").trim())
    .filter((l) => l !== "" && !/^(Error is not recoverable|Child returned status|Exiting with failure)/.test(l));
  return lines.join("; ") || "unreadable";
}

function tar(args: string[]): { ok: boolean; stdout: string; stderr: string } {
  const run = spawnSync("tar", args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (run.error) throw new TarError(`cannot run tar (${run.error.message}); install it with \`apt-get install tar\``);
  return { ok: run.status === 0, stdout: run.stdout, stderr: run.stderr.trim() };
}

/** Write `entries` (relative to `dir`) into a new gzip tar at `file`. */
export function createTar(file: string, dir: string, entries: string[]): void {
  const run = tar(["--create", "--gzip", "--file", file, "--directory", dir, "--format=posix", "--numeric-owner", "--owner=0", "--group=0", "--sort=name", "--", ...entries]);
  if (!run.ok) throw new TarError(`tar could not write ${file}: ${run.stderr}`);
}

export interface TarMember {
  /** The first letter of `tar -tv`'s mode column: "-" file, "d" folder, "l" symlink, "h" hard link, … */
  type: string;
  name: string;
}

export type TarListing = { ok: true; members: TarMember[] } | { ok: false; problem: string };

/** What the archive holds, without extracting it. A truncated or corrupt archive fails here. */
export function listTar(file: string): TarListing {
  const names = tar(["--list", "--file", file]);
  const verbose = tar(["--list", "--verbose", "--numeric-owner", "--file", file]);
  if (!names.ok || !verbose.ok) {
    return { ok: false, problem: `the archive is damaged or incomplete (tar: ${complaint(names.ok ? verbose.stderr : names.stderr)})` };
  }
  const nameLines = names.stdout.split("\n").filter((l) => l !== "");
  const typeLines = verbose.stdout.split("\n").filter((l) => l !== "");
  if (nameLines.length !== typeLines.length) return { ok: false, problem: "the archive's listing is inconsistent (unusual member names)" };
  return { ok: true, members: nameLines.map((name, i) => ({ name: name.replace(/\/$/, ""), type: typeLines[i]![0]! })) };
}

/** Extract into an empty folder; owners are the caller's, modes are fixed afterwards from the manifest. */
export function extractTar(file: string, dir: string): void {
  const run = tar(["--extract", "--file", file, "--directory", dir, "--no-same-owner", "--no-same-permissions", "--no-overwrite-dir"]);
  if (!run.ok) throw new TarError(`the archive is damaged or incomplete (tar: ${complaint(run.stderr)})`);
}
