// The floor's answering side in a process of its own, as the bot is: bare E2EE
// clients (test/support/clients.ts) that answer each message starting with a
// prefix at once. Run by `startEchoProcess`; as a script it reads its logins
// from argv and reports on the IPC channel when all have synced.
import { fork, type ChildProcess } from "node:child_process";
import pino from "pino";
import { routeLibraryLogs } from "../src/matrix/logging.ts";
import { loginClient, type TestClient } from "../test/support/clients.ts";
import { startEcho } from "./traffic.ts";

export interface EchoLogin {
  user: string;
  password: string;
}

interface Spec {
  baseUrl: string;
  prefix: string;
  logins: EchoLogin[];
}

export interface EchoProcess {
  pid: number;
  /** The echo clients' Matrix user ids, in the order of the logins. */
  userIds: string[];
  stop(): Promise<void>;
}

export async function startEchoProcess(baseUrl: string, prefix: string, logins: EchoLogin[], timeoutMs = 180_000): Promise<EchoProcess> {
  // The logins travel over IPC, not argv: argv is visible to every process on the machine.
  const child: ChildProcess = fork(import.meta.filename, [], { stdio: ["ignore", "ignore", "inherit", "ipc"], execArgv: ["--disable-warning=ExperimentalWarning"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const userIds = await new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the echo clients did not log in within ${timeoutMs} ms`)), timeoutMs);
    child.once("message", (m) => {
      clearTimeout(timer);
      resolve((m as { userIds: string[] }).userIds);
    });
    child.once("exit", (code) => reject(new Error(`the echo process exited (${code}) before it was ready`)));
    child.send({ baseUrl, prefix, logins } satisfies Spec);
  });
  return {
    pid: child.pid!,
    userIds,
    async stop() {
      if (child.connected) child.disconnect();
      await exited;
    },
  };
}

async function runEchoes(spec: Spec): Promise<void> {
  const clients: TestClient[] = [];
  for (const login of spec.logins) {
    const client = await loginClient(spec.baseUrl, login.user, login.password);
    startEcho(client, spec.prefix);
    clients.push(client);
  }
  process.send!({ userIds: clients.map((c) => c.userId) });
  // The parent disconnects to stop us. Exit explicitly: matrix-js-sdk leaves request timers behind.
  process.once("disconnect", () => void Promise.all(clients.map((c) => c.stop())).finally(() => process.exit(0)));
}

if (import.meta.main) {
  await routeLibraryLogs(pino({ level: "warn" }, pino.destination(2)));
  process.once("message", (spec) => void runEchoes(spec as Spec));
}
