// A real ntfy (Debian sid's package, in the shared rootfs) as the push gateway the
// self-hosted path of docs/push.md describes: its Matrix push gateway at
// /_matrix/push/v1/notify turns Synapse's push into a message on the UnifiedPush
// topic named by the pushkey. Loopback only, a free port, its own data folder,
// stopped (and the folder removed) by stop(); it dies with the test process too.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, stopSynapse as stopSandboxed } from "../../src/homeserver/process.ts";
import { ensureRootfs, ensureRootfsPackages, requireBwrap, sandboxArgs } from "../../src/homeserver/rootfs.ts";

/** One message as ntfy's JSON stream and poll give it (the fields the tests read). */
export interface NtfyMessage {
  id: string;
  time: number;
  event: string;
  topic: string;
  message?: string;
  priority?: number;
  encoding?: string;
}

export interface TestNtfy {
  /** http://127.0.0.1:PORT, also ntfy's base-url (a Matrix pushkey must start with it). */
  baseUrl: string;
  /** The gateway URL a phone registers as the pusher's data.url. */
  matrixGatewayUrl: string;
  /** A new topic the way the ntfy app makes one for UnifiedPush: "up" and 12 random characters. */
  newUnifiedPushTopic(): string;
  /** The topic's JSON stream, as the ntfy app holds it open: the first message that matches, or an error after `timeoutMs`. */
  waitFor(topic: string, match: (m: NtfyMessage) => boolean, timeoutMs: number): Promise<NtfyMessage>;
  stop(): Promise<void>;
}

export async function startTestNtfy(): Promise<TestNtfy> {
  requireBwrap();
  ensureRootfs();
  ensureRootfsPackages(["ntfy"]);
  const dir = mkdtempSync(join(tmpdir(), "mchlink-ntfy-"));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const logPath = join(dir, "ntfy.log");
  const log = openSync(logPath, "a");
  // An empty server.yml of our own: the package's /etc/ntfy/server.yml is not this test's.
  const child: ChildProcess = spawn(
    "bwrap",
    [
      ...sandboxArgs({ binds: [{ host: dir, inside: "/data" }], home: "/data", dieWithParent: true }),
      "ntfy",
      "serve",
      "--config",
      "/dev/null",
      "--listen-http",
      `127.0.0.1:${port}`,
      "--base-url",
      baseUrl,
      "--cache-file",
      "/data/cache.db",
      "--log-level",
      "info",
    ],
    { stdio: ["ignore", log, log] },
  );
  closeSync(log);
  let exited = false;
  child.once("exit", () => (exited = true));

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) throw new Error(`ntfy exited while starting:\n${readFileSync(logPath, "utf8")}`);
    const healthy = await fetch(`${baseUrl}/v1/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (healthy) break;
    if (Date.now() > deadline) throw new Error(`ntfy did not answer within 30 s:\n${readFileSync(logPath, "utf8")}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    baseUrl,
    matrixGatewayUrl: `${baseUrl}/_matrix/push/v1/notify`,
    newUnifiedPushTopic: () => `up${randomBytes(9).toString("base64url").replace(/[-_]/g, "x").slice(0, 12)}`,
    async waitFor(topic, match, timeoutMs) {
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), timeoutMs);
      try {
        // since=all: a message published before the stream opened counts too (ntfy's cache).
        const res = await fetch(`${baseUrl}/${topic}/json?since=all`, { signal: abort.signal });
        if (!res.ok || !res.body) throw new Error(`subscribing to ${topic} on ntfy: ${res.status}`);
        let buffered = "";
        for await (const chunk of res.body.pipeThrough(new TextDecoderStream())) {
          buffered += chunk;
          const lines = buffered.split("\n");
          buffered = lines.pop() ?? "";
          for (const line of lines) {
            if (line.trim() === "") continue;
            const m = JSON.parse(line) as NtfyMessage;
            if (m.event === "message" && match(m)) return m;
          }
        }
        throw new Error(`ntfy closed the stream of ${topic}`);
      } catch (err) {
        if (abort.signal.aborted) throw new Error(`no matching message on ntfy topic ${topic} within ${timeoutMs} ms`);
        throw err;
      } finally {
        clearTimeout(timer);
        abort.abort();
      }
    },
    async stop() {
      if (!exited && child.pid !== undefined) await stopSandboxed(child.pid, 5_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
