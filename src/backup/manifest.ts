// The manifest at the top of every backup archive: which versions made it, when,
// what is inside and what was deliberately left out, and each file's size, mode
// and SHA-256, so that a restore can refuse a damaged or partial archive before
// it touches anything.
import { createHash } from "node:crypto";
import { closeSync, lstatSync, openSync, readdirSync, readSync } from "node:fs";
import { join } from "node:path";

export const BACKUP_FORMAT = "mchlink-backup/1";
export const MANIFEST_NAME = "manifest.json";
/** Everything restored lives under this folder of the archive: the state folder's image. */
export const STATE_ROOT = "state";

export interface ManifestFile {
  /** Relative to the archive's root, with "/" separators: "state/admin.json". */
  path: string;
  bytes: number;
  sha256: string;
  mode: number;
}

export interface ManifestDirectory {
  path: string;
  mode: number;
}

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  created_at: string;
  mchlink: { version: string; commit?: string };
  node: string;
  server_name?: string;
  homeserver_url?: string;
  /** Absent when the deployment has no local Synapse data folder (an external homeserver). */
  synapse?: {
    version?: string;
    database: // sqlite_version: the SQLite that wrote the snapshot (Node's).
      | { engine: "sqlite"; schema_version?: number; sqlite_version?: string }
      // Archives made before backups held the PostgreSQL database.
      | { engine: "postgresql"; included: false }
      | {
          engine: "postgresql";
          included: true;
          /** The server's version when dumped, e.g. "18.6". */
          server_version: string;
          /** pg_dump's major version; a restore needs a pg_restore at least as new. */
          pg_dump_major: number;
          schema_version?: number;
          /** The dump (pg_dump's custom format), a path in the archive. */
          dump: string;
        };
  };
  bot?: { schema_version: number };
  /** What is inside, in words, for the operator. */
  contents: string[];
  /** What is not, and why. */
  left_out: string[];
  directories: ManifestDirectory[];
  files: ManifestFile[];
}

export function sha256File(path: string): string {
  const hash = createHash("sha256");
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

export interface TreeEntry {
  path: string;
  kind: "file" | "directory" | "other";
  mode: number;
  bytes: number;
}

/** Every entry under `root/sub`, depth first, sorted, paths relative to `root`. Symlinks are not followed. */
export function walkTree(root: string, sub: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  const visit = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const path = `${rel}/${name}`;
      const st = lstatSync(join(root, path));
      const kind = st.isDirectory() ? "directory" : st.isFile() ? "file" : "other";
      entries.push({ path, kind, mode: st.mode & 0o7777, bytes: st.size });
      if (kind === "directory") visit(path);
    }
  };
  visit(sub);
  return entries;
}

/** The files and folders part of a manifest, read from a staged archive root. */
export function describeTree(root: string): Pick<Manifest, "directories" | "files"> {
  const directories: ManifestDirectory[] = [{ path: STATE_ROOT, mode: 0o700 }];
  const files: ManifestFile[] = [];
  for (const e of walkTree(root, STATE_ROOT)) {
    if (e.kind === "directory") directories.push({ path: e.path, mode: e.mode });
    else if (e.kind === "file") files.push({ path: e.path, bytes: e.bytes, sha256: sha256File(join(root, e.path)), mode: e.mode });
    else throw new Error(`${e.path} is neither a file nor a folder`);
  }
  return { directories, files };
}

export type ManifestCheck = { ok: true; manifest: Manifest } | { ok: false; problem: string };

/** Parse a manifest's text and check its shape (not the files: see verifyTree). */
export function parseManifest(text: string): ManifestCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: `${MANIFEST_NAME} is not valid JSON` };
  }
  const m = value as Partial<Manifest>;
  if (typeof m !== "object" || m === null || m.format !== BACKUP_FORMAT) {
    const found = typeof m === "object" && m !== null && typeof m.format === "string" ? m.format : "none";
    return {
      ok: false,
      problem: `unknown backup format ${JSON.stringify(found)} (this mchlink reads ${BACKUP_FORMAT}); restore it with the mchlink version that made it (${m?.mchlink?.version ?? "unknown"})`,
    };
  }
  if (!Array.isArray(m.files) || !Array.isArray(m.directories) || typeof m.created_at !== "string") {
    return { ok: false, problem: `${MANIFEST_NAME} lacks its list of files` };
  }
  for (const entry of [...m.files, ...m.directories]) {
    if (!isSafePath(entry.path)) return { ok: false, problem: `${MANIFEST_NAME} names a path outside the state folder: ${JSON.stringify(entry.path)}` };
  }
  return { ok: true, manifest: m as Manifest };
}

/** "state" or "state/…" without empty, "." or ".." parts. */
export function isSafePath(path: unknown): path is string {
  if (typeof path !== "string" || path.includes("\0") || path.includes("\\")) return false;
  const parts = path.split("/");
  return parts[0] === STATE_ROOT && parts.every((p) => p !== "" && p !== "." && p !== "..");
}

/**
 * Compare an extracted archive with its manifest: every file present with its size and
 * hash, nothing else, no links. Returns every problem found (empty: intact).
 */
export function verifyTree(root: string, manifest: Manifest): string[] {
  const problems: string[] = [];
  const expectedFiles = new Map(manifest.files.map((f) => [f.path, f]));
  const expectedDirs = new Set(manifest.directories.map((d) => d.path));
  let actual: TreeEntry[];
  try {
    actual = walkTree(root, STATE_ROOT);
  } catch {
    return [`the archive has no ${STATE_ROOT}/ folder`];
  }
  const seen = new Set<string>();
  for (const e of actual) {
    seen.add(e.path);
    if (e.kind === "other") problems.push(`${e.path} is not a regular file`);
    else if (e.kind === "directory") {
      if (!expectedDirs.has(e.path)) problems.push(`${e.path}/ is not in the manifest`);
    } else {
      const f = expectedFiles.get(e.path);
      if (!f) problems.push(`${e.path} is not in the manifest`);
      else if (f.bytes !== e.bytes) problems.push(`${e.path} has ${e.bytes} bytes, the manifest says ${f.bytes}`);
      else if (sha256File(join(root, e.path)) !== f.sha256) problems.push(`${e.path} is damaged (its SHA-256 differs from the manifest's)`);
    }
  }
  for (const f of manifest.files) if (!seen.has(f.path)) problems.push(`${f.path} is missing`);
  for (const d of manifest.directories) if (d.path !== STATE_ROOT && !seen.has(d.path)) problems.push(`${d.path}/ is missing`);
  return problems;
}
