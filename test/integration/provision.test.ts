// `mchlink plan/apply` against a real Synapse: from empty, idempotent, resumable
// after a kill, pruning, account care, and what an Element user then sees.
import { spawn } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { desiredState } from "../../src/provision/desired.ts";
import { enc, type MatrixError, MatrixHttp } from "../../src/matrix/http.ts";
import { loginWithPassword } from "../../src/matrix/register.ts";
import { parseCsv } from "../../src/util/csv.ts";
import { newDeployment, provision, SMALL_PROVINCE, type TestProvince } from "../support/province.ts";
import { startTestSynapse, type TestSynapse } from "../support/synapse.ts";
import { captureMain } from "../support/cli.ts";

const repo = join(import.meta.dirname, "..", "..");

describe("provisioning a province", () => {
  let hs: TestSynapse;
  let p: TestProvince;
  let admin: MatrixHttp;

  beforeAll(async () => {
    hs = await startTestSynapse();
    p = await provision(hs);
    admin = (await p.deployment.adminSession()).http;
  });
  afterAll(async () => {
    await hs?.destroy();
  });

  const roomId = async (alias: string) => (await admin.get<{ room_id: string }>(`/_matrix/client/v3/directory/room/${enc(`#${alias}:${hs.serverName}`)}`)).room_id;
  const state = async (room: string, type: string, key = "") => admin.get<Record<string, unknown>>(`/_matrix/client/v3/rooms/${enc(room)}/state/${enc(type)}/${enc(key)}`);

  it("creates every account with the roster's display name, and writes the sheet 0600", async () => {
    for (const person of p.province.people) {
      const u = await admin.get<{ displayname: string; deactivated: boolean }>(`/_synapse/admin/v2/users/${enc(p.userId(person.id))}`);
      expect(u.displayname).toBe(person.name);
      expect(u.deactivated).toBe(false);
    }
    const csv = p.deployment.path("onboarding", "credentials.csv");
    expect(statSync(csv).mode & 0o777).toBe(0o600);
    expect(statSync(p.deployment.path("onboarding", "index.html")).mode & 0o777).toBe(0o600);
    const [header, ...rows] = parseCsv(readFileSync(csv, "utf8"));
    expect(header).toEqual(expect.arrayContaining(["user_id", "password", "role", "facility", "district"]));
    expect(rows).toHaveLength(p.province.people.length);
    expect(readFileSync(csv, "utf8")).not.toContain("mchlink-bot"); // the bot's password lives in bot.json
    expect(statSync(p.deployment.path("bot.json")).mode & 0o777).toBe(0o600);
  });

  it("makes rooms encrypted, invite-only, without guests, with the right members and power levels", async () => {
    const desired = desiredState(p.province);
    for (const room of desired.rooms) {
      const id = await roomId(room.alias);
      expect((await state(id, "m.room.encryption")).algorithm).toBe("m.megolm.v1.aes-sha2");
      expect((await state(id, "m.room.join_rules")).join_rule).toBe("invite");
      expect((await state(id, "m.room.guest_access")).guest_access).toBe("forbidden");
      const { joined } = await admin.get<{ joined: Record<string, unknown> }>(`/_matrix/client/v3/rooms/${enc(id)}/joined_members`);
      expect(Object.keys(joined).sort()).toEqual([...room.members, desired.adminUserId].sort());
      const pl = await state(id, "m.room.power_levels");
      expect(pl.users).toEqual(room.powerLevels.users);
      expect((pl.events as Record<string, number>)["m.room.topic"]).toBe(100);
    }
    const north = await roomId(`${p.province.province.id}-district-north`);
    const pl = (await state(north, "m.room.power_levels")).users as Record<string, number>;
    expect(pl[p.userId("obstetrician")]).toBe(50);
    expect(pl[p.userId("coordinator")]).toBe(50);
    expect(pl[p.userId("nurse-n1")]).toBeUndefined();
    const announcements = await roomId(`${p.province.province.id}-announcements`);
    expect((await state(announcements, "m.room.power_levels")).events_default).toBe(50);
  });

  it("a second plan and apply change nothing", async () => {
    const plan = await captureMain(["--state", p.deployment.dir, "plan", SMALL_PROVINCE]);
    expect(plan.code).toBe(0);
    expect(plan.out).toContain("No changes");
    const json = await captureMain(["--state", p.deployment.dir, "apply", SMALL_PROVINCE, "--json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ noop: true, applied: 0 });
  });

  it("a person logs in with the sheet's password and finds their district room, encrypted, in the Space", async () => {
    const session = await loginWithPassword(new MatrixHttp({ baseUrl: hs.baseUrl }), "nurse-s1", p.password("nurse-s1"), "Element Android");
    const me = hs.http.withToken(session.accessToken);
    const { joined_rooms } = await me.get<{ joined_rooms: string[] }>("/_matrix/client/v3/joined_rooms");
    const south = await roomId(`${p.province.province.id}-district-south`);
    const north = await roomId(`${p.province.province.id}-district-north`);
    expect(joined_rooms).toContain(south);
    expect(joined_rooms).not.toContain(north);
    const space = await roomId(p.province.province.id);
    const { rooms } = await me.get<{ rooms: Array<{ room_id: string; room_type?: string; encryption?: string }> }>(`/_matrix/client/v1/rooms/${enc(space)}/hierarchy`);
    expect(rooms.find((r) => r.room_id === space)?.room_type).toBe("m.space");
    expect(rooms.map((r) => r.room_id)).toContain(south);
    const pinned = (await me.get<{ pinned: string[] }>(`/_matrix/client/v3/rooms/${enc(south)}/state/m.room.pinned_events/`)).pinned;
    const rules = await me.get<{ content: { body: string } }>(`/_matrix/client/v3/rooms/${enc(south)}/event/${enc(pinned[0]!)}`);
    expect(rules.content.body).toContain(p.province.rules.hospital_phone);
  });

  it("moves a person whose facility changed, and prunes people removed from the config", async () => {
    const doc = parse(readFileSync(SMALL_PROVINCE, "utf8")) as { people: Array<{ id: string; facility: string }> };
    doc.people = doc.people.filter((x) => x.id !== "nurse-n2");
    doc.people.find((x) => x.id === "nurse-s2")!.facility = "north-hc1";
    const changed = join(p.deployment.dir, "changed.yaml");
    writeFileSync(changed, stringify(doc));

    const plan = await captureMain(["--state", p.deployment.dir, "plan", changed]);
    expect(plan.out).toContain(`not in the config: ${p.userId("nurse-n2")}`);
    expect(plan.out).toContain(`- member ${p.userId("nurse-s2")}`);

    expect((await captureMain(["--state", p.deployment.dir, "apply", changed])).code).toBe(0);
    const north = await roomId(`${p.province.province.id}-district-north`);
    const south = await roomId(`${p.province.province.id}-district-south`);
    expect((await state(north, "m.room.member", p.userId("nurse-s2"))).membership).toBe("join");
    expect((await state(south, "m.room.member", p.userId("nurse-s2"))).membership).toBe("leave");
    // Without --prune the removed person is only reported.
    expect((await admin.get<{ deactivated: boolean }>(`/_synapse/admin/v2/users/${enc(p.userId("nurse-n2"))}`)).deactivated).toBe(false);

    expect((await captureMain(["--state", p.deployment.dir, "apply", changed, "--prune"])).code).toBe(0);
    expect((await admin.get<{ deactivated: boolean }>(`/_synapse/admin/v2/users/${enc(p.userId("nurse-n2"))}`)).deactivated).toBe(true);
    expect((await captureMain(["--state", p.deployment.dir, "plan", changed, "--prune"])).out).toContain("No changes");
  });

  it("resets a password and logs out a lost phone", async () => {
    const old = p.password("doctor-n3");
    const phone = await loginWithPassword(new MatrixHttp({ baseUrl: hs.baseUrl }), "doctor-n3", old, "lost phone");
    const list = await captureMain(["--state", p.deployment.dir, "devices", "list", "doctor-n3", "--json"]);
    expect(JSON.parse(list.out).map((d: { device_id: string }) => d.device_id)).toContain(phone.deviceId);
    expect((await captureMain(["--state", p.deployment.dir, "devices", "logout", "doctor-n3", phone.deviceId])).code).toBe(0);
    const revoked = await hs.http
      .withToken(phone.accessToken)
      .get("/_matrix/client/v3/account/whoami")
      .catch((e: unknown) => e);
    expect((revoked as MatrixError).status).toBe(401);

    const reset = await captureMain(["--state", p.deployment.dir, "users", "reset-password", "doctor-n3"]);
    expect(reset.code).toBe(0);
    expect(reset.out + reset.err).not.toContain(p.password("doctor-n3")); // never printed
    expect(p.password("doctor-n3")).not.toBe(old);
    await loginWithPassword(new MatrixHttp({ baseUrl: hs.baseUrl }), "doctor-n3", p.password("doctor-n3"), "new phone");
    const missing = await captureMain(["--state", p.deployment.dir, "users", "reset-password", "nobody-here"]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("no account @nobody-here");
  });
});

describe("an apply killed half-way", () => {
  let hs: TestSynapse;
  afterAll(async () => {
    await hs?.destroy();
  });

  it("is finished by the next apply, and every password in the sheet works", async () => {
    hs = await startTestSynapse();
    const dep = newDeployment(hs);
    const child = spawn(process.execPath, [join(repo, "src", "cli", "main.ts"), "--state", dep.dir, "apply", SMALL_PROVINCE, "--concurrency", "1"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    await new Promise<void>((resolve) => {
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
        // Killed in the middle of the memberships, after rooms and accounts exist.
        if (/join: \d+\//.test(stderr)) child.kill("SIGKILL");
      });
      child.on("exit", () => resolve());
    });
    expect(child.signalCode).toBe("SIGKILL");
    const half = await captureMain(["--state", dep.dir, "plan", SMALL_PROVINCE]);
    expect(half.out).toMatch(/\+ member/);
    const p = await provision(hs, SMALL_PROVINCE, dep);
    expect((await captureMain(["--state", dep.dir, "plan", SMALL_PROVINCE])).out).toContain("No changes");
    for (const person of p.province.people) {
      await loginWithPassword(new MatrixHttp({ baseUrl: hs.baseUrl }), person.id, p.password(person.id), "check");
    }
  });
});

describe("a broken province file", () => {
  it("exits 2 with located errors and touches no server", async () => {
    const dir = join(repo, "test", "fixtures", "broken");
    const res = await captureMain(["--state", "/nonexistent/state", "apply", join(dir, "mistakes.yaml")]);
    expect(res.code).toBe(2);
    expect(res.err).toMatch(/mistakes\.yaml:\d+:\d+ /);
    expect(res.err).toContain("nothing was changed");
  });
});
