// `mchlink restore IN`: bring a deployment back from a `mchlink backup` archive.
// All or nothing: the archive is listed, extracted into a temporary folder next
// to the state folder and checked file by file against its manifest before
// anything is touched; then the old state folder (if any) is moved aside and the
// restored one renamed into its place. It refuses while the stack runs.
//
// Synapse on PostgreSQL: the archive's dump goes into the database the
// archive's homeserver.yaml names, which must be EMPTY, in one transaction
// (postgres.ts), after every check and just before the state folder is
// swapped; if it fails, it is rolled back and nothing was changed. A deployment
// whose Synapse uses the other engine is refused: restore into its own kind.
//
// The bot comes back without a crypto store (none is archived): at its next
// start it logs in as a new device, deletes the old one, and takes over its
// cross-signing identity with the restored recovery key (src/matrix/client.ts,
// chooseDevice). A device's keys must never go back in time: the restored
// homeserver and an older crypto store would disagree about Olm sessions and
// one-time keys. docs/operations.md explains this to operators.
import { chmodSync, chownSync, closeSync, cpSync, existsSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { botPaths, type Deployment, type HomeserverInfo } from "../homeserver/deployment.ts";
import { isAlive, isHealthy } from "../homeserver/process.ts";
import { MIGRATIONS } from "../store/db.ts";
import { fsyncDirectory, readJsonIfExists, writeFileAtomic } from "../util/files.ts";
import { synapseDatabase } from "./backup.ts";
import { isSafePath, MANIFEST_NAME, parseManifest, STATE_ROOT, verifyTree, walkTree, type Manifest } from "./manifest.ts";
import { planSynapseRestore, PostgresBackupError, restoreSynapseDatabase, type PgRestorePlan } from "./postgres.ts";
import { extractTar, listTar, TarError } from "./tar.ts";

export class RestoreError extends Error {}

export interface RestoreOptions {
  archive: string;
  /** Check the archive and say what would happen; change nothing. */
  dryRun?: boolean;
  /**
   * Put Synapse's data folder here instead of inside the state folder (docker-compose:
   * deploy/synapse, mounted into the restore container). It must hold no files yet.
   */
  synapseData?: string;
  now?: () => Date;
}

export interface RestoreResult {
  stateDir: string;
  manifest: Manifest;
  dryRun: boolean;
  /** Where the state folder that was there before now is (kept, never deleted). */
  replaced?: string;
  /** Synapse's PostgreSQL database that was (dry run: would be) filled from the archive. */
  database?: { name: string; host: string; port: number; serverVersion: string };
  /** Dry run only: why the database could not be filled now (e.g. it is the live one, not empty). */
  databaseProblem?: string;
}

/** The engine of the Synapse this deployment has now, if it has one we can see. */
function currentEngine(dep: Deployment, synapseData: string | undefined): "sqlite" | "postgresql" | undefined {
  const dataDir = synapseData ?? dep.homeserver()?.dataDir;
  if (!dataDir || !existsSync(join(resolve(dep.dir, dataDir), "homeserver.yaml"))) return undefined;
  return synapseDatabase(resolve(dep.dir, dataDir)).engine;
}

const MEDIA = "./media_store/";

/**
 * Why the restored data folder `image` cannot be copied into `target`, if it cannot.
 * `target` must hold no files, except in media_store (compose keeps media in a volume
 * that may survive): a media file already there is the same upload if its size matches
 * (Synapse never rewrites a media ID), and is kept.
 */
function copyConflict(image: string, target: string): string | undefined {
  if (!existsSync(target)) return undefined;
  const archived = new Map(walkTree(image, ".").map((e) => [e.path, e]));
  for (const e of walkTree(target, ".")) {
    if (e.kind === "directory") continue;
    const ours = archived.get(e.path);
    if (!e.path.startsWith(MEDIA)) return `${join(target, e.path)} is there already; the Synapse data folder must hold no files (move them away first)`;
    if (ours && ours.bytes !== e.bytes) return `${join(target, e.path)} differs from the archive's copy (${e.bytes} bytes, not ${ours.bytes})`;
  }
  return undefined;
}

/** Copy the restored data folder into `target` (checked by copyConflict), owned like `target` (Synapse's uid in compose). */
function copyInto(image: string, target: string): void {
  mkdirSync(target, { recursive: true, mode: 0o700 });
  const { uid, gid } = statSync(target);
  cpSync(image, target, {
    recursive: true,
    force: false,
    errorOnExist: false,
    preserveTimestamps: true,
    filter: (src) => {
      const rel = `./${src.slice(image.length + 1)}`;
      return !(rel.startsWith(MEDIA) && existsSync(join(target, rel)) && statSync(join(target, rel)).isFile());
    },
  });
  if (process.getuid?.() === 0) {
    for (const e of walkTree(target, ".")) chownSync(join(target, e.path), uid, gid);
  }
  chmodSync(target, statSync(image).mode & 0o7777);
  fsyncDirectory(target);
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
async function checkMembers(archive: string): Promise<string | undefined> {
  const listing = await listTar(archive);
  if (!listing.ok) return listing.problem;
  let manifest = false;
  for (const m of listing.members) {
    if (m.name === MANIFEST_NAME && m.type === "File") {
      manifest = true;
      continue;
    }
    if (!isSafePath(m.name)) return `it holds ${JSON.stringify(m.name)}, outside the state folder`;
    if (m.type !== "File" && m.type !== "Directory") return `${m.name} is a link or special file; an mchlink backup holds files and folders only`;
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
  const memberProblem = await checkMembers(archive);
  if (memberProblem) throw refuse(memberProblem);

  const parent = dirname(stateDir);
  mkdirSync(parent, { recursive: true });
  const work = mkdtempSync(join(parent, `.${basename(stateDir)}.restore-`));
  try {
    try {
      await extractTar(archive, work);
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
      throw refuse(
        `its bot database has schema version ${manifest.bot.schema_version}, newer than this mchlink knows (${MIGRATIONS.length}); install mchlink ${manifest.mchlink.version} or newer first`,
      );
    }
    // Modes first: libpq ignores a pgpass file that others could read.
    for (const d of manifest.directories) chmodSync(join(work, d.path), d.mode);
    for (const f of manifest.files) {
      chmodSync(join(work, f.path), f.mode);
      fsyncFile(join(work, f.path));
    }
    const image = join(work, STATE_ROOT);
    const db = manifest.synapse?.database;
    const target = currentEngine(dep, opts.synapseData);
    if (db && target && db.engine !== target) {
      throw refuse(
        `it holds a Synapse on ${db.engine === "sqlite" ? "SQLite" : "PostgreSQL"}, but this deployment's Synapse uses ${target === "sqlite" ? "SQLite" : "PostgreSQL"}; restore into a deployment of the same kind (a new state folder for SQLite, the compose stack for PostgreSQL)`,
      );
    }
    const synapseImage = join(image, "synapse");
    const conflict = opts.synapseData && existsSync(synapseImage) ? copyConflict(synapseImage, opts.synapseData) : undefined;
    if (conflict) throw refuse(conflict);
    let plan: PgRestorePlan | undefined;
    if (db?.engine === "postgresql" && db.included) {
      const dump = join(work, db.dump);
      if (!isSafePath(db.dump) || !existsSync(dump)) throw refuse(`its manifest names a database dump ${JSON.stringify(db.dump)} that is not in it`);
      try {
        // Where the restored Synapse will look: the archive's own homeserver.yaml and pgpass.
        const conn = synapseDatabase(synapseImage).conn!;
        plan = planSynapseRestore(conn, dump, db.pg_dump_major);
      } catch (err) {
        const why = err instanceof PostgresBackupError ? err.message : String(err);
        // Checking last night's archive on the live server is what a dry run is for: the archive is fine, say so.
        if (opts.dryRun) return { stateDir, manifest, dryRun: true, databaseProblem: why };
        throw refuse(why);
      }
    }
    const database = plan ? { name: plan.conn.database, host: plan.conn.host, port: plan.conn.port, serverVersion: plan.serverVersion } : undefined;
    if (opts.dryRun) return { stateDir, manifest, dryRun: true, ...(database ? { database } : {}) };

    // The archived crypto store never exists, but a state image must not carry one in from elsewhere either.
    rmSync(join(image, "bot", "crypto"), { recursive: true, force: true });
    const hsFile = join(image, "homeserver.json");
    const hs = readJsonIfExists<HomeserverInfo>(hsFile);
    if (hs && manifest.synapse && existsSync(synapseImage) && !opts.synapseData) {
      // The data folder is restored inside the state folder, wherever it was before.
      writeFileAtomic(hsFile, JSON.stringify({ ...hs, dataDir: join(stateDir, "synapse") }, null, 2) + "\n", 0o644);
    }
    for (const d of [...manifest.directories].reverse()) fsyncDirectory(join(work, d.path));

    if ((await runningServices(dep)).length > 0) throw refuse(`the deployment in ${stateDir} was started meanwhile`);
    if (plan && db?.engine === "postgresql" && db.included) {
      try {
        restoreSynapseDatabase(plan, join(work, db.dump));
      } catch (err) {
        throw refuse(err instanceof PostgresBackupError ? err.message : String(err));
      }
      // Loaded: a stale copy in the data folder would only be carried into the next backup.
      rmSync(join(work, db.dump));
    }
    // From here on the database is filled: a failure must say so, or a retry would meet a "not empty" refusal unexplained.
    const afterDatabase = (err: unknown) =>
      database
        ? new RestoreError(
            `restoring ${archive} stopped half-way: Synapse's database ${database.name} was filled, but then ${err instanceof Error ? err.message : String(err)}. Empty the database again (DROP and CREATE it) before retrying.`,
          )
        : err;
    try {
      if (opts.synapseData && existsSync(synapseImage)) {
        copyInto(synapseImage, opts.synapseData);
        rmSync(synapseImage, { recursive: true });
      }
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
      return { stateDir, manifest, dryRun: false, ...(replaced ? { replaced } : {}), ...(database ? { database } : {}) };
    } catch (err) {
      throw afterDatabase(err);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
