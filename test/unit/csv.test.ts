import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OnboardingSheet, type SheetRow } from "../../src/provision/sheet.ts";
import { csvField, guardText, parseCsv, unguardText } from "../../src/util/csv.ts";

describe("CSV for spreadsheets", () => {
  it("guards text a spreadsheet would run as a formula, and gives it back unchanged", () => {
    for (const value of ['=HYPERLINK("x")', "+1", "-2", "@nurse:bokeo.example", "\tx", "\rx", "'=already", "'", "plain", "", "ນາງ ກ"]) {
      expect(unguardText(guardText(value))).toBe(value);
      expect(guardText(value)).not.toMatch(/^[=+\-@\t\r]/);
    }
    expect(csvField("=1+1")).toBe(`"'=1+1"`);
    expect(csvField('a "b", c')).toBe(`"a ""b"", c"`);
    expect(csvField(3.5)).toBe("3.5");
    expect(csvField(null)).toBe("");
  });

  it("the credentials sheet is written guarded and read back as it was recorded", () => {
    const dir = mkdtempSync(join(tmpdir(), "mchlink-csv-"));
    try {
      const row: SheetRow = {
        user_id: "@nurse-n1:bokeo.example",
        password: "abc23def45gh",
        role: "nurse",
        facility: "north-hc1",
        district: "north",
        display_name: '=HYPERLINK("http://evil.example","click"), "Nurse"',
        language: "lo",
        written_at: "2026-12-03T07:00:00.000Z",
      };
      new OnboardingSheet(dir).record(row);
      const text = readFileSync(join(dir, "credentials.csv"), "utf8");
      const cells = parseCsv(text)[1]!;
      // What a spreadsheet sees: no cell starts a formula.
      for (const cell of cells) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      expect(cells[0]).toBe("'@nurse-n1:bokeo.example");
      expect(new OnboardingSheet(dir).row(row.user_id)).toEqual(row);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
