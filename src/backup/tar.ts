// The archive container: a gzip-compressed POSIX (pax) tar, written and read
// with node-tar (npm `tar`, the one npm itself uses), so that a member's name
// and its type come from the same header rather than from two listings of
// another program paired by position. Owners, times of access and such are left
// out (portable), and modes are applied from the manifest at restore, so the
// archive does not depend on the users of the machine that made it.
//
// Strict everywhere: a bad header, a truncated gzip stream or a checksum error
// is an error, never a warning that lets half an archive through.
import * as tar from "tar";

export class TarError extends Error {}

function why(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/^TAR_[A-Z_]+: /, "");
}

/** Write `entries` (relative to `dir`) into a new gzip tar at `file`. */
export async function createTar(file: string, dir: string, entries: string[]): Promise<void> {
  try {
    await tar.create({ file, cwd: dir, gzip: true, portable: true, strict: true }, entries);
  } catch (err) {
    throw new TarError(`could not write ${file}: ${why(err)}`);
  }
}

export interface TarMember {
  /** node-tar's entry type: "File", "Directory", "SymbolicLink", "Link", … */
  type: string;
  name: string;
}

export type TarListing = { ok: true; members: TarMember[] } | { ok: false; problem: string };

/** What the archive holds, without extracting it. A truncated or corrupt archive fails here. */
export async function listTar(file: string): Promise<TarListing> {
  const members: TarMember[] = [];
  try {
    await tar.list({ file, strict: true, onReadEntry: (entry) => void members.push({ name: entry.path.replace(/\/$/, ""), type: entry.type }) });
  } catch (err) {
    return { ok: false, problem: `the archive is damaged or incomplete (${why(err)})` };
  }
  if (members.length === 0) return { ok: false, problem: "the archive is empty or not a gzip tar" };
  return { ok: true, members };
}

/** Extract files and folders into an empty folder; owners are the caller's, modes are fixed afterwards from the manifest. */
export async function extractTar(file: string, dir: string): Promise<void> {
  try {
    await tar.extract({ file, cwd: dir, strict: true, preserveOwner: false, filter: (_path, entry) => "type" in entry && (entry.type === "File" || entry.type === "Directory") });
  } catch (err) {
    throw new TarError(`the archive is damaged or incomplete (${why(err)})`);
  }
}
