// The production deployment files, checked with the tools that can run here (no
// container engine): `mchlink render-config` output checked by Synapse itself,
// docker-compose.yml by Debian's docker-compose (v1) `config -q`, the Caddyfile
// by Debian's caddy, and the bot image's production-only install by doing what
// the Dockerfile does and loading the CLI and the bot from it.
import { BOT_ENV, BOT_NODE_FLAGS, missingBotSettings } from "../../src/bot/node-flags.ts";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import type { Command } from "commander";
import { registry } from "../../src/bot/commands.ts";
import { buildCli } from "../../src/cli/main.ts";
import { renderHomeserverConfig } from "../../src/homeserver/config.ts";
import { BOT_UID, SYNAPSE_UID } from "../../src/homeserver/production.ts";
import { checkSynapseConfig } from "../../src/homeserver/process.ts";
import { sandboxArgs } from "../../src/homeserver/rootfs.ts";
import { commandExists, ensureDebianPackages } from "../support/debian.ts";
import { captureMain } from "../support/cli.ts";

const repo = join(import.meta.dirname, "..", "..");
const PROVINCE = join(repo, "config", "bokeo.yaml");
const DOMAIN = "matrix.bokeo.example";
const isRoot = process.getuid?.() === 0;

type Yaml = Record<string, unknown>;

const SECRETS = ["synapse/signing.key", "synapse/registration_shared_secret", "synapse/macaroon_secret_key", "synapse/form_secret", "postgres/password"];

