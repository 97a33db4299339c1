// What the bot says when a message names people on a partner server that is not answering.
import { describe, expect, it } from "vitest";
import type { Outgoing } from "../../src/messaging/types.ts";
import { remoteServers, serverOf, unreachableNotices } from "../../src/bot/unreachable.ts";
import { paragraph, render, reply } from "../../src/i18n/index.ts";

const OWN = "127.0.0.1:8448";
const noy = "@dr.noy:127.0.0.1:8449";
const kham = "@dr.kham:127.0.0.1:8449";
const lee = "@dr.lee:partner.example";
const local = "@obstetrician:127.0.0.1:8448";
const page = (userIds: string[], extra: Partial<Extract<Outgoing, { kind: "message" }>> = {}): Outgoing => ({
  kind: "message",
  msgtype: "m.text",
  reply: reply(paragraph("FL-0001: can you help?")),
  mentions: { user_ids: userIds },
  ...extra,
});
const opts = { ownServer: OWN, nameOf: (u: string) => u.slice(1, u.indexOf(":")), languageOf: () => "en" as const };
const body = (o: Outgoing) => (o.kind === "message" ? render(o.reply).body : "");

describe("partner servers that do not answer", () => {
  it("reads the server, port included, from a user ID", () => {
    expect(serverOf(noy)).toBe("127.0.0.1:8449");
    expect(serverOf(lee)).toBe("partner.example");
  });

  it("asks only about other servers named in a batch, once each", () => {
    const out: Outgoing[] = [page([local]), page([noy, kham, local]), page([lee]), { kind: "reaction", eventId: "$x", key: "✅" }, { kind: "message", reply: reply(paragraph("no mentions")) }];
    expect(remoteServers(out, OWN)).toEqual(["127.0.0.1:8449", "partner.example"]);
    expect(remoteServers([page([local])], OWN)).toEqual([]);
  });

  it("answers each message that missed someone, in its room and thread, naming who and which server", () => {
    const sent = [
      { outgoing: page([local]), roomId: "!district", eventId: "$card" },
      { outgoing: page([noy, kham, lee]), roomId: "!experts", eventId: "$page" },
      { outgoing: page([noy], { threadRootId: "$root" }), roomId: "!experts", eventId: undefined },
    ];
    const notices = unreachableNotices(sent, new Set(["127.0.0.1:8449"]), opts);
    expect(notices).toHaveLength(2);
    expect(notices[0]).toMatchObject({ kind: "message", roomId: "!experts", inReplyTo: "$page" });
    expect(body(notices[0]!)).toBe(
      "This did not reach dr.noy, dr.kham: their hospital's server (127.0.0.1:8449) is not answering. It will reach them when the server is back; the escalation goes on meanwhile.",
    );
    expect(notices[1]).toMatchObject({ roomId: "!experts", threadRootId: "$root" });
    expect(notices[1]).not.toHaveProperty("inReplyTo");
    // A notice rings nobody.
    for (const n of notices) expect(n).not.toHaveProperty("mentions");
  });

  it("says nothing when every server answers, and never about its own", () => {
    const sent = [{ outgoing: page([noy, local]), roomId: "!experts", eventId: "$page" }];
    expect(unreachableNotices(sent, new Set(), opts)).toEqual([]);
    expect(unreachableNotices(sent, new Set([OWN]), opts)).toEqual([]);
  });

  it("speaks the room's language", () => {
    const sent = [{ outgoing: page([noy]), roomId: "!experts", eventId: "$page" }];
    const [lo] = unreachableNotices(sent, new Set(["127.0.0.1:8449"]), { ...opts, languageOf: () => "lo" });
    expect(body(lo!)).toContain("ເຊີບເວີ");
    expect(body(lo!)).toContain("127.0.0.1:8449");
  });
});
