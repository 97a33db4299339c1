// The bot as an operator runs it, `mchlink --state DIR bot CONFIG`, in a child
// process so that its memory is its own. It is ready when it writes
// <state>/bot/status.json with its pid (after its first sync).
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, rmSync } from "node:fs";
import { BOT_ENV, BOT_NODE_FLAGS } from "../src/bot/node-flags.ts";
import { botPaths } from "../src/homeserver/deployment.ts";
import type { Deployment } from "../src/homeserver/deployment.ts";
import { freePort } from "../src/homeserver/process.ts";
import { readJsonIfExists } from "../src/util/files.ts";
import { CLI } from "./cli.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class BotProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** From spawn to status.json: Node start-up, identity and crypto store, first sync, catch-up. */
  readonly startMs: number;
  private readonly exited: Promise<number | null>;
  private readonly logFile: string;
  private readonly spawnedAt: number;
  private readonly metricsUrl: string;

  private constructor(child: ChildProcess, startMs: number, exited: Promise<number | null>, logFile: string, spawnedAt: number, metricsUrl: string) {
    this.child = child;
    this.pid = child.pid!;
    this.startMs = startMs;
    this.exited = exited;
    this.logFile = logFile;
    this.spawnedAt = spawnedAt;
    this.metricsUrl = metricsUrl;
  }

  /** This process's lines in the bot's log (pino's JSON; an earlier process may have written to the same file). */
  private entries(): Array<Record<string, unknown>> {
    const out: Array<Record<string, unknown>> = [];
    for (const line of readFileSync(this.logFile, "utf8").split("\n")) {
      if (!line.startsWith("{")) continue;
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (entry.pid === this.pid) out.push(entry);
      } catch {
        // not one of pino's lines
      }
    }
    return out;
  }

  /** Milliseconds from spawn to each of the start-up lines in the bot's own log. */
  milestones(): Record<string, number> {
    const wanted = new Set(["crypto store opened", "bot started"]);
    const out: Record<string, number> = {};
    for (const { msg, time } of this.entries()) {
      if (typeof msg === "string" && wanted.has(msg) && typeof time === "number" && !(msg in out)) out[msg] = time - this.spawnedAt;
    }
    return out;
  }

  /**
   * Where the time of each message handled between `from` and `to` (epoch ms) went, as the
   * bot itself logs it at debug level (run the bench with MCHLINK_LOG_LEVEL=debug): waiting in
   * its room's queue, decrypting, the handler, sending (rendering and encrypting included).
   */
  handlingPhases(from: number, to: number): Record<string, number[]> {
    const phases: Record<string, number[]> = {};
    for (const entry of this.entries()) {
      if (entry.msg !== "handled a message" || typeof entry.time !== "number" || entry.time < from || entry.time > to) continue;
      for (const key of ["sync_lag_ms", "queued_ms", "decrypt_ms", "handler_ms", "send_ms"]) if (typeof entry[key] === "number") (phases[key] ??= []).push(entry[key]);
    }
    return phases;
  }

  /** `nodeArgs`: more flags for this start only (the `--crypto-store` phase's diagnostic preloads). */
  static async start(dep: Deployment, configPath: string, timeoutMs = 180_000, nodeArgs: string[] = []): Promise<BotProcess> {
    const paths = botPaths(dep);
    rmSync(paths.status, { force: true });
    const logFile = dep.path("bot-bench.log");
    const out = openSync(logFile, "a", 0o600);
    const started = performance.now();
    const spawnedAt = Date.now();
    // Its /metrics on a port of its own (not the default one an `npm run up` bot may hold): the heap in use is read there.
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        ...BOT_NODE_FLAGS,
        ...(process.env.MCHLINK_BENCH_BOT_NODE_ARGS ?? "").split(" ").filter(Boolean),
        ...nodeArgs,
        "--disable-warning=ExperimentalWarning",
        CLI,
        "--state",
        dep.dir,
        "bot",
        configPath,
      ],
      {
        stdio: ["ignore", out, out],
        // As every launcher starts it (src/bot/node-flags.ts); MCHLINK_BENCH_BOT_NODE_ARGS adds flags for an experiment.
        env: { ...process.env, ...BOT_ENV, MCHLINK_METRICS: `127.0.0.1:${port}` },
      },
    );
    closeSync(out);
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    let gone = false;
    void exited.then(() => (gone = true));
    const deadline = started + timeoutMs;
    while (performance.now() < deadline && !gone) {
      const status = readJsonIfExists<{ pid: number }>(paths.status);
      if (status?.pid === child.pid) return new BotProcess(child, performance.now() - started, exited, logFile, spawnedAt, `http://127.0.0.1:${port}/metrics`);
      await sleep(10);
    }
    child.kill("SIGKILL");
    const tail = existsSync(logFile) ? readFileSync(logFile, "utf8").split("\n").slice(-10).join("\n") : "";
    throw new Error(`the bot did not start within ${timeoutMs} ms; last lines of ${logFile}:\n${tail}`);
  }

  /** Resident memory in MiB, from /proc (VmRSS: now, VmHWM: the peak so far). */
  memory(): { rssMiB: number; peakMiB: number; fileMiB: number; anonMiB: number } {
    const status = readFileSync(`/proc/${this.pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
    const mib = (field: string) => Math.round((kb(field) / 1024) * 10) / 10;
    // File-backed: Node's own code and libraries, mapped from disk. Anonymous: the JavaScript heap, malloc, the WebAssembly memory.
    return { rssMiB: mib("VmRSS"), peakMiB: mib("VmHWM"), fileMiB: mib("RssFile"), anonMiB: mib("RssAnon") };
  }

  /** One counter or gauge from the bot's /metrics; NaN if it is not there. */
  async metric(name: string): Promise<number> {
    const text = await (await fetch(this.metricsUrl, { signal: AbortSignal.timeout(5_000) })).text();
    return Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]);
  }

  /** Whether this process (not an earlier one writing to the same log) wrote a `[diagnostic pid N]` line with this text. */
  saidDiagnostic(text: string): boolean {
    return readFileSync(this.logFile, "utf8").includes(`[diagnostic pid ${this.pid}] ${text}`);
  }

  /** The JavaScript heap in use and the memory outside it (buffers, WebAssembly), in MiB, from the bot's own /metrics; undefined if it does not answer. */
  async heapMiB(): Promise<{ heap: number; external?: number; heapTotal?: number } | undefined> {
    try {
      const text = await (await fetch(this.metricsUrl, { signal: AbortSignal.timeout(5_000) })).text();
      const mib = (name: string) => {
        const bytes = Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]);
        return Number.isFinite(bytes) ? Math.round((bytes / 2 ** 20) * 10) / 10 : undefined;
      };
      const heap = mib("nodejs_heap_size_used_bytes");
      const external = mib("nodejs_external_memory_bytes");
      const heapTotal = mib("nodejs_heap_size_total_bytes");
      return heap === undefined ? undefined : { heap, ...(external !== undefined ? { external } : {}), ...(heapTotal !== undefined ? { heapTotal } : {}) };
    } catch {
      return undefined;
    }
  }

  /**
   * SIGTERM, then SIGKILL after `graceMs` if it has not exited (the bot is built
   * to survive a SIGKILL). Says whether it exited on its own, and when.
   */
  async stop(graceMs = 5_000): Promise<{ exitedOnTerm: boolean; ms: number }> {
    const started = performance.now();
    let killed = false;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => {
      killed = true;
      this.child.kill("SIGKILL");
    }, graceMs);
    await this.exited;
    clearTimeout(timer);
    return { exitedOnTerm: !killed, ms: performance.now() - started };
  }
}
