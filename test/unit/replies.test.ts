import { describe, expect, it } from "vitest";
import { relationOf, stripReplyFallback, typedText } from "../../src/matrix/replies.ts";

describe("replies (Matrix spec v1.13: no fallbacks sent, old ones read)", () => {
  it("takes an Element Classic reply fallback off what was typed", () => {
    const body = "> <@obstetrician:mchlink.test> Consult TL-0001: emergency, obstetrics\n> Paged: Test Obstetrician\n\n!ack TL-0001";
    expect(stripReplyFallback(body)).toBe("!ack TL-0001");
    expect(stripReplyFallback("> * <@a:b> waves\n\nhello")).toBe("hello");
  });

  it("leaves text alone that only looks quoted", () => {
    expect(stripReplyFallback("> 38 weeks, is that term?")).toBe("> 38 weeks, is that term?");
    expect(stripReplyFallback("#emergency > <not a fallback")).toBe("#emergency > <not a fallback");
  });

  it("strips only from replies: a message that is not a reply keeps its first line", () => {
    const quoted = "> <@a:b> #routine\n\n#emergency now fitting";
    expect(typedText(quoted, {})).toBe(quoted);
    expect(typedText(quoted, { inReplyTo: "$req" })).toBe("#emergency now fitting");
  });

  it("reads plain replies, thread replies and thread fallbacks, and ignores malformed relations", () => {
    expect(relationOf({ "m.relates_to": { "m.in_reply_to": { event_id: "$req" } } })).toEqual({ inReplyTo: "$req" });
    expect(relationOf({ "m.relates_to": { rel_type: "m.thread", event_id: "$root", is_falling_back: true, "m.in_reply_to": { event_id: "$last" } } })).toEqual({
      threadRootId: "$root",
      inReplyTo: "$last",
    });
    expect(relationOf({ "m.relates_to": { rel_type: "m.thread", event_id: 42, "m.in_reply_to": "$x" } })).toEqual({});
    expect(relationOf({ "m.relates_to": "nonsense" })).toEqual({});
    expect(relationOf({ body: "no relation" })).toEqual({});
  });
});
