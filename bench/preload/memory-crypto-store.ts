// Diagnostic preload for `npm run bench -- --crypto-store` only: the bot process started with
// `--import` of this file keeps its Rust crypto state in memory (matrix-sdk-crypto's MemoryStore)
// instead of its durable store, exactly as the echo floor's bare clients do. Such a bot loses its
// keys when it stops, so nothing outside that bench phase may ever load this file.
import { MatrixClient } from "matrix-js-sdk";

type InitArgs = Parameters<MatrixClient["initRustCrypto"]>[0];
const original = MatrixClient.prototype.initRustCrypto;
MatrixClient.prototype.initRustCrypto = function (this: MatrixClient, args: InitArgs = {}) {
  process.stderr.write(`[diagnostic pid ${process.pid}] crypto store: in memory (bench preload)\n`);
  return original.call(this, { ...args, useIndexedDB: false, storageKey: undefined });
};
