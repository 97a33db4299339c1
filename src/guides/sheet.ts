// The reviewer's sheet (`mchlink guides sheet`): a printable page per card for a clinician and
// a native Lao clinical speaker to mark up with a pen. Each step stands beside the source words
// its numbers come from, English beside Lao, with empty boxes for "correct" and notes. Every
// text is HTML-escaped: card files are data anyone with the repository can edit.
import { escapeHtml } from "../i18n/index.ts";
import type { Review } from "../review/ledger.ts";
import type { Card, CardItem } from "./cards.ts";
import { cardHash, cardReviewState } from "./review.ts";

const STYLE = `body{font-family:sans-serif;font-size:11pt;margin:1.5cm}
section{page-break-after:always}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #444;padding:4px;vertical-align:top;text-align:left}
td.box{width:1.2cm}
td.notes{width:4cm}
.lo{font-family:"Phetsarath OT","Noto Sans Lao",sans-serif}
.quote{font-style:italic}
.meta{color:#333}`;

/** The sheet for `cards`, with each card's current review state and the hashes a sign-off will record. */
export function renderReviewSheet(cards: readonly Card[], reviews: readonly Review[], generatedOn: string): string {
  const e = escapeHtml;
  const sections = cards.map((card) => {
    const state = cardReviewState(card, reviews);
    const status = (r: Review | undefined) => (r ? `${e(r.role)} ${e(r.by)}, ${e(r.date)}` : "not reviewed");
    const row = (label: string, item: { en: string; lo: string; cite?: CardItem["cite"] }) => {
      const source = item.cite ? card.sources.find((s) => s.id === item.cite?.source) : undefined;
      const cite = item.cite
        ? `<p class="quote">“${e(item.cite.quote)}”</p><p class="meta">${e(source ? `${source.publisher}, ${source.title}, ${source.year}` : item.cite.source)}; ${e(item.cite.where)}${source?.read_at ? `; ${e(source.read_at)}` : ""}</p>`
        : "";
      return `<tr><td>${e(label)}</td><td>${e(item.en)}</td><td class="lo" lang="lo">${e(item.lo)}</td><td>${cite}</td><td class="box"></td><td class="box"></td><td class="notes"></td></tr>`;
    };
    const rows = [
      row("title", card.title),
      ...(card.intro ? [row("intro", card.intro)] : []),
      ...card.summary.map((s, i) => row(`key point ${i + 1}`, s)),
      ...card.steps.map((s, i) => row(`step ${i + 1}`, s)),
      row("disclaimer", card.disclaimer),
    ];
    return `<section>
<h1>${e(card.id)}: ${e(card.title.en)}</h1>
<p class="meta">For: ${e(card.applies_to.join(", "))}. Clinical review: ${status(state.clinical)}. Lao review: ${status(state.language)}.</p>
<table>
<tr><th></th><th>English</th><th>Lao</th><th>Source words the numbers come from</th><th>English correct</th><th>Lao correct</th><th>Notes</th></tr>
${rows.join("\n")}
</table>
<h2>Sources</h2>
<ul>${card.sources.map((s) => `<li>${e(s.id)}: ${e(s.publisher)}, <i>${e(s.title)}</i>, ${s.year}${s.read_at ? `, ${e(s.read_at)}` : ""}</li>`).join("")}</ul>
<p>Clinical review (English, steps and sources) by: ____________________ role: ______________ date: __________ signature: ______________</p>
<p>Lao review (Lao beside the English) by: ____________________ role: ______________ date: __________ signature: ______________</p>
<p class="meta">Record a sign-off with: mchlink guides review ${e(card.id)} --by NAME --role ROLE --lang en (clinical) or --lang lo (Lao).
It holds only for this text: clinical ${cardHash(card, "clinical").slice(0, 12)}, Lao ${cardHash(card, "language").slice(0, 12)}.</p>
</section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Guide cards for review</title><style>${STYLE}</style></head>
<body>
<p class="meta">mchlink guide cards for review, printed ${e(generatedOn)}. Check every number against the source words beside it; mark each line; write corrections in Notes.</p>
${sections.join("\n")}
</body></html>
`;
}
