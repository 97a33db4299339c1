import { describe, expect, it } from "vitest";
import {
  ALLOWED_TAGS,
  bold,
  catalogue,
  code,
  escapeHtml,
  fill,
  heading,
  italic,
  list,
  MissingPlaceholderError,
  numbered,
  paragraph,
  placeholders,
  quote,
  render,
  reply,
  source,
  t,
  tRich,
  type MessageKey,
} from "../../src/i18n/index.ts";
import { unreviewedMessages } from "../../src/i18n/review.ts";
import { messageHash } from "../../src/review/ledger.ts";

const entries = Object.entries(catalogue) as [MessageKey, (typeof catalogue)[MessageKey]][];
const HOSTILE = `<img src=x onerror=alert(1)>`;

/** Every tag name in an HTML string. */
function tagsIn(html: string): string[] {
  return Array.from(html.matchAll(/<\/?([a-zA-Z0-9]+)/g), (m) => (m[1] as string).toLowerCase());
}

describe("catalogue", () => {
  it.each(entries)("%s has English and Lao text", (_key, entry) => {
    expect(entry.en.trim()).not.toBe("");
    expect(entry.lo.trim()).not.toBe("");
    // Reviews live in the ledger (config/reviews.yaml), keyed by a hash of the text.
    expect("lo_reviewed" in entry).toBe(false);
  });

  it.each(entries)("%s uses the same placeholders in English and Lao", (_key, entry) => {
    expect(placeholders(entry.lo).sort()).toEqual(placeholders(entry.en).sort());
  });

  it.each(entries)("%s has no stray braces outside placeholders", (_key, entry) => {
    for (const text of [entry.en, entry.lo]) expect(text.replace(/\{[a-z_][a-z0-9_]*\}/g, "")).not.toMatch(/[{}]/);
  });

  it("keys are dotted lowercase names", () => {
    for (const [key] of entries) expect(key).toMatch(/^[a-z_]+(\.[a-z_]+)+$/);
  });

  it("has the disclaimer every guideline card carries", () => {
    expect(t("en", "guide.disclaimer")).toBe("This card supports and does not replace clinical judgement.");
  });

  it("lists for the reviewers' worklist every message without a language review of its current text", () => {
    const [key, entry] = entries[0] as (typeof entries)[number];
    expect(unreviewedMessages([]).length).toBe(entries.length);
    const review = { subject: `message:${key}`, kind: "language" as const, sha256: messageHash(entry), by: "A", role: "nurse", date: "2026-12-03" };
    expect(unreviewedMessages([review]).map((m) => m.key)).not.toContain(key);
    expect(unreviewedMessages([review]).length).toBe(entries.length - 1);
    // A review of an earlier wording does not count.
    expect(unreviewedMessages([{ ...review, sha256: messageHash({ en: entry.en, lo: `${entry.lo}.` }) }]).length).toBe(entries.length);
  });
});

describe("t", () => {
  it("fills placeholders in the reader's language", () => {
    expect(t("en", "error.unknown_command", { command: "!gide", suggestion: "!guide" })).toBe("I do not know the command !gide. Did you mean !guide?");
    expect(t("lo", "welcome.message", { name: "Noy", room_purpose: "X" })).toBe("ຍິນດີຕ້ອນຮັບ, Noy. ຫ້ອງນີ້ແມ່ນສຳລັບ X.");
    expect(t("en", "error.input_too_long", { length: 5000, max: 4000 })).toContain("5000");
  });

  it("throws on a missing placeholder value instead of sending a hole", () => {
    // @ts-expect-error the type checker catches the missing value too
    expect(() => t("en", "error.usage")).toThrow(MissingPlaceholderError);
    // @ts-expect-error and a misspelt one
    expect(() => t("en", "error.usage", { usag: "x" })).toThrow(/error\.usage: no value for \{usage\}/);
    expect(() => fill("Room of {district}", {})).toThrow(MissingPlaceholderError);
  });

  it("does not interpret placeholders inside values", () => {
    expect(t("en", "error.usage", { usage: "{phone}" })).toBe("Usage: {phone}");
  });

  it("tRich keeps formatted values and escapes the rest", () => {
    const content = tRich("en", "error.unknown_command", { command: code(HOSTILE), suggestion: code("!guide") });
    const { body, formatted_body } = render(reply(paragraph(...content)));
    expect(body).toBe(`I do not know the command ${HOSTILE}. Did you mean !guide?`);
    expect(formatted_body).toBe("<p>I do not know the command <code>&lt;img src=x onerror=alert(1)&gt;</code>. Did you mean <code>!guide</code>?</p>");
    // @ts-expect-error missing suggestion
    expect(() => tRich("en", "error.unknown_command", { command: "x" })).toThrow(MissingPlaceholderError);
  });
});

