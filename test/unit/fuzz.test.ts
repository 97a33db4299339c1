// Bad input, seeded so a failure can be replayed: adversarial command text
// through the same handlers the bot runs (commands, then consult tagging), and
// mutated province files through the loader.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { handlers } from "../../src/bot/pipeline.ts";
import type { Outgoing } from "../../src/messaging/types.ts";
import { parseProvince } from "../../src/config/load.ts";
import { ALLOWED_TAGS, render } from "../../src/i18n/index.ts";
import { guideCards, smallProvince, testBot, SMALL_PROVINCE } from "../support/command-context.ts";

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE = [
  "<img src=x onerror=alert(1)>",
  "<script>alert('x')</script>",
  "</code><b>bold</b>",
  '"><svg/onload=alert(1)>',
  "[click](javascript:alert(1))",
  "**bold** _it_ `code` > quote",
  "\u202e\u200f\u200e right-to-left \u202d",
  "ເລືອດອອກ ຫຼາຍ #ສຸກເສີນ",
  '@room @mchlink-bot:mchlink.test <a href="https://matrix.to/#/@x:y">x</a>',
  "\u0000\u0007\u001b[31m",
  "😀👶🏽🤰",
  "#emergency #urgent #routine",
  "TL-0001 TL-9999 tl-0 BK-0042",
  "020 5555 0123 ID 1234567",
  "%s %d {case_id} {phone} ${process.env}",
];
const COMMANDS = ["help", "guide", "rules", "lang", "whoami", "practice", "consult", "ack", "escalate", "refer", "close", "reopen", "open", "oncall", "stats", "gide", ""];
const PEOPLE = ["nurse-n1", "doctor-n3", "obstetrician", "paediatrician", "coordinator", "admin"];
const ROOMS = ["district:north", "district:south", "experts", "announcements", "training", "space"];

function randomText(next: () => number): string {
  const parts: string[] = [];
  const n = 1 + Math.floor(next() * 6);
  for (let i = 0; i < n; i++) {
    const r = next();
    if (r < 0.4) parts.push(HOSTILE[Math.floor(next() * HOSTILE.length)]!);
    else if (r < 0.7) parts.push(String.fromCodePoint(...Array.from({ length: 1 + Math.floor(next() * 12) }, () => Math.floor(next() * 0x3000))));
    else parts.push(COMMANDS[Math.floor(next() * COMMANDS.length)]!);
  }
  const prefix = next() < 0.7 ? "!" + COMMANDS[Math.floor(next() * COMMANDS.length)] + " " : "";
  return prefix + parts.join(next() < 0.5 ? " " : "\n");
}

const tagsIn = (html: string) => [...html.matchAll(/<\/?([a-zA-Z0-9]+)/g)].map((m) => m[1]!.toLowerCase());

describe("command fuzzing", async () => {
  const province = smallProvince();
  const cards = await guideCards();
  const h = handlers();

  it("never throws, answers only with allowed tags, and never echoes markup unescaped", async () => {
    const next = rng(20261125);
    const bot = testBot(province, cards);
    for (let i = 0; i < 1500; i++) {
      const body = randomText(next);
      const ctx = bot.command(PEOPLE[Math.floor(next() * PEOPLE.length)]!, ROOMS[Math.floor(next() * ROOMS.length)]!, body);
      let out: Outgoing[] | undefined;
      try {
        out = await h.onMessage(ctx);
      } catch (err) {
        throw new Error(`input #${i} ${JSON.stringify(body)} threw: ${String(err)}`);
      }
      for (const o of out ?? []) {
        if (o.kind !== "message") continue;
        const { formatted_body } = render(o.reply);
        for (const tag of tagsIn(formatted_body)) expect(ALLOWED_TAGS, `input #${i} ${JSON.stringify(body)}`).toContain(tag);
        expect(formatted_body).not.toMatch(/<(img|script|svg|a)\b/i);
      }
      bot.clock.advance(1000);
    }
  });

  it("declines a 64 KB command politely instead of working on it", async () => {
    const bot = testBot(province, cards);
    const said = async (body: string) => ((await h.onMessage(bot.command("nurse-n1", "district:north", body))) ?? []).map((o) => (o.kind === "message" ? render(o.reply).body : "")).join("\n");
    for (const body of ["!guide " + "ເ".repeat(65_536), "!consult " + "x".repeat(70_000)]) {
      const text = await said(body);
      expect(text).toMatch(/ຍາວເກີນ|too long/);
      expect(text.length).toBeLessThan(1000);
    }
    // A huge tagged emergency is still an emergency: it opens a consult, and nothing of it is echoed.
    const text = await said("#emergency " + "<b>".repeat(20_000));
    expect(text).toMatch(/TL-\d{4}/);
    expect(text).not.toContain("<b>");
    expect(text.length).toBeLessThan(4000);
  });
});

describe("config fuzzing", () => {
  const text = readFileSync(SMALL_PROVINCE, "utf8");
  const lines = text.split("\n");

  /** One random edit of the kind people make by hand. */
  function mutate(next: () => number): string {
    const out = [...lines];
    const i = Math.floor(next() * out.length);
    const line = out[i]!;
    switch (Math.floor(next() * 8)) {
      case 0:
        out.splice(i, 1); // a deleted line
        break;
      case 1:
        out[i] = line.replace(/:\s*(.+)$/, ": [unclosed"); // broken YAML
        break;
      case 2:
        out[i] = line.replace(/"[^"]*"/, "42"); // a number where text was
        break;
      case 3:
        out[i] = line.replace(/^(\s*)/, "$1  "); // wrong indentation
        break;
      case 4:
        out.splice(i, 0, line); // a duplicated line (duplicate ids, duplicate keys)
        break;
      case 5:
        out[i] = line.replace(/[a-z]+/, (w) => w.split("").reverse().join("")); // a misspelt key or value
        break;
      case 6:
        out[i] = line.replace(/\d+/, "-1"); // an impossible number
        break;
      default:
        out.length = Math.max(1, i); // a file cut short
    }
    return out.join("\n");
  }

  it("never throws, and every error names the file, line, column and path", () => {
    const next = rng(7);
    let invalid = 0;
    for (let n = 0; n < 400; n++) {
      const mutated = mutate(next);
      let result;
      try {
        result = parseProvince(mutated, "fuzz.yaml");
      } catch (err) {
        throw new Error(`mutation #${n} threw: ${String(err)}\n${mutated}`);
      }
      if (result.ok) continue;
      invalid++;
      const count = mutated.split("\n").length;
      for (const e of result.errors) {
        expect(e.message, `mutation #${n}`).toMatch(/^fuzz\.yaml:\d+:\d+[ :]/);
        expect(e.line).toBeGreaterThanOrEqual(1);
        expect(e.line).toBeLessThanOrEqual(count + 1);
        expect(e.expected.length).toBeGreaterThan(0);
      }
    }
    // The mutations are not all harmless: most must be caught.
    expect(invalid).toBeGreaterThan(200);
  });
});