describe("mchlink render-config (production)", () => {
  let deploy: string;
  const read = (path: string) => readFileSync(join(deploy, path), "utf8");
  const config = () => parse(read("synapse/homeserver.yaml")) as Yaml;

  beforeAll(async () => {
    deploy = mkdtempSync(join(tmpdir(), "mchlink-deploy-"));
    const res = await captureMain(["render-config", PROVINCE, "--out", deploy, "--public-url", `https://${DOMAIN}`]);
    expect(res.code, res.err).toBe(0);
  });
  afterAll(() => rmSync(deploy, { recursive: true, force: true }));

  it("renders a homeserver.yaml that Synapse's own config check accepts", () => {
    const check = checkSynapseConfig(join(deploy, "synapse"));
    expect(check.ok, check.output).toBe(true);
  });

  it("keeps every privacy setting of the template, and differs from the local config only where production must", () => {
    const local = renderHomeserverConfig({
      serverName: "bokeo.mchlink.test",
      publicBaseUrl: `https://${DOMAIN}/`,
      clientPort: 8008,
      bindAddress: "0.0.0.0",
      xForwarded: true,
      federationPartners: [],
      retention: { minLifetime: "1d", maxLifetime: "730d" },
      profile: "local",
    });
    const production = config();
    const differing = Object.keys({ ...local, ...production }).filter((k) => JSON.stringify(local[k]) !== JSON.stringify(production[k]));
    expect(differing.sort()).toEqual(["database", "enable_metrics", "form_secret_path", "listeners", "macaroon_secret_key_path", "registration_shared_secret_path"]);
  });

  it("uses PostgreSQL with the password in a pgpass file, metrics on the compose network, the proxy's X-Forwarded-For, bcrypt 12 and the template's rate limits (per-address login raised for shared addresses, wrong passwords slow per account)", () => {
    const c = config();
    expect(c.database).toMatchObject({ name: "psycopg2", args: { user: "synapse", database: "synapse", host: "postgres", port: 5432, passfile: "/data/pgpass" } });
    expect(JSON.stringify(c.database)).not.toContain("password");
    expect(c.enable_metrics).toBe(true);
    expect(c.listeners).toEqual([
      expect.objectContaining({ port: 8008, type: "http", x_forwarded: true, resources: [{ names: ["client"], compress: false }] }),
      { port: 9000, bind_addresses: ["0.0.0.0"], type: "metrics" },
    ]);
    expect(c.public_baseurl).toBe(`https://${DOMAIN}/`);
    expect(c.bcrypt_rounds).toBe(12);
    expect(
      Object.keys(c)
        .filter((k) => k.startsWith("rc_"))
        .sort(),
    ).toEqual(["rc_joins", "rc_joins_per_room", "rc_login"]);
    expect(c.rc_login).toEqual({ address: { per_second: 0.5, burst_count: 100 }, account: { per_second: 0.003, burst_count: 5 }, failed_attempts: { per_second: 0.05, burst_count: 3 } });
    expect(c.presence).toEqual({ enabled: false });
  });

  it("writes each secret once into a 0600 file of its own, owned by the container user that reads it, and none into the configs", async () => {
    const before = Object.fromEntries(SECRETS.map((s) => [s, read(s)]));
    for (const path of [...SECRETS, "synapse/pgpass", "synapse/homeserver.yaml", "state/registration_shared_secret"]) {
      expect(statSync(join(deploy, path)).mode & 0o777, path).toBe(0o600);
    }
    if (isRoot) {
      expect(statSync(join(deploy, "synapse", "signing.key")).uid).toBe(SYNAPSE_UID);
      expect(statSync(join(deploy, "state", "homeserver.json")).uid).toBe(BOT_UID);
    }
    const password = read("postgres/password").trim();
    expect(read("synapse/pgpass")).toBe(`*:*:synapse:synapse:${password}\n`);
    expect(read("state/registration_shared_secret")).toBe(read("synapse/registration_shared_secret"));
    const plainFiles = ["synapse/homeserver.yaml", "state/homeserver.json", "element/config.json"].map(read).join("\n");
    for (const s of SECRETS.slice(1)) expect(plainFiles).not.toContain(read(s).trim());
    expect(JSON.parse(read("state/homeserver.json"))).toEqual({
      baseUrl: "http://synapse:8008",
      serverName: "bokeo.mchlink.test",
      publicUrl: `https://${DOMAIN}`,
      sharedSecretFile: "/state/registration_shared_secret",
    });

    // Rendering again (after a province change) keeps every secret.
    expect((await captureMain(["render-config", PROVINCE, "--out", deploy, "--public-url", `https://${DOMAIN}`])).code).toBe(0);
    for (const s of SECRETS) expect(read(s), s).toBe(before[s]);
  });

  it("with --workers, renders a config per worker that Synapse's own check accepts together with the shared one, and points the bot at the proxy", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mchlink-deploy-workers-"));
    try {
      const res = await captureMain(["render-config", PROVINCE, "--out", dir, "--public-url", `https://${DOMAIN}`, "--workers"]);
      expect(res.code, res.err).toBe(0);
      const shared = parse(readFileSync(join(dir, "synapse", "homeserver.yaml"), "utf8")) as Yaml;
      expect(shared).toMatchObject({
        redis: { enabled: true, host: "redis" },
        stream_writers: { events: ["events1"] },
        federation_sender_instances: ["federation_sender1"],
        enable_media_repo: false,
        media_instance_running_background_jobs: "media1",
      });
      expect(statSync(join(dir, "synapse", "worker_replication_secret")).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(dir, "synapse", "homeserver.yaml"), "utf8")).not.toContain(readFileSync(join(dir, "synapse", "worker_replication_secret"), "utf8").trim());
      expect(JSON.parse(readFileSync(join(dir, "state", "homeserver.json"), "utf8")).baseUrl).toBe("http://caddy:8080");
      // Synapse's checker loads the redis section only with Synapse's Redis client installed, which the
      // official image has and Debian's Synapse lacks: the check here reads the rendered files with one
      // more file last that turns Redis off, so every other setting, each worker's included, is checked.
      writeFileSync(join(dir, "synapse", "no-redis-client.yaml"), "redis: { enabled: false }\n");
      const workers = ["sync1", "client1", "events1", "federation_sender1", "media1"];
      for (const name of ["homeserver", ...workers]) {
        const configs = ["/data/homeserver.yaml", ...(name === "homeserver" ? [] : [`/data/workers/${name}.yaml`]), "/data/no-redis-client.yaml"].flatMap((c) => ["-c", c]);
        const check = spawnSync(
          "bwrap",
          [...sandboxArgs({ binds: [{ host: join(dir, "synapse"), inside: "/data" }], home: "/data", dieWithParent: true }), "python3", "-m", "synapse.config", ...configs],
          { encoding: "utf8" },
        );
        expect(check.status, `${name}: ${check.stdout}${check.stderr}`).toBe(0);
      }
      // And a worker file that Synapse would reject is caught: the check is not a formality.
      writeFileSync(join(dir, "synapse", "workers", "broken.yaml"), "worker_app: synapse.app.generic_worker\nworker_listeners: [{ type: http, port: not-a-port, resources: [{ names: [client] }] }]\n");
      const broken = spawnSync(
        "bwrap",
        [
          ...sandboxArgs({ binds: [{ host: join(dir, "synapse"), inside: "/data" }], home: "/data", dieWithParent: true }),
          "python3",
          "-m",
          "synapse.config",
          "-c",
          "/data/homeserver.yaml",
          "-c",
          "/data/workers/broken.yaml",
          "-c",
          "/data/no-redis-client.yaml",
        ],
        { encoding: "utf8" },
      );
      expect(broken.status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("adds federation for the province's partners, and refuses to move a server to another name", async () => {
    const doc = parse(readFileSync(PROVINCE, "utf8")) as { federation: { partners: string[] }; homeserver: { server_name: string } };
    doc.federation.partners = ["partner-hospital.example"];
    const changed = join(deploy, "partnered.yaml");
    writeFileSync(changed, stringify(doc));
    expect((await captureMain(["render-config", changed, "--out", deploy, "--public-url", `https://${DOMAIN}`])).code).toBe(0);
    expect(config().federation_domain_whitelist).toEqual(["partner-hospital.example"]);
    expect((config().listeners as Array<{ resources?: Array<{ names: string[] }> }>)[0]!.resources![0]!.names).toEqual(["client", "federation"]);

    doc.homeserver.server_name = "other.example";
    writeFileSync(changed, stringify(doc));
    const refused = await captureMain(["render-config", changed, "--out", deploy]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("server name cannot change");
    expect((await captureMain(["render-config", PROVINCE, "--out", deploy, "--public-url", "http://insecure.example"])).err).toContain("https://");
  });
});

describe("docker-compose.yml", () => {
  const compose = ensureDebianPackages(["docker-compose"], () => commandExists("docker-compose"));
  let dir: string;
  const envFile = () => join(dir, ".env");
  const run = (args: string[], env = envFile()) => spawnSync("docker-compose", ["--env-file", env, "--file", join(repo, "docker-compose.yml"), ...args], { encoding: "utf8", cwd: repo });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "mchlink-compose-"));
    const res = await captureMain(["render-config", PROVINCE, "--out", join(dir, "deploy"), "--public-url", `https://${DOMAIN}`]);
    expect(res.code, res.err).toBe(0);
    const filled: Record<string, string> = { MCHLINK_DOMAIN: DOMAIN, MCHLINK_ACME_EMAIL: "it@bokeo.example", MCHLINK_PROVINCE: "config/bokeo.yaml", MCHLINK_DEPLOY_DIR: join(dir, "deploy") };
    const env = readFileSync(join(repo, ".env.example"), "utf8").replace(/^(\w+)=.*$/gm, (line, key: string) => (key in filled ? `${key}=${filled[key]}` : line));
    writeFileSync(envFile(), env);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(!compose.ok)(`passes docker-compose config -q, with every profile${compose.ok ? "" : ` (skipped: ${compose.reason})`}`, () => {
    const check = run(["--profile", "element", "--profile", "push", "--profile", "setup", "--profile", "backup", "--profile", "sms", "config", "-q"]);
    expect(check.status, check.stderr).toBe(0);
  });

  it.skipIf(!compose.ok)("passes docker-compose config -q with the workers profile, rendered with --workers, each worker on the shared config and its own", async () => {
    const res = await captureMain(["render-config", PROVINCE, "--out", join(dir, "deploy"), "--public-url", `https://${DOMAIN}`, "--workers"]);
    expect(res.code, res.err).toBe(0);
    const check = run(["--profile", "workers", "config"]);
    expect(check.status, check.stderr).toBe(0);
    const services = (parse(check.stdout) as { services: Record<string, Yaml & { entrypoint?: string[] }> }).services;
    const workers = Object.entries(services).filter(([name]) => name.startsWith("synapse-") && name !== "synapse-media-owner");
    expect(workers.map(([name]) => name).sort()).toEqual(["synapse-client1", "synapse-events1", "synapse-federation-sender1", "synapse-media1", "synapse-sync1"]);
    for (const [name, service] of workers) {
      expect(service.entrypoint!.slice(-4), name).toEqual(["--config-path", "/data/homeserver.yaml", "--config-path", `/data/workers/${name.slice("synapse-".length).replace(/-/g, "_")}.yaml`]);
      expect(service.healthcheck, name).toBeDefined();
    }
    expect(services.redis!.healthcheck).toBeDefined();
    expect(
      Object.entries(services)
        .filter(([, s]) => s.ports)
        .map(([n]) => n),
    ).toEqual(["caddy"]);
  });

  it.skipIf(!compose.ok)("refuses to start with the required settings of .env.example left empty, and says which one", () => {
    const check = run(["config", "-q"], join(repo, ".env.example"));
    expect(check.status).not.toBe(0);
    expect(check.stderr).toMatch(/set MCHLINK_(PROVINCE|DOMAIN|ACME_EMAIL) in \.env/);
  });

  it.skipIf(!compose.ok)("pins every image, restarts and health-checks the services, and carries no secret", () => {
    const res = run(["--profile", "element", "--profile", "push", "--profile", "setup", "--profile", "backup", "--profile", "sms", "config"]);
    expect(res.status, res.stderr).toBe(0);
    const resolved = parse(res.stdout) as { services: Record<string, Yaml>; volumes: Yaml };
    for (const [name, service] of Object.entries(resolved.services)) {
      expect(service.image, name).toMatch(/:(v?\d+\.\d+[\w.-]*|local)$/);
      expect(service.restart, name).toBeDefined();
    }
    for (const name of ["postgres", "synapse", "bot", "caddy", "ntfy"]) expect(resolved.services[name]!.healthcheck, name).toBeDefined();
    expect(Object.keys(resolved.volumes).sort()).toEqual(["caddy-config", "caddy-data", "kannel-spool", "ntfy-cache", "postgresql", "synapse-media"]);
    // Only the proxy is reachable from outside.
    expect(
      Object.entries(resolved.services)
        .filter(([, s]) => s.ports)
        .map(([n]) => n),
    ).toEqual(["caddy"]);
    for (const secret of SECRETS.slice(1)) expect(res.stdout).not.toContain(readFileSync(join(dir, "deploy", secret), "utf8").trim());
  });

  it("starts the bot with the Node flags and environment every launcher uses (src/bot/node-flags.ts), and otherwise as the image does", () => {
    const services = (parse(readFileSync(join(repo, "docker-compose.yml"), "utf8")) as { services: Record<string, { entrypoint?: string[]; environment?: Record<string, string> }> }).services;
    const bot = services.bot!;
    for (const flag of BOT_NODE_FLAGS) expect(bot.entrypoint).toContain(flag);
    for (const [name, value] of Object.entries(BOT_ENV)) expect(bot.environment?.[name], name).toBe(value);
    const image = JSON.parse(/^ENTRYPOINT (\[.*\])$/m.exec(readFileSync(join(repo, "Dockerfile"), "utf8"))![1]!) as string[];
    expect(bot.entrypoint!.filter((arg) => !BOT_NODE_FLAGS.includes(arg))).toEqual(image);
    expect(missingBotSettings(bot.entrypoint!, bot.environment)).toEqual([]);
    expect(missingBotSettings(image, {})).toEqual([...BOT_NODE_FLAGS, ...Object.entries(BOT_ENV).map(([k, v]) => `${k}=${v}`)]);
  });

  it("documents in .env.example exactly the settings the compose file reads", () => {
    const used = new Set([...readFileSync(join(repo, "docker-compose.yml"), "utf8").matchAll(/\$\{(\w+)/g)].map((m) => m[1]!));
    const documented = new Set([...readFileSync(join(repo, ".env.example"), "utf8").matchAll(/^(\w+)=/gm)].map((m) => m[1]!));
    documented.delete("COMPOSE_PROJECT_NAME"); // read by docker compose itself
    expect([...documented].sort()).toEqual([...used].sort());
  });
});

describe("docker/Caddyfile", () => {
  const caddy = ensureDebianPackages(["caddy"], () => commandExists("caddy"));

  /** The Caddyfile adapted to JSON with the routes `mchlink render-config` wrote, one server per listen address. */
  async function adapt(workers: boolean): Promise<{ json: string; servers: Record<string, { listen: string[]; routes: unknown[] }> }> {
    const home = mkdtempSync(join(tmpdir(), "mchlink-caddy-"));
    try {
      const res = await captureMain(["render-config", PROVINCE, "--out", join(home, "deploy"), "--public-url", `https://${DOMAIN}`, ...(workers ? ["--workers"] : [])]);
      expect(res.code, res.err).toBe(0);
      const env = {
        ...process.env,
        HOME: home,
        XDG_DATA_HOME: home,
        XDG_CONFIG_HOME: home,
        MCHLINK_DOMAIN: DOMAIN,
        MCHLINK_ACME_EMAIL: "it@bokeo.example",
        MCHLINK_ELEMENT_DOMAIN: ":8081",
        MCHLINK_PUSH_DOMAIN: ":8082",
        MCHLINK_ROUTES_DIR: join(home, "deploy", "caddy"),
      };
      const args = ["--config", join(repo, "docker", "Caddyfile"), "--adapter", "caddyfile"];
      const validate = spawnSync("caddy", ["validate", ...args], { encoding: "utf8", env });
      expect(validate.status, validate.stderr).toBe(0);
      const json = spawnSync("caddy", ["adapt", ...args], { encoding: "utf8", env }).stdout;
      return { json, servers: (JSON.parse(json) as { apps: { http: { servers: Record<string, { listen: string[]; routes: unknown[] }> } } }).apps.http.servers };
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }
  const server = (servers: Record<string, { listen: string[]; routes: unknown[] }>, port: string) => JSON.stringify(Object.values(servers).find((s) => s.listen.some((l) => l.endsWith(port)))!.routes);
  const paths = (json: string) => [...new Set([...json.matchAll(/"path":\["([^"]+)"\]/g)].map((m) => m[1]))].sort();

  it.skipIf(!caddy.ok)(`is valid, serves both .well-known files and proxies only the client, federation and client-page paths${caddy.ok ? "" : ` (skipped: ${caddy.reason})`}`, async () => {
    const { json, servers } = await adapt(false);
    expect(json).toContain(JSON.stringify(`{"m.server": "${DOMAIN}:443"}`));
    expect(json).toContain(JSON.stringify(`{"m.homeserver": {"base_url": "https://${DOMAIN}"}}`));
    expect(paths(server(servers, ":443"))).toEqual(["/.well-known/matrix/client", "/.well-known/matrix/server", "/_matrix/*", "/_synapse/client/*"]);
    expect(server(servers, ":443")).toContain('"dial":"synapse:8008"');
    // Matrix responses are compressed for phones that accept it (2G: bench --links).
    expect(server(servers, ":443")).toMatch(/"encodings":\{"gzip":\{\},"zstd":\{\}/);
    // The internal site (compose network only: docker-compose.yml publishes 80 and 443 alone) adds the admin API.
    expect(paths(server(servers, ":8080"))).toEqual(["/_matrix/*", "/_synapse/admin/*", "/_synapse/client/*"]);
  });

  it.skipIf(!caddy.ok)("with --workers, sends Synapse's documented endpoints (and Element X's sliding sync) to each worker and the rest to the main process", async () => {
    const { servers } = await adapt(true);
    const publicSite = server(servers, ":443");
    for (const upstream of ["synapse-sync1:8008", "synapse-client1:8008", "synapse-events1:8008", "synapse-media1:8008", "synapse:8008"]) expect(publicSite).toContain(`"dial":"${upstream}"`);
    expect(publicSite).not.toContain("federation-sender1");
    expect(publicSite).toContain("org.matrix.simplified_msc3575/sync");
    expect(publicSite).not.toContain("/_synapse/admin");
    expect(server(servers, ":8080")).toContain("/_synapse/admin/v1/media/");
  });
});

describe("Dockerfile", () => {
  const dockerfile = readFileSync(join(repo, "Dockerfile"), "utf8");

  it("builds on a pinned Node 24 and runs as an unprivileged user", () => {
    expect(dockerfile).toMatch(/^FROM node:24\.\d+\.\d+-[\w-]+$/m);
    const users = [...dockerfile.matchAll(/^USER (\S+)$/gm)].map((m) => m[1]);
    expect(users.at(-1)).toBe("node");
  });

  it("sends only what it copies to the build: no deploy/, .mchlink/ or .env in the context", () => {
    const ignore = readFileSync(join(repo, ".dockerignore"), "utf8")
      .split("\n")
      .filter((l) => l && !l.startsWith("#"));
    expect(ignore[0]).toBe("*");
    const copied = [...dockerfile.matchAll(/^COPY (.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/)).map((p) => p.replace(/\/$/, ""));
    expect(ignore.slice(1).sort()).toEqual(copied.map((p) => `!${p}`).sort());
  });

  it("installs production dependencies only, and they are enough to run the CLI and load the bot", () => {
    const app = mkdtempSync(join(tmpdir(), "mchlink-image-"));
    try {
      // The Dockerfile's own COPY lines, so that a file the image lacks fails here.
      for (const [, sources] of dockerfile.matchAll(/^COPY (.+) \S+$/gm)) {
        for (const source of sources!.split(/\s+/)) cpSync(join(repo, source), join(app, source), { recursive: true });
      }
      const install = dockerfile.match(/^RUN (npm ci [^\\\n&]+)/m)![1]!.trim();
      expect(install).toContain("--omit=dev");
      const npm = spawnSync("sh", ["-c", `${install} --prefer-offline --loglevel=error`], { cwd: app, encoding: "utf8" });
      expect(npm.status, npm.stderr).toBe(0);
      const entry = [process.execPath, "--disable-warning=ExperimentalWarning"];
      const help = spawnSync(entry[0]!, [...entry.slice(1), "src/cli/main.ts", "--help"], { cwd: app, encoding: "utf8" });
      expect(help.status, help.stderr).toBe(0);
      expect(help.stdout).toContain("render-config");
      const load = spawnSync(entry[0]!, [...entry.slice(1), "--input-type=module", "-e", 'await import("./src/bot/main.ts"); await import("./src/homeserver/production.ts");'], {
        cwd: app,
        encoding: "utf8",
      });
      expect(load.status, load.stderr).toBe(0);
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  });
});

describe("the guides", () => {
  const docs = ["docs/deployment.md", "docs/push.md", "docs/users.lo-en.md", "README.md"].map((path) => ({ path, text: readFileSync(join(repo, path), "utf8") }));
  const compose = parse(readFileSync(join(repo, "docker-compose.yml"), "utf8")) as { services: Record<string, { profiles?: string[] }> };

  /** The command a line of words names, and every --option it uses that the command does not have. */
  function unknownParts(words: string[]): string[] {
    let command: Command = buildCli();
    const problems: string[] = [];
    for (const word of words) {
      if (word === "--help") continue;
      if (word.startsWith("--")) {
        const flag = word.split("=")[0]!;
        const known = [...command.options, ...buildCli().options].some((o) => o.long === flag);
        if (!known) problems.push(`${command.name()} ${flag}`);
      } else if (!word.startsWith("-")) {
        const sub = command.commands.find((c) => c.name() === word);
        if (sub) command = sub;
        else if (command.commands.length > 0) problems.push(`no command ${command.name()} ${word}`);
      }
    }
    return problems;
  }

  it("run only mchlink commands and options that exist", () => {
    const problems: string[] = [];
    let checked = 0;
    for (const { path, text } of docs) {
      const lines = [
        ...[...text.matchAll(/docker compose run --rm (?:(?:-T|--no-deps)\s+)*bot ([^`\n|&;]+)/g)].map((m) => m[1]!),
        ...[...text.matchAll(/`(?:npx )?mchlink ([^`]+)`/g)].map((m) => m[1]!),
      ];
      for (const line of lines) {
        checked++;
        // Placeholders (<user>, [device], …), paths and values are not command words.
        const words = line
          .trim()
          .split(/\s+/)
          .filter((w) => !/^[<[A-Z…]/.test(w) && !w.includes("/") && !/^\d/.test(w));
        if (words.length === 0) continue;
        for (const p of unknownParts(words)) problems.push(`${path}: ${p} in "${line}"`);
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(15);
  });

  it("name only compose services and profiles that exist", () => {
    const services = new Set(Object.keys(compose.services));
    const profiles = new Set(Object.values(compose.services).flatMap((s) => s.profiles ?? []));
    const problems: string[] = [];
    for (const { path, text } of docs) {
      for (const m of text.matchAll(/--profile (\S+)/g)) if (!profiles.has(m[1]!)) problems.push(`${path}: profile ${m[1]}`);
      for (const m of text.matchAll(/docker compose (?:up -d|restart|stop|start|logs -f(?: --tail=\d+)?|pull|build) ([a-z][a-z -]*[a-z])/g)) {
        for (const name of m[1]!.split(" ")) if (!services.has(name)) problems.push(`${path}: service ${name}`);
      }
      for (const m of text.matchAll(/docker compose exec -T ([a-z-]+)/g)) if (!services.has(m[1]!)) problems.push(`${path}: service ${m[1]}`);
    }
    expect(problems).toEqual([]);
  });

  it("tell people only bot commands that exist", () => {
    const used = new Set([...docs.flatMap(({ text }) => [...text.matchAll(/`!([a-z-]+)/g)].map((m) => m[1]!))]);
    expect(used.size).toBeGreaterThan(8);
    expect([...used].filter((name) => !registry.find(name))).toEqual([]);
  });
});
