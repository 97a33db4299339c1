// `mchlink guides sheet | review | status` on a temporary card folder and ledger: the committed
// ledger is never written by tests.
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { captureMain } from "../support/cli.ts";

const CARD = `id: demo
title: { en: "Demo <b>card</b>", lo: "ບັດຕົວຢ່າງ" }
applies_to: [postpartum]
keywords: [demo card]
summary:
  - { en: "Measure blood loss.", lo: "ວັດແທກເລືອດທີ່ເສຍ." }
steps:
  - en: "Give 1 g IV over 10 minutes <script>x()</script>."
    lo: "ໃຫ້ 1 g IV ໃນ 10 ນາທີ."
    cite: { source: who-txa-2017, where: "Recommendation, p. 2", quote: "1 g (10 ml of a 100 mg/ml solution) IV over 10 min" }
sources:
  - { id: who-txa-2017, publisher: WHO, title: WHO recommendation on tranexamic acid, year: 2017 }
disclaimer: { en: "This card supports and does not replace clinical judgement.", lo: "ບັດນີ້ຊ່ວຍ." }
`;

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), "guides-cli-"));
  const guides = join(dir, "guides");
  await (await import("node:fs/promises")).mkdir(guides);
  await writeFile(join(guides, "demo.yaml"), CARD);
  const ledger = join(dir, "reviews.yaml");
  const run = (...args: string[]) => captureMain(["guides", "--guides", guides, "--ledger", ledger, ...args]);
  return { dir, guides, ledger, run };
}

describe("mchlink guides", () => {
  it("records a clinical and a Lao review, shows them, and an edit of the card voids them", async () => {
    const { guides, ledger, run } = await setup();
    expect(JSON.parse((await run("status", "--json")).out)).toEqual([{ id: "demo", title: "Demo <b>card</b>", clinical: null, language: null, voided: 0 }]);

    const clinical = await run("review", "demo", "--by", "Dr A", "--role", "obstetrician");
    expect(clinical).toMatchObject({ code: 0 });
    expect(clinical.out).toContain("Recorded: clinical review of card:demo by Dr A (obstetrician)");
    expect((await run("review", "demo", "--by", "B", "--role", "midwife", "--lang", "lo")).code).toBe(0);
    const status = JSON.parse((await run("status", "--json")).out)[0];
    expect(status).toMatchObject({ clinical: { by: "Dr A", role: "obstetrician" }, language: { by: "B", role: "midwife" }, voided: 0 });
    expect((await readFile(ledger, "utf8")).match(/sha256: [0-9a-f]{64}/g)).toHaveLength(2);

    await writeFile(join(guides, "demo.yaml"), CARD.replace("Measure blood loss.", "Measure the blood loss."));
    expect(JSON.parse((await run("status", "--json")).out)[0]).toMatchObject({ clinical: null, language: null, voided: 2 });
    const text = await run("status");
    expect(text.out).toContain("demo: clinical review none (DRAFT); Lao review none; 2 review(s) voided by later edits");
  });

  it("records a catalogue message's Lao review", async () => {
    const { ledger, run } = await setup();
    expect((await run("review", "message:guide.disclaimer", "--by", "B", "--role", "nurse", "--lang", "lo")).code).toBe(0);
    expect(await readFile(ledger, "utf8")).toContain("subject: message:guide.disclaimer");
    const wrongLang = await run("review", "message:guide.disclaimer", "--by", "B", "--role", "nurse");
    expect(wrongLang).toMatchObject({ code: 1, err: expect.stringContaining("use --lang lo") });
    expect((await run("review", "message:no.such", "--by", "B", "--role", "nurse", "--lang", "lo")).err).toContain('No catalogue message "no.such"');
  });

  it("refuses an unknown card, a bad language and a broken ledger, with what to do, changing nothing", async () => {
    const { ledger, run } = await setup();
    expect(await run("review", "pp", "--by", "A", "--role", "x")).toMatchObject({ code: 1, err: expect.stringContaining('No guide card "pp". The cards are: demo.') });
    expect(await run("review", "demo", "--by", "A", "--role", "x", "--lang", "fr")).toMatchObject({ code: 1, err: expect.stringContaining('--lang: "fr" is not en or lo') });
    expect((await run("review", "demo", "--by", " ", "--role", "x")).err).toContain("--by: give the reviewer's name");
    const broken = "reviews:\n  - subject: card:demo\n    kind: clinicl\n";
    await writeFile(ledger, broken);
    const res = await run("review", "demo", "--by", "A", "--role", "x");
    expect(res.code).toBe(1);
    expect(res.err).toContain(`${ledger}:3: reviews.0.kind:`);
    expect(await readFile(ledger, "utf8")).toBe(broken);
    expect((await run("status")).err).toContain("The review ledger has problems");
  });

  it("refuses to work on broken cards, naming the file and field", async () => {
    const { guides, run } = await setup();
    await writeFile(join(guides, "demo.yaml"), CARD.replace(/ {4}cite: .*\n/, ""));
    const res = await run("status");
    expect(res.code).toBe(1);
    expect(res.err).toMatch(new RegExp(`${join(guides, "demo.yaml")}:\\d+: steps\\.0\\.cite: missing`));
  });

  it("writes a printable, escaped sheet: each step beside its source quote, English beside Lao, boxes to mark", async () => {
    const { dir, run } = await setup();
    const out = join(dir, "sheet.html");
    const res = await run("sheet", "--card", "demo", "--out", out);
    expect(res.out).toContain("Wrote the review sheet for 1 card(s)");
    const html = await readFile(out, "utf8");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;x()&lt;/script&gt;");
    expect(html).toContain("Demo &lt;b&gt;card&lt;/b&gt;");
    const row = html.split("\n").find((l) => l.includes("step 1")) ?? "";
    expect(row).toContain("Give 1 g IV over 10 minutes");
    expect(row).toContain("ໃຫ້ 1 g IV ໃນ 10 ນາທີ.");
    expect(row).toContain("“1 g (10 ml of a 100 mg/ml solution) IV over 10 min”");
    expect(row).toContain("Recommendation, p. 2");
    expect(row).toContain('<td class="box"></td><td class="box"></td>');
    expect(html).toContain("mchlink guides review demo --by NAME --role ROLE");
    expect((await run("sheet", "--card", "nope", "--out", out)).err).toContain('No guide card "nope"');
  });
});
