import { chmodSync, mkdirSync, openSync, closeSync, writeSync, fsyncSync, renameSync, statSync, readFileSync, existsSync, constants } from "node:fs";
import { dirname } from "node:path";

/** Write a file atomically (temp file, fsync, rename) with the given mode. */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, "w", mode);
  try {
    writeSync(fd, typeof data === "string" ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(tmp, mode);
  renameSync(tmp, path);
}

/** Write a secret file (mode 0600) atomically. */
export function writeSecretFile(path: string, data: string | Uint8Array): void {
  writeFileAtomic(path, data, 0o600);
}

/**
 * Read a secret file, refusing one that other users can read: a leaked key or
 * password file is worse than a stopped service.
 */
export function readSecretFile(path: string): string {
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077) {
    throw new Error(`${path} has mode ${mode.toString(8).padStart(4, "0")}; secret files must be 0600. Fix it with: chmod 600 ${path}`);
  }
  return readFileSync(path, "utf8");
}

/**
 * A secret file's JSON. V8's parse errors quote the text around the fault (`Unexpected token 's',
 * "{"password": s3cret}" is not valid JSON`), so a typo would put the password in a log or a
 * terminal; the error names the file and the place only.
 */
export function readSecretJson(path: string): unknown {
  const text = readSecretFile(path);
  try {
    return JSON.parse(text);
  } catch (err) {
    const at = /at position \d+(?: \(line \d+ column \d+\))?/u.exec(err instanceof Error ? err.message : "")?.[0];
    throw new Error(`${path} is not valid JSON${at ? ` (${at})` : ""}; its contents are not shown because they are secret`);
  }
}

export function readJsonIfExists<T>(path: string): T | undefined {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

/** Make a directory's entries (a new or renamed file in it) survive a crash. */
export function fsyncDirectory(path: string): void {
  const fd = openSync(path, constants.O_RDONLY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
