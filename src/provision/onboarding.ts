// Printable onboarding pages, one per facility, so the admin can hand each
// person their login on paper. Written next to credentials.csv, mode 0600.
import { join } from "node:path";
import type { Language, Province } from "../config/schema.ts";
import { escapeHtml, t } from "../i18n/index.ts";
import { writeSecretFile } from "../util/files.ts";
import type { OnboardingSheet } from "./sheet.ts";

const esc = escapeHtml;

function both(key: Parameters<typeof t>[1], render: (lang: Language) => string = (l) => t(l, key as never)): string {
  return `<span lang="lo">${esc(render("lo"))}</span><br><span lang="en">${esc(render("en"))}</span>`;
}

const STYLE = `body{font-family:"Noto Sans Lao","Phetsarath OT",sans-serif;margin:1.5cm}
.card{border:1px solid #333;border-radius:6px;padding:1em;margin:0 0 1em;page-break-inside:avoid}
.card h2{margin:0 0 .5em;font-size:1.1em}table{border-collapse:collapse}td{padding:.2em .6em;vertical-align:top}
code{font-size:1.15em;letter-spacing:.05em}.facility{page-break-before:always}.facility:first-of-type{page-break-before:auto}
ol{padding-left:1.2em}.note{font-size:.9em;color:#600}`;

/** Writes onboarding/index.html; returns its path. */
export function writeOnboardingPages(dir: string, province: Province, sheet: OnboardingSheet, homeserverUrl: string): string {
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
</table><ol>${(["onboarding.step_install", "onboarding.step_server", "onboarding.step_login", "onboarding.step_recovery", "onboarding.step_rooms"] as const)
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
