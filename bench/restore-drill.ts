// The restore drill of docs/operations.md, timed: a province provisioned for real
// on PostgreSQL (the compose file's major, from the rootfs), `mchlink backup`
// while Synapse runs, then the database dropped and the state folder deleted,
// `mchlink restore` into the new empty database, Synapse started on it, a person
// logging in, and the bot starting as its new device. Each step's wall time.
//
//   node bench/restore-drill.ts [config/bokeo.yaml]
//
// Loopback only; everything it starts is stopped and its folders removed at the end.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pino from "pino";
import { startBot } from "../src/bot/main.ts";
import { main } from "../src/cli/main.ts";
import { loadProvince } from "../src/config/load.ts";
import { Deployment } from "../src/homeserver/deployment.ts";
import { MatrixHttp } from "../src/matrix/http.ts";
import { loginWithPassword } from "../src/matrix/register.ts";
import { OnboardingSheet } from "../src/provision/sheet.ts";
import { writeSecretFile } from "../src/util/files.ts";
import { postgresAvailability, productionDatabase, startTestPostgres } from "../test/support/postgres.ts";
import { startTestSynapse } from "../test/support/synapse.ts";

const config = resolve(process.argv[2] ?? "config/bokeo.yaml");
const loaded = loadProvince(config);
if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join("\n"));
const province = loaded.province;
const availability = postgresAvailability();
if (!availability.ok) throw new Error(availability.reason);

const work = mkdtempSync(join(tmpdir(), "mchlink-drill-"));
const stateDir = join(work, "state");
const dataDir = join(stateDir, "synapse");
const archive = join(work, "backups", "drill.tar.gz");
const dep = new Deployment(stateDir);
const times: Array<[string, number]> = [];
const timed = async <T>(label: string, step: () => Promise<T> | T): Promise<T> => {
  const started = performance.now();
  const value = await step();
  times.push([label, performance.now() - started]);
  process.stderr.write(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return value;
};

const pg = await startTestPostgres();
let hs: Awaited<ReturnType<typeof startTestSynapse>> | undefined;
try {
  const password = randomBytes(24).toString("base64url");
  pg.createDatabase("synapse", "synapse", password);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeSecretFile(join(dataDir, "pgpass"), `*:*:synapse:synapse:${password}\n`);
  hs = await startTestSynapse({ dataDir, serverName: province.homeserver.server_name, overrides: { database: productionDatabase(pg.port) } });
  dep.saveHomeserver({ baseUrl: hs.baseUrl, serverName: hs.serverName, dataDir });
  const port = hs.port;
  await timed("provision (mchlink apply)", async () => {
    if ((await main(["--state", stateDir, "apply", config])) !== 0) throw new Error("apply failed");
  });
  const bot = await timed("bot first start", () => startBot({ province, deployment: dep, logger: pino({ level: "warn" }) }));
  await bot.stop();

  mkdirSync(join(work, "backups"));
  await timed("backup (Synapse running)", async () => {
    if ((await main(["--state", stateDir, "backup", archive])) !== 0) throw new Error("backup failed");
  });
  const bytes = statSync(archive).size;

  // The disaster: Synapse gone, its database dropped, the state folder deleted.
  await hs.stop();
  pg.query("DROP DATABASE synapse WITH (FORCE)");
  rmSync(stateDir, { recursive: true, force: true });
  await timed("create the empty database", () => pg.query("CREATE DATABASE synapse OWNER synapse TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"));
  await timed("restore (mchlink restore)", async () => {
    if ((await main(["--state", stateDir, "restore", archive])) !== 0) throw new Error("restore failed");
  });
  hs = await timed("Synapse start on the restored database", () =>
    startTestSynapse({ dataDir, port, serverName: province.homeserver.server_name, overrides: { database: productionDatabase(pg.port) } }),
  );
  const person = province.people[0]!;
  const userId = `@${person.id}:${province.homeserver.server_name}`;
  await timed("a person logs in with the sheet's password", async () => {
    const pass = new OnboardingSheet(dep.path("onboarding")).passwordFor(userId)!;
    await loginWithPassword(new MatrixHttp({ baseUrl: hs!.baseUrl }), person.id, pass, "drill phone");
  });
  const restored = await timed("bot start as a new device", () => startBot({ province, deployment: dep, logger: pino({ level: "warn" }) }));
  await restored.stop();

  const total = times.filter(([l]) => !l.startsWith("provision") && !l.startsWith("bot first")).reduce((s, [, ms]) => s + ms, 0);
  process.stdout.write(`restore drill: ${config} (${province.people.length} people), PostgreSQL ${pg.major}, archive ${(bytes / 1024 / 1024).toFixed(1)} MiB\n`);
  for (const [label, ms] of times) process.stdout.write(`  ${label.padEnd(42)} ${(ms / 1000).toFixed(1)} s\n`);
  process.stdout.write(`  ${"backup to the bot running again, total".padEnd(42)} ${(total / 1000).toFixed(1)} s\n`);
} finally {
  await hs?.destroy();
  await pg.stop();
  rmSync(work, { recursive: true, force: true });
}
