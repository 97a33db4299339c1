// Printable onboarding pages, one per facility, so the admin can hand each
// person their login on paper. Written next to credentials.csv, mode 0600.
// Each card covers both Element apps (Element X for Android 7+, Element Classic for
// Android 5-6 and Lao screens), each with a QR code of the link that opens that app's
// sign-in with the server filled in: typing a URL on a cheap phone is where logins fail.
// The QR codes carry the server address only; the password is printed, never encoded.
import { join } from "node:path";
import QRCode from "qrcode";
import type { Language, Province } from "../config/schema.ts";
import { escapeHtml, t } from "../i18n/index.ts";
import { writeSecretFile } from "../util/files.ts";
import { signInLink, type ElementApp } from "./app-links.ts";
import type { OnboardingSheet } from "./sheet.ts";

const esc = escapeHtml;

function both(key: Parameters<typeof t>[1], render: (lang: Language) => string = (l) => t(l, key as never)): string {
  return `<span lang="lo">${esc(render("lo"))}</span><br><span lang="en">${esc(render("en"))}</span>`;
}

const STYLE = `body{font-family:"Noto Sans Lao","Phetsarath OT",sans-serif;margin:1.5cm}
.card{border:1px solid #333;border-radius:6px;padding:1em;margin:0 0 1em;page-break-inside:avoid}
.card h2{margin:0 0 .5em;font-size:1.1em}table{border-collapse:collapse}td{padding:.2em .6em;vertical-align:top}
code{font-size:1.15em;letter-spacing:.05em}.facility{page-break-before:always}.facility:first-of-type{page-break-before:auto}
ol{padding-left:1.2em}.note{font-size:.9em;color:#600}
.apps{width:100%;margin:.5em 0}.apps td{width:50%;border:1px dashed #999}.apps h3{margin:.2em 0;font-size:1em}
.qr svg{width:3.5cm;height:3.5cm}.link{font-size:.7em;word-break:break-all;color:#444}`;

const APPS: readonly { app: ElementApp; name: string; server: "onboarding.x.server" | "onboarding.classic.server"; login: "onboarding.x.login" | "onboarding.classic.login" }[] = [
  { app: "element_x", name: "Element X", server: "onboarding.x.server", login: "onboarding.x.login" },
  { app: "element_classic", name: "Element Classic", server: "onboarding.classic.server", login: "onboarding.classic.login" },
];

/** An inline SVG QR code of `text` (medium error correction: a creased or smudged print still scans). */
async function qrSvg(text: string): Promise<string> {
  return (await QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 4 })).trim();
}

/** The two apps side by side: name, QR code, the link in print, and that app's two sign-in steps. */
async function appColumns(homeserverUrl: string): Promise<string> {
  const cells = await Promise.all(
    APPS.map(async ({ app, name, server, login }) => {
      const link = signInLink(app, homeserverUrl);
      return `<td><h3>${esc(name)}</h3><div class="qr">${await qrSvg(link)}</div><div class="link">${esc(link)}</div><ol><li>${both(server)}</li><li>${both(login)}</li></ol></td>`;
    }),
  );
  return `<table class="apps"><tr>${cells.join("")}</tr></table>`;
}

/** Writes onboarding/index.html; returns its path. */
export async function writeOnboardingPages(dir: string, province: Province, sheet: OnboardingSheet, homeserverUrl: string): Promise<string> {
  const apps = await appColumns(homeserverUrl);
  const sections: string[] = [];
  for (const district of province.districts) {
    for (const facility of district.facilities) {
      const people = province.people.filter((p) => p.facility === facility.id);
      if (people.length === 0) continue;
      const cards = people.map((p) => {
        const userId = `@${p.id}:${province.homeserver.server_name}`;
        const password = sheet.passwordFor(userId);
        return `<div class="card"><h2>${both("onboarding.title")}</h2><table>
<tr><td>${both("onboarding.name")}</td><td>${esc(p.name)}</td></tr>
<tr><td>${both("onboarding.homeserver")}</td><td><code>${esc(homeserverUrl)}</code></td></tr>
<tr><td>${both("onboarding.username")}</td><td><code>${esc(p.id)}</code></td></tr>
<tr><td>${both("onboarding.password")}</td><td>${password ? `<code>${esc(password)}</code>` : both("onboarding.password_unknown")}</td></tr>
</table><p>${both("onboarding.which_app")}</p><p>${both("onboarding.step_install")}</p>${apps}<p class="note">${both("onboarding.qr_only_server")}</p><ol>${(
          ["onboarding.step_recovery", "onboarding.step_rooms"] as const
        )
          .map((k) => `<li>${both(k)}</li>`)
          .join("")}</ol><p class="note">${both("onboarding.keep_private")}</p></div>`;
      });
      const title = both("onboarding.facility_title", (l) => t(l, "onboarding.facility_title", { facility: l === "lo" ? facility.name.lo : facility.name.en }));
      sections.push(`<section class="facility"><h1>${title}</h1>${cards.join("\n")}</section>`);
    }
  }
  const html = `<!doctype html><html lang="lo"><head><meta charset="utf-8"><title>${esc(province.province.name.en)}: onboarding</title><style>${STYLE}</style></head><body>\n${sections.join("\n")}\n</body></html>\n`;
  const path = join(dir, "index.html");
  writeSecretFile(path, html);
  return path;
}
