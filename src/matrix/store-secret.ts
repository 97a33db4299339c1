// The secret that encrypts a crypto store at rest: 32 random bytes, base64, in a file only its
// owner can read. Separate keys are derived from it for each use, so no key serves two purposes.

import { closeSync, constants, fstatSync, fsyncSync, openSync, readFileSync, statSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { fsyncDirectory } from "../util/files.ts";
import { hkdfSync, randomBytes } from "node:crypto";

export interface StoreKeys {
  /** AES-256-GCM key for records and metadata in the SQLite file. */
  recordKey: Buffer;
  /** HMAC-SHA256 key naming rows by their IndexedDB key without revealing it. */
  rowIdKey: Buffer;
  /** Handed to matrix-js-sdk as `storageKey` for stores made by earlier versions: the Rust store encrypts its own values with it. */
  rustStorageKey: Uint8Array;
}

const SECRET_BYTES = 32;

/**
 * Reads the secret file, or creates it (mode 0600) when `mayCreate` and it is missing. Refuses a
 * file that group or others can access, and a file that is not 32 bytes of base64.
 */
export function loadStoreSecret(path: string, mayCreate: boolean): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    if (!mayCreate) {
      throw new Error(`crypto store secret ${path} is missing but the store exists; restore the secret file, or move the store away to start a new device`);
    }
    return createSecret(path);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Error(`crypto store secret ${path} is not a regular file`);
    if ((stat.mode & 0o077) !== 0) {
      throw new Error(`crypto store secret ${path} has mode ${(stat.mode & 0o777).toString(8)}; run chmod 600 on it (only its owner may read it)`);
    }
    const secret = Buffer.from(readFileSync(fd, "utf8").trim(), "base64");
    if (secret.length !== SECRET_BYTES) {
      throw new Error(`crypto store secret ${path} does not hold ${SECRET_BYTES} bytes of base64`);
    }
    return secret;
  } finally {
    closeSync(fd);
  }
}

function createSecret(path: string): Buffer {
  const secret = randomBytes(SECRET_BYTES);
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    writeSync(fd, `${secret.toString("base64")}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  fsyncDirectory(dirname(path));
  return secret;
}

export function deriveStoreKeys(secret: Buffer): StoreKeys {
  const derive = (purpose: string): Buffer => Buffer.from(hkdfSync("sha256", secret, "mchlink crypto store", `mchlink ${purpose} v1`, 32));
  return {
    recordKey: derive("record encryption"),
    rowIdKey: derive("row id"),
    rustStorageKey: new Uint8Array(derive("rust storage key")),
  };
}

/** Whether the file exists (a missing secret next to an existing store is an error, not a new secret). */
export function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}
