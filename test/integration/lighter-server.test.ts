// The settings that make the server lighter for phones on poor links, as a real
// Synapse applies them: uploads over 10 MB refused at once, presence off, and the
// district rooms' room-key rotation as `mchlink apply` created them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enc } from "../../src/matrix/http.ts";
import { DISTRICT_ENCRYPTION, desiredState } from "../../src/provision/desired.ts";
import { provision, type TestProvince } from "../support/province.ts";
import { startTestSynapse, type TestSynapse } from "../support/synapse.ts";

describe("a server light on phones", () => {
  let hs: TestSynapse;
  let p: TestProvince;
  let token: string;
  let other: string;

  beforeAll(async () => {
    hs = await startTestSynapse();
    p = await provision(hs);
    const login = async (localpart: string) => {
      const res = await fetch(`${hs.baseUrl}/_matrix/client/v3/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ type: "m.login.password", identifier: { type: "m.id.user", user: p.userId(localpart) }, password: p.password(localpart) }),
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { access_token: string }).access_token;
    };
    token = await login("nurse-n1");
    other = await login("nurse-n2");
  }, 180_000);
  afterAll(async () => {
    await hs?.destroy();
  });

  const upload = (bytes: number) =>
    fetch(`${hs.baseUrl}/_matrix/media/v3/upload?filename=photo.jpg`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "image/jpeg" }, body: Buffer.alloc(bytes, 1) });

  it("takes a phone photo and refuses more than 10 MB, saying it is too large", async () => {
    expect((await upload(2 * 1024 * 1024)).status).toBe(200);
    const res = await upload(10 * 1024 * 1024 + 1);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { errcode: string }).errcode).toBe("M_TOO_LARGE");
    const config = (await (await fetch(`${hs.baseUrl}/_matrix/client/v1/media/config`, { headers: { authorization: `Bearer ${token}` } })).json()) as { "m.upload.size": number };
    expect(config["m.upload.size"]).toBe(10 * 1024 * 1024);
  });

  it("keeps no presence: a phone saying it is online is not shown so to others", async () => {
    const me = p.userId("nurse-n1");
    const set = await fetch(`${hs.baseUrl}/_matrix/client/v3/presence/${enc(me)}/status`, {
      method: "PUT",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ presence: "online" }),
    });
    expect(set.status).toBe(200);
    const seen = await fetch(`${hs.baseUrl}/_matrix/client/v3/presence/${enc(me)}/status`, { headers: { authorization: `Bearer ${other}` } });
    const body = (await seen.json()) as { presence?: string; last_active_ago?: number };
    expect(body.presence).not.toBe("online");
    expect(body.last_active_ago).toBeUndefined();
  });

  it("creates district rooms with the province's room-key rotation, and other rooms without", async () => {
    const { http } = await p.deployment.adminSession();
    const encryption = async (alias: string) => {
      const { room_id } = await http.get<{ room_id: string }>(`/_matrix/client/v3/directory/room/${enc(`#${alias}:${hs.serverName}`)}`);
      return http.get<Record<string, unknown>>(`/_matrix/client/v3/rooms/${enc(room_id)}/state/m.room.encryption/`);
    };
    const rooms = desiredState(p.province).rooms;
    const district = rooms.find((r) => r.kind === "district")!;
    const experts = rooms.find((r) => r.kind === "experts")!;
    expect(await encryption(district.alias)).toEqual(DISTRICT_ENCRYPTION);
    expect(await encryption(experts.alias)).toEqual({ algorithm: "m.megolm.v1.aes-sha2" });
  });
});
