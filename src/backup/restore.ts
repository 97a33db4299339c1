// `mchlink restore IN`: bring a deployment back from a `mchlink backup` archive.
// All or nothing: the archive is listed, extracted into a temporary folder next
// to the state folder and checked file by file against its manifest before
// anything is touched; then the old state folder (if any) is moved aside and the
// restored one renamed into its place. It refuses while the stack runs.
//
// The bot comes back without a crypto store (none is archived): at its next
// start it logs in as a new device, deletes the old one, and takes over its
// cross-signing identity with the restored recovery key (src/matrix/client.ts,
// chooseDevice). A device's keys must never go back in time: the restored
// homeserver and an older crypto store would disagree about Olm sessions and
// one-time keys. docs/operations.md explains this to operators.
import { closeSync, existsSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, chmodSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { botPaths, type Deployment, type HomeserverInfo } from "../homeserver/deployment.ts";
import { isAlive, isHealthy } from "../homeserver/process.ts";
import { MIGRATIONS } from "../store/db.ts";
import { fsyncDirectory, readJsonIfExists, writeFileAtomic } from "../util/files.ts";
import { isSafePath, MANIFEST_NAME, parseManifest, STATE_ROOT, verifyTree, type Manifest } from "./manifest.ts";
import { extractTar, listTar, TarError } from "./tar.ts";

export class RestoreError extends Error {}

export interface RestoreOptions {
  archive: string;
  /** Check the archive and say what would happen; change nothing. */
  dryRun?: boolean;
  now?: () => Date;
}

export interface RestoreResult {
  stateDir: string;
  manifest: Manifest;
  dryRun: boolean;
  /** Where the state folder that was there before now is (kept, never deleted). */
  replaced?: string;
}

/**
 * What of this deployment is running now, in words; empty when nothing is.
 * Plain liveness on purpose (unlike `down`, which must never signal a stranger):
 * a reused pid here only makes restore refuse, with the pid named, never go ahead.
 */
export async function runningServices(dep: Deployment): Promise<string[]> {
  const running: string[] = [];
  const pids = readJsonIfExists<{ synapse?: number; bot?: number }>(dep.path("pids.json")) ?? {};
  if (pids.synapse && isAlive(pids.synapse)) running.push(`Synapse (pid ${pids.synapse})`);
  if (pids.bot && isAlive(pids.bot)) running.push(`the bot (pid ${pids.bot})`);
  const status = readJsonIfExists<{ pid?: number }>(botPaths(dep).status);
  if (status?.pid && status.pid !== pids.bot && isAlive(status.pid)) running.push(`the bot (pid ${status.pid}, \`mchlink bot\`)`);
  const hs = dep.homeserver();
  if (hs && (await isHealthy(hs.baseUrl))) running.push(`a homeserver answering at ${hs.baseUrl}`);
  return running;
}

/** The archive's members must be plain files and folders under state/, plus the manifest. */
function checkMembers(archive: string): string | undefined {
  const listing = listTar(archive);
  if (!listing.ok) return listing.problem;
  let manifest = false;
  for (const m of listing.members) {
    if (m.name === MANIFEST_NAME && m.type === "-") {
      manifest = true;
      continue;
    }
    if (!isSafePath(m.name)) return `it holds ${JSON.stringify(m.name)}, outside the state folder`;
    if (m.type !== "-" && m.type !== "d") return `${m.name} is a link or special file; an mchlink backup holds files and folders only`;
  }
  return manifest ? undefined : `it has no ${MANIFEST_NAME}: not an mchlink backup, or the start of it is missing`;
}

function fsyncFile(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export async function restoreBackup(dep: Deployment, opts: RestoreOptions): Promise<RestoreResult> {
  const archive = resolve(opts.archive);
  const stateDir = resolve(dep.dir);
  const refuse = (why: string) => new RestoreError(`cannot restore ${archive}: ${why}. Nothing was changed.`);
  if (!existsSync(archive)) throw refuse("no such file");

  const running = await runningServices(dep);
  if (running.length > 0) {
    throw refuse(`the deployment in ${stateDir} is running (${running.join(", ")}); stop it first with \`mchlink down\` (and stop any \`mchlink bot\`)`);
  }
  const memberProblem = checkMembers(archive);
  if (memberProblem) throw refuse(memberProblem);

  const parent = dirname(stateDir);
  mkdirSync(parent, { recursive: true });
  const work = mkdtempSync(join(parent, `.${basename(stateDir)}.restore-`));
  try {
    try {
      extractTar(archive, work);
    } catch (err) {
      throw refuse(err instanceof TarError ? err.message : String(err));
    }
    const parsed = parseManifest(readFileSync(join(work, MANIFEST_NAME), "utf8"));
    if (!parsed.ok) throw refuse(parsed.problem);
    const manifest = parsed.manifest;
    const problems = verifyTree(work, manifest);
    if (problems.length > 0) {
      const shown = problems.slice(0, 5).join("; ") + (problems.length > 5 ? `; and ${problems.length - 5} more` : "");
      throw refuse(`the archive is damaged or incomplete: ${shown}`);
    }
    if (manifest.bot && manifest.bot.schema_version > MIGRATIONS.length) {
      throw refuse(`its bot database has schema version ${manifest.bot.schema_version}, newer than this mchlink knows (${MIGRATIONS.length}); install mchlink ${manifest.mchlink.version} or newer first`);
    }
    if (opts.dryRun) return { stateDir, manifest, dryRun: true };

    const image = join(work, STATE_ROOT);
    for (const d of manifest.directories) chmodSync(join(work, d.path), d.mode);
    for (const f of manifest.files) {
      chmodSync(join(work, f.path), f.mode);
      fsyncFile(join(work, f.path));
    }
    // The archived crypto store never exists, but a state image must not carry one in from elsewhere either.
    rmSync(join(image, "bot", "crypto"), { recursive: true, force: true });
    const hsFile = join(image, "homeserver.json");
    const hs = readJsonIfExists<HomeserverInfo>(hsFile);
    if (hs && manifest.synapse && existsSync(join(image, "synapse"))) {
      // The data folder is restored inside the state folder, wherever it was before.
      writeFileAtomic(hsFile, JSON.stringify({ ...hs, dataDir: join(stateDir, "synapse") }, null, 2) + "\n", 0o644);
    }
    for (const d of [...manifest.directories].reverse()) fsyncDirectory(join(work, d.path));

    if ((await runningServices(dep)).length > 0) throw refuse(`the deployment in ${stateDir} was started meanwhile`);
    let replaced: string | undefined;
    if (existsSync(stateDir)) {
      if (readdirSync(stateDir).length === 0) rmdirSync(stateDir);
      else {
        replaced = `${stateDir}.replaced-${(opts.now?.() ?? new Date()).toISOString().replace(/[:.]/g, "-")}`;
        renameSync(stateDir, replaced);
      }
    }
    try {
      renameSync(image, stateDir);
    } catch (err) {
      if (replaced) renameSync(replaced, stateDir);
      throw err;
    }
    fsyncDirectory(parent);
    return { stateDir, manifest, dryRun: false, ...(replaced ? { replaced } : {}) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
