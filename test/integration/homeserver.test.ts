import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { checkSynapseConfig } from "../../src/homeserver/process.ts";
import { MatrixError } from "../../src/matrix/http.ts";
import { startTestSynapse, type TestSynapse } from "../support/synapse.ts";

describe("the local Synapse", () => {
  let hs: TestSynapse;
  beforeAll(async () => {
    hs = await startTestSynapse();
  });
  afterAll(async () => {
    await hs?.destroy();
  });

  it("answers the client API and keeps its secrets in 0600 files", async () => {
    const versions = await hs.http.get<{ versions: string[] }>("/_matrix/client/versions");
    expect(versions.versions.length).toBeGreaterThan(0);
    for (const f of ["secrets.json", "signing.key", "homeserver.yaml"]) {
      expect(statSync(join(hs.dataDir, f)).mode & 0o777, f).toBe(0o600);
    }
  });

  it("has registration closed and encryption on by default", async () => {
    const err = await hs.http.post("/_matrix/client/v3/register", { username: "intruder", password: "x".repeat(20) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MatrixError);
    expect((err as MatrixError).status).toBe(403);
    const config = parse(readFileSync(join(hs.dataDir, "homeserver.yaml"), "utf8")) as Record<string, unknown>;
    expect(config.encryption_enabled_by_default_for_room_type).toBe("all");
    expect(config.federation_domain_whitelist).toEqual([]);
    expect(config.url_preview_enabled).toBe(false);
  });

  it("passes Synapse's own config check", () => {
    const check = checkSynapseConfig(hs.dataDir);
    expect(check.ok, check.output).toBe(true);
  });

  it("creates users with the shared secret; rooms they make are encrypted", async () => {
    const alice = await hs.registerUser("alice");
    const api = hs.http.withToken(alice.accessToken);
    const { room_id } = await api.post<{ room_id: string }>("/_matrix/client/v3/createRoom", { name: "plain" });
    const enc = await api.get<{ algorithm: string }>(`/_matrix/client/v3/rooms/${encodeURIComponent(room_id)}/state/m.room.encryption/`);
    expect(enc.algorithm).toBe("m.megolm.v1.aes-sha2");
  });
});
