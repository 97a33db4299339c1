// The worklist for Lao reviewers: every catalogue message and guide card whose Lao has no
// valid language review in the ledger (config/reviews.yaml), with its English beside it.
//
//   node scripts/i18n-review.ts            readable list
//   node scripts/i18n-review.ts --json     for a spreadsheet or another tool
//   node scripts/i18n-review.ts --guides DIR --ledger FILE   other cards or ledger
//
// A reviewer fixes the Lao in place, then records the check:
//   mchlink guides review message:KEY --by NAME --role ROLE --lang lo   (a message)
//   mchlink guides review CARD --by NAME --role ROLE --lang lo          (a card; `mchlink guides sheet` prints it)
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { cardReviewState, DEFAULT_GUIDES_DIR, DEFAULT_LEDGER, formatProblems, loadCards, loadLedger } from "../src/guides/index.ts";
import { unreviewedMessages } from "../src/i18n/review.ts";

const { values } = parseArgs({ options: { json: { type: "boolean", default: false }, guides: { type: "string", default: DEFAULT_GUIDES_DIR }, ledger: { type: "string", default: DEFAULT_LEDGER } } });

const loaded = await loadCards(values.guides);
if (!loaded.ok) {
  console.error(`Some guide cards could not be read; fix them first:\n${formatProblems(loaded.problems)}`);
  process.exit(1);
}
const ledger = await loadLedger(values.ledger);
if (!ledger.ok) {
  console.error(`The review ledger could not be read; fix it first:\n${ledger.problems.join("\n")}`);
  process.exit(1);
}
const messages = unreviewedMessages(ledger.reviews);
const cards = loaded.cards.filter((card) => cardReviewState(card, ledger.reviews).language === undefined).map((card) => card.id);

if (values.json) {
  console.log(JSON.stringify({ messages, cards }, null, 2));
} else {
  const dir = relative(process.cwd(), values.guides) || ".";
  console.log(`Lao waiting for review by a native clinical speaker: ${messages.length} messages, ${cards.length} guide cards.\n`);
  console.log("Messages, in src/i18n/catalogue.ts:");
  for (const m of messages) console.log(`\n  ${m.key}\n    en: ${m.en}\n    lo: ${m.lo}`);
  console.log(`\nGuide cards, in ${dir} (print them with \`mchlink guides sheet\`): ${cards.join(", ")}`);
}
