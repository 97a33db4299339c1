#!/usr/bin/env node
// Entry point for `npx mchlink`. Runs the TypeScript CLI under Node 24, which
// strips types natively; on an older host Node it re-executes itself with the
// Node 24 that the project installs from the npm registry.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  const node24 = join(root, "node_modules", ".bin", "node");
  if (!existsSync(node24)) {
    console.error("mchlink: Node 24 is not installed in this checkout yet; run `npm run up` or `npm ci` first.");
    process.exit(1);
  }
  const run = spawnSync(node24, ["--disable-warning=ExperimentalWarning", fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(run.status ?? 1);
}
// node:sqlite still warns that it is experimental; the warning tells an operator nothing.
process.removeAllListeners("warning");
process.on("warning", (w) => {
  if (w.name !== "ExperimentalWarning") console.warn(`${w.name}: ${w.message}`);
});
const { main } = await import(pathToFileURL(join(root, "src", "cli", "main.ts")).href);
process.exitCode = await main(process.argv.slice(2));
