// Diagnostic preload for `npm run bench -- --crypto-store` only: the bot's durable crypto store
// (src/matrix/encrypted-idb-file.ts) commits without waiting for the disk (synchronous=OFF instead
// of FULL), so the phase can tell what the store's fsyncs cost apart from its reads. A power cut
// could then lose keys: nothing outside that bench phase may ever load this file.
import { DatabaseSync } from "node:sqlite";

const FULL = "PRAGMA synchronous=FULL"; // the crypto store's own statement; the bot store writes "synchronous = FULL"
const original = DatabaseSync.prototype.exec;
DatabaseSync.prototype.exec = function (this: DatabaseSync, sql: string) {
  if (sql === FULL) {
    process.stderr.write(`[diagnostic pid ${process.pid}] crypto store: synchronous=OFF (bench preload)\n`);
    return original.call(this, "PRAGMA synchronous=OFF");
  }
  return original.call(this, sql);
};
