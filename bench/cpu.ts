// CPU time of the processes under test, from /proc, to tell which one a
// measurement was bound by: Synapse, the bot, or the bench's own clients.
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** User plus system CPU time of a process so far, in ms; undefined once it is gone. */
function cpuMs(pid: number): number | undefined {
  try {
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Busy and total jiffies of the whole machine (every core), from the first line of /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  const [, ...values] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/);
  const n = values.map(Number);
  const idle = (n[3] ?? 0) + (n[4] ?? 0);
  const total = n.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** The Synapse (python) whose bubblewrap parent binds `dataDir`. */
export function synapsePid(dataDir: string): number | undefined {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (!stat.includes("(python3)")) continue;
      const ppid = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1];
      if (readFileSync(`/proc/${ppid}/cmdline`, "utf8").split("\0").includes(dataDir)) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

export interface CpuShare {
  /** Percent of one core, per process. */
  processes: Record<string, number>;
  /** Percent of all cores busy, whoever used them (other test suites too). */
  machine: number;
}

/** Starts counting now; `read()` gives each process's share of one core since then. */
export function cpuMeter(pids: Record<string, number | undefined>): { read(): CpuShare } {
  const started = performance.now();
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, pid === undefined ? undefined : cpuMs(pid)]));
  const machineBefore = machineTicks();
  return {
    read() {
      const wall = performance.now() - started;
      const processes: Record<string, number> = {};
      for (const [name, pid] of Object.entries(pids)) {
        const now = pid === undefined ? undefined : cpuMs(pid);
        const then = before[name];
        if (now !== undefined && then !== undefined) processes[name] = Math.round(((now - then) / wall) * 100);
      }
      const m = machineTicks();
      return { processes, machine: Math.round(((m.busy - machineBefore.busy) / Math.max(1, m.total - machineBefore.total)) * 100) };
    },
  };
}
