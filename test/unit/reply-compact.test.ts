// What the bot sends: an HTML copy of a reply only when it shows something the plain
// body cannot (a heading, bold, italics, code); otherwise the body alone, half the bytes.
import { describe, expect, it } from "vitest";
import { bold, code, heading, italic, list, numbered, paragraph, plainReply, quote, render, renderCompact, reply, source } from "../../src/i18n/reply.ts";

describe("renderCompact", () => {
  it("sends plain paragraphs, lists and quotes as the body alone", () => {
    const value = reply(paragraph("What is missing:"), list(["age", "weeks of pregnancy"]), numbered(["one", "two"]), quote("a\nb"), source("Source: WHO"));
    const out = renderCompact(value);
    expect(out).toEqual({ body: render(value).body });
    expect("formatted_body" in out).toBe(false);
    expect("format" in out).toBe(false);
  });

  it("keeps the HTML for headings and for inline emphasis anywhere", () => {
    for (const value of [
      reply(heading("Title"), paragraph("text")),
      reply(paragraph("Case ", bold("TL-0001"))),
      reply(paragraph("plain"), list([["see ", italic("this")]])),
      reply(paragraph("type ", code("!ack TL-0001"))),
      reply(source(italic("footnote"))),
    ]) {
      expect(renderCompact(value)).toEqual(render(value));
    }
  });

  it("sends a plainReply as the body alone even with headings, which become lines of their own", () => {
    const value = plainReply(paragraph("⚠ DRAFT"), heading("Title"), paragraph("text"), heading("Steps"), numbered(["one", "two"]));
    expect(renderCompact(value)).toEqual({ body: "⚠ DRAFT\n\nTitle\ntext\n\nSteps\n1. one\n2. two" });
    expect(renderCompact(reply(...value.blocks))).toEqual(render(value));
  });
});
