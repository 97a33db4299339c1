import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import QRCode from "qrcode";
import { afterEach, describe, expect, it } from "vitest";
import { signInLink } from "../../src/provision/app-links.ts";
import { writeOnboardingPages } from "../../src/provision/onboarding.ts";
import { OnboardingSheet } from "../../src/provision/sheet.ts";
import { smallProvince } from "./consult-support.ts";

const SERVER = "https://matrix.bokeo-health.example";

describe("sign-in links for the two Element apps", () => {
  it("Element X reads account_provider on mobile.element.io/element/; Element Classic reads hs_url on mobile.element.io/", () => {
    expect(signInLink("element_x", `${SERVER}/`)).toBe("https://mobile.element.io/element/?account_provider=https%3A%2F%2Fmatrix.bokeo-health.example");
    expect(signInLink("element_classic", SERVER)).toBe("https://mobile.element.io/?hs_url=https%3A%2F%2Fmatrix.bokeo-health.example");
  });
});

describe("printed login sheets", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("carry each app's link as an inline SVG QR code, the password in print only, in Lao and English", async () => {
    dir = mkdtempSync(join(tmpdir(), "mchlink-sheet-"));
    const province = smallProvince();
    const sheet = new OnboardingSheet(dir);
    const password = "Secret-Pass-123";
    const userId = `@nurse-n1:${province.homeserver.server_name}`;
    sheet.record({ user_id: userId, password, role: "provider", facility: "north-hc1", district: "north", display_name: "Test Nurse N1", language: "lo", written_at: "2026-12-03T00:00:00Z" });
    const path = await writeOnboardingPages(dir, province, sheet, SERVER);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const html = readFileSync(path, "utf8");

    const card = html.slice(html.indexOf("Test Nurse N1"));
    const cardEnd = card.indexOf('<div class="card">');
    const one = cardEnd === -1 ? card : card.slice(0, cardEnd);
    // Exactly the two links' codes, as the library renders them: nothing else is encoded.
    const svgs = one.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs).toEqual([
      (await QRCode.toString(signInLink("element_x", SERVER), { type: "svg", errorCorrectionLevel: "M", margin: 4 })).trim(),
      (await QRCode.toString(signInLink("element_classic", SERVER), { type: "svg", errorCorrectionLevel: "M", margin: 4 })).trim(),
    ]);
    expect(signInLink("element_x", SERVER)).not.toContain(password);
    expect(one).toContain(`<code>${password}</code>`);
    // Both apps, and what each code does, in both languages.
    for (const text of ["Element X", "Element Classic", "Sign in manually", "Account provider", "Server URL", "never a password", "ບໍ່ມີລະຫັດຜ່ານ", "Android 5 ຫຼື 6"]) expect(one).toContain(text);
    expect(one).toContain(signInLink("element_classic", SERVER).replace(/&/g, "&amp;"));
  });
});
