// Runs `mchlink` the way an admin does, as its own process, and notes when each
// line of its output arrived (apply prints one line per tenth of each phase).
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { repoRoot } from "../src/homeserver/paths.ts";

export interface TimedRun {
  code: number | null;
  ms: number;
  /** Every line of stdout and stderr, with milliseconds since the start. */
  lines: Array<{ ms: number; line: string }>;
}

export const CLI = join(repoRoot, "src", "cli", "main.ts");

export function runCli(args: string[], timeoutMs: number): Promise<TimedRun> {
  const started = performance.now();
  const child = spawn(process.execPath, ["--disable-warning=ExperimentalWarning", CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const lines: TimedRun["lines"] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => lines.push({ ms: performance.now() - started, line }));
  }
  const timer = setTimeout(() => child.kill("SIGTERM"), timeoutMs);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, ms: performance.now() - started, lines });
    });
  });
}

export interface Phase {
  phase: string;
  count: number;
  endMs: number;
  /** Since the previous phase ended; the first phase also holds process start-up and reading the server. */
  ms: number;
}

/** apply's progress lines ("  join: 113/1130", one per tenth of a phase): phase, done, ms since start. */
export function progress(run: TimedRun): Array<[phase: string, done: number, ms: number]> {
  return run.lines.flatMap(({ ms, line }) => {
    const m = /^\s+(.+): (\d+)\/(\d+)$/.exec(line);
    return m ? [[m[1]!, Number(m[2]), Math.round(ms)] as [string, number, number]] : [];
  });
}

/** When each apply phase finished, from its last progress line ("  create user: 276/276"). */
export function phaseTimes(run: TimedRun): Phase[] {
  const phases: Phase[] = [];
  for (const { ms, line } of run.lines) {
    const m = /^\s+(.+): (\d+)\/(\d+)$/.exec(line);
    if (!m || m[2] !== m[3]) continue;
    phases.push({ phase: m[1]!, count: Number(m[3]), endMs: ms, ms: ms - (phases.at(-1)?.endMs ?? 0) });
  }
  return phases;
}
