// `mchlink up`, `status` and `down` as `npm run up` runs them: a detached local
// Synapse and bot in a state folder and port of the test's own, so a running
// `npm run up` stack on this machine is not disturbed.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, isAlive } from "../../src/homeserver/process.ts";
import { SMALL_PROVINCE } from "../support/province.ts";

const cli = join(import.meta.dirname, "..", "..", "src", "cli", "main.ts");

describe("the local stack", () => {
  const state = mkdtempSync(join(tmpdir(), "mchlink-stack-"));
  let port = 0;
  const run = (...args: string[]) => {
    const res = spawnSync(process.execPath, ["--disable-warning=ExperimentalWarning", cli, "--state", state, ...args], {
      encoding: "utf8",
      env: { ...process.env, MCHLINK_PORT: String(port) },
      timeout: 240_000,
    });
    return { code: res.status, out: res.stdout, err: res.stderr };
  };
  const status = () =>
    JSON.parse(run("status", "--json").out) as {
      homeserver: { url: string; healthy: boolean } | null;
      services: { synapse: { state: string; pid: number | null }; bot: { state: string; pid: number | null; foreground: boolean } };
    };

  afterAll(() => {
    run("down");
    rmSync(state, { recursive: true, force: true });
  });

  it("up starts Synapse and the bot, provisions, and says how to log in", async () => {
    port = await freePort();
    const up = run("up", SMALL_PROVINCE);
    expect(up.code, up.err).toBe(0);
    expect(up.out).toContain(`http://127.0.0.1:${port}`);
    expect(up.out).toContain("credentials.csv");
    const s = status();
    expect(s.homeserver?.healthy).toBe(true);
    expect(s.services.synapse.state).toBe("running");
    expect(s.services.bot.state).toBe("running");
    expect(isAlive(s.services.bot.pid!)).toBe(true);
  }, 240_000);

  it("run again, changes nothing and restarts a bot that died", () => {
    const before = status();
    process.kill(before.services.bot.pid!, "SIGKILL");
    const again = run("up", SMALL_PROVINCE);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain("No changes");
    expect(again.err).toContain("not running any more");
    const after = status();
    expect(after.services.synapse.pid).toBe(before.services.synapse.pid);
    expect(after.services.bot.pid).not.toBe(before.services.bot.pid);
    expect(after.services.bot.state).toBe("running");
  }, 240_000);

  it("refuses a port another program holds, with what to do", async () => {
    const other = mkdtempSync(join(tmpdir(), "mchlink-stack-other-"));
    try {
      const res = spawnSync(process.execPath, ["--disable-warning=ExperimentalWarning", cli, "--state", other, "up", SMALL_PROVINCE], {
        encoding: "utf8",
        env: { ...process.env, MCHLINK_PORT: String(port) },
      });
      expect(res.status).toBe(1);
      expect(res.stderr).toContain(`port ${port} on 127.0.0.1 is taken by another program`);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it("down stops both", () => {
    const before = status();
    expect(run("down").code).toBe(0);
    expect(isAlive(before.services.synapse.pid!)).toBe(false);
    expect(isAlive(before.services.bot.pid!)).toBe(false);
    expect(status().services.synapse.state).toBe("stopped");
  }, 120_000);

  it("sees a bot run with `mchlink bot` in the foreground: status shows it, up starts no second one, down leaves it to its operator", async () => {
    expect(run("up", SMALL_PROVINCE).code).toBe(0);
    const upBot = status().services.bot.pid!;
    process.kill(upBot, "SIGTERM");
    while (isAlive(upBot)) await new Promise((r) => setTimeout(r, 100));
    const child = spawn(process.execPath, ["--disable-warning=ExperimentalWarning", cli, "--state", state, "bot", SMALL_PROVINCE], {
      env: { ...process.env, MCHLINK_PORT: String(port) },
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      const statusFile = join(state, "bot", "status.json");
      const deadline = Date.now() + 120_000;
      const named = () => {
        try {
          return (JSON.parse(readFileSync(statusFile, "utf8")) as { pid: number }).pid === child.pid;
        } catch {
          return false;
        }
      };
      while (!named()) {
        if (Date.now() > deadline) throw new Error("the foreground bot did not report itself synced");
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(status().services.bot).toEqual({ state: "running", pid: child.pid, foreground: true });
      const again = run("up", SMALL_PROVINCE);
      expect(again.code, again.err).toBe(0);
      expect(again.err).toContain("already running in the foreground");
      expect(status().services.bot.pid).toBe(child.pid);
      const down = run("down");
      expect(down.code).toBe(0);
      expect(down.out + down.err).toContain(`still runs (pid ${child.pid})`);
      expect(isAlive(child.pid!)).toBe(true);
    } finally {
      child.kill("SIGTERM");
      await exited;
    }
  }, 300_000);
});
