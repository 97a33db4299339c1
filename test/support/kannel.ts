// A real Kannel for the tests: Debian's bearerbox and smsbox, wired to Kannel's own fake
// SMS centre (kannel-extras' fakesmsc), all on free loopback ports in a folder of their
// own. fakesmsc prints every SMS the gateway sends out ("Got message N: <from to text …>")
// and sends, as if from a phone, each line written to its standard input.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "../../src/homeserver/process.ts";
import { renderKannelConfig } from "../../src/sms/kannel-config.ts";
import { FAKESMSC, KANNEL_PACKAGES, kannelInstalled, startKannel, stopChildAndWait, stopKannel, type RunningKannel } from "../../src/sms/kannel-process.ts";
import type { SmsSecrets } from "../../src/sms/secrets.ts";
import { ensureDebianPackages } from "./debian.ts";

/** An SMS as the fake SMS centre received it from the gateway. */
export interface MtMessage {
  from: string;
  to: string;
  /** Decoded: UCS-2 messages arrive URL-encoded big-endian UTF-16. */
  text: string;
  coding: "text" | "ucs-2";
  /** How many SMS it went out as: a concatenated message arrives as parts, each with its UDH. */
  parts: number;
}

export interface TestKannel {
  sendsmsUrl: string;
  dir: string;
  received: MtMessage[];
  waitForSms(match: (m: MtMessage) => boolean, timeoutMs?: number, label?: string): Promise<MtMessage>;
  /** An SMS from a phone (`from`) to the gateway's number (`to`). */
  sendFromPhone(from: string, to: string, text: string): void;
  /** Stops bearerbox and smsbox (the fake SMS centre goes with them): the gateway is down. */
  stopGateway(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestKannel(opts: { secrets: SmsSecrets; callbackBase: string }): Promise<TestKannel> {
  const installed = ensureDebianPackages(KANNEL_PACKAGES, kannelInstalled);
  if (!installed.ok) throw new Error(installed.reason);
  const dir = mkdtempSync(join(tmpdir(), "mchlink-kannel-"));
  const ports = { admin: await freePort(), smsbox: await freePort(), sendsms: await freePort() };
  const fakePort = await freePort();
  const configFile = join(dir, "kannel.conf");
  writeFileSync(
    configFile,
    renderKannelConfig({
      dir,
      sendsmsInterface: "127.0.0.1",
      allowIp: "127.0.0.1",
      ports,
      adminPassword: "test-admin",
      centre: { kind: "fake", port: fakePort },
      secrets: opts.secrets,
      callbackBase: opts.callbackBase,
    }),
    { mode: 0o600 },
  );
  let kannel: RunningKannel | undefined = await startKannel({ configFile, dir, sendsmsPort: ports.sendsms });
  const received: MtMessage[] = [];
  const waiters = new Set<() => void>();
  let buffer = "";
  /** Parts of concatenated messages by reference number, until all have come. */
  const partial = new Map<string, Buffer[]>();
  // Interactive mode (no message arguments): stdin lines are sent as MO messages; -i keeps it polling.
  const fake: ChildProcess = spawn(FAKESMSC, ["-H", "127.0.0.1", "-r", String(fakePort), "-i", "0.1"], { stdio: ["pipe", "pipe", "pipe"] });
  const onOutput = (chunk: Buffer) => {
    buffer += chunk.toString("utf8");
    const lines = buffer.split("\n");
    buffer = lines.pop() ?? "";
    for (const line of lines) {
      const m = /Got message \d+: <(\S+) (\S+) (\S+) (.*)>$/u.exec(line);
      if (!m) continue;
      const [, from, to, type, rest] = m as unknown as [string, string, string, string, string];
      if (type === "udh") {
        // `udh <UDH> data <payload>`: the concatenation header is 05 00 03 <ref> <total> <seq>.
        const [udh, , data] = rest.split(" ") as [string, string, string];
        const header = urlBytes(udh);
        const key = `${from} ${to} ${header[3]}`;
        const parts = partial.get(key) ?? new Array<Buffer>(header[4]!);
        parts[header[5]! - 1] = urlBytes(data);
        partial.set(key, parts);
        if (parts.filter(Boolean).length < parts.length) continue;
        partial.delete(key);
        // fakesmsc does not show the data coding; the only concatenated pages here are Lao, in UCS-2.
        received.push({ from, to, coding: "ucs-2", text: utf16be(Buffer.concat(parts)), parts: parts.length });
      } else {
        received.push({ from, to, coding: type === "ucs-2" ? "ucs-2" : "text", text: type === "ucs-2" ? utf16be(urlBytes(rest)) : rest, parts: 1 });
      }
      for (const w of waiters) w();
    }
  };
  fake.stdout!.on("data", onOutput);
  fake.stderr!.on("data", onOutput);

  const stopGateway = async () => {
    if (kannel) await stopKannel(kannel);
    kannel = undefined;
    await stopChildAndWait(fake);
  };
  try {
    await waitForFakeCentre(ports.admin);
  } catch (err) {
    // The caller gets no handle to stop them: bearerbox, smsbox and fakesmsc would outlive the test.
    await stopGateway();
    throw err;
  }
  return {
    sendsmsUrl: kannel.sendsmsUrl,
    dir,
    received,
    waitForSms(match, timeoutMs = 30_000, label = "an SMS") {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = received.find(match);
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`the fake SMS centre did not receive ${label} within ${timeoutMs} ms (it has ${received.length})`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    sendFromPhone(from, to, text) {
      fake.stdin!.write(`${from} ${to} text ${text}\n`);
    },
    stopGateway,
    async stop() {
      await stopGateway();
      rmSync(dir, { recursive: true, force: true });
    },
  };

  async function waitForFakeCentre(adminPort: number): Promise<void> {
    // bearerbox's status page says "online" for an SMS centre once fakesmsc has connected.
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const status = await fetch(`http://127.0.0.1:${adminPort}/status.txt?password=test-admin`).then(
        (r) => r.text(),
        () => "",
      );
      if (/fake.*online/iu.test(status)) return;
      await sleep(200);
    }
    throw new Error(`fakesmsc did not connect to bearerbox; see ${dir}/bearerbox.log`);
  }
}

/** fakesmsc's URL encoding of raw bytes ('+' is a space). */
function urlBytes(encoded: string): Buffer {
  const raw: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    const ch = encoded[i]!;
    if (ch === "%") {
      raw.push(parseInt(encoded.slice(i + 1, i + 3), 16));
      i += 2;
    } else raw.push(ch === "+" ? 0x20 : ch.charCodeAt(0));
  }
  return Buffer.from(raw);
}

function utf16be(bytes: Buffer): string {
  let text = "";
  for (let i = 0; i + 1 < bytes.length; i += 2) text += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
  return text;
}