describe("render", () => {
  it("produces a plain body and an HTML formatted_body from one description", () => {
    const value = reply(
      heading("Postpartum haemorrhage"),
      paragraph("Call for ", bold("help"), " now."),
      numbered(["Massage the uterus.", ["Give ", italic("tranexamic acid"), "."]]),
      list(["one", "two"]),
      quote("line 1\nline 2"),
      source("Source: WHO (2023)"),
    );
    const out = render(value);
    expect(out.format).toBe("org.matrix.custom.html");
    expect(out.body).toBe(
      ["Postpartum haemorrhage", "Call for help now.", "", "1. Massage the uterus.", "2. Give tranexamic acid.", "", "• one", "• two", "", "> line 1", "> line 2", "", "Source: WHO (2023)"].join("\n"),
    );
    expect(out.formatted_body).toBe(
      "<h4>Postpartum haemorrhage</h4>" +
        "<p>Call for <b>help</b> now.</p>" +
        "<ol><li>Massage the uterus.</li><li>Give <i>tranexamic acid</i>.</li></ol>" +
        "<ul><li>one</li><li>two</li></ul>" +
        "<blockquote>line 1<br>line 2</blockquote>" +
        "<p><i>Source: WHO (2023)</i></p>",
    );
  });

  it("escapes hostile input everywhere it can appear", () => {
    const hostile = [HOSTILE, `"><script>alert('x')</script>`, `' onmouseover='alert(1)`, "&amp; &lt;", "<b>not bold</b>"];
    for (const input of hostile) {
      const name = t("en", "welcome.message", { name: input, room_purpose: input });
      const out = render(reply(heading(input), paragraph(name), list([input, bold(input)]), numbered([code(input)]), quote(input), source(italic(input))));
      expect(out.formatted_body).not.toContain("<img");
      expect(out.formatted_body).not.toContain("<script");
      expect(out.formatted_body).not.toMatch(/<b>not bold/);
      expect(out.formatted_body).not.toMatch(/["']/);
      for (const tag of tagsIn(out.formatted_body)) expect(ALLOWED_TAGS).toContain(tag);
      // The plain body shows exactly what was typed: it is never interpreted.
      expect(out.body).toContain(input);
    }
  });

  it("escapes the five HTML-significant characters", () => {
    expect(escapeHtml(`&<>"'`)).toBe("&amp;&lt;&gt;&quot;&#39;");
    expect(render(reply(paragraph(`a & b "c" 'd'`))).formatted_body).toBe("<p>a &amp; b &quot;c&quot; &#39;d&#39;</p>");
  });

  it("leaves markdown-looking input as literal text", () => {
    const input = "**bold** _it_ [link](javascript:alert(1)) `code` # title";
    const out = render(reply(paragraph(input)));
    expect(out.body).toBe(input);
    expect(out.formatted_body).toBe(`<p>${input}</p>`);
  });

  it("renders Lao text unchanged", () => {
    const out = render(reply(heading(t("lo", "guide.steps_heading")), paragraph(t("lo", "guide.disclaimer"))));
    expect(out.body).toBe(`${t("lo", "guide.steps_heading")}\n${t("lo", "guide.disclaimer")}`);
    expect(out.formatted_body).toContain(t("lo", "guide.disclaimer"));
  });
});
