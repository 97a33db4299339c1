// The worklist for Lao reviewers: every message and guide card line whose Lao has not
// been checked by a native clinical speaker, with its English beside it.
//
//   node scripts/i18n-review.ts            readable list
//   node scripts/i18n-review.ts --json     for a spreadsheet or another tool
//   node scripts/i18n-review.ts --guides DIR   cards from another folder
//
// A reviewer fixes the Lao in place and sets `lo_reviewed: true` on that entry.
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_GUIDES_DIR, formatProblems, loadCards, unreviewedCardText } from "../src/guides/index.ts";
import { unreviewedMessages } from "../src/i18n/review.ts";

const { values } = parseArgs({ options: { json: { type: "boolean", default: false }, guides: { type: "string", default: DEFAULT_GUIDES_DIR } } });

const loaded = await loadCards(values.guides);
if (!loaded.ok) {
  console.error(`Some guide cards could not be read; fix them first:\n${formatProblems(loaded.problems)}`);
  process.exit(1);
}
const messages = unreviewedMessages();
const cardLines = unreviewedCardText(loaded.cards);

if (values.json) {
  console.log(JSON.stringify({ messages, cards: cardLines }, null, 2));
} else {
  const dir = relative(process.cwd(), values.guides) || ".";
  console.log(`Lao waiting for review by a native clinical speaker: ${messages.length} messages, ${cardLines.length} guide card lines.\n`);
  console.log("Messages, in src/i18n/catalogue.ts:");
  for (const m of messages) console.log(`\n  ${m.key}\n    en: ${m.en}\n    lo: ${m.lo}`);
  console.log(`\nGuide cards, in ${dir}:`);
  for (const c of cardLines) console.log(`\n  ${c.card}.yaml  ${c.field}\n    en: ${c.en}\n    lo: ${c.lo}`);
}
