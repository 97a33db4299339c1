// The review ledger (config/reviews.yaml): who checked what, recorded against a sha256 of
// exactly the text they checked: guide cards (src/guides/review.ts says what a clinical and a
// language review of a card cover) and the Lao of catalogue messages. Nothing decides a review
// is valid but the hash: a text edited after its review is unreviewed again, by itself.
import { createHash } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar } from "yaml";
import { z } from "zod";

export const DEFAULT_LEDGER = fileURLToPath(new URL("../../config/reviews.yaml", import.meta.url));

export const ReviewKind = z.enum(["clinical", "language"]);
export type ReviewKind = z.infer<typeof ReviewKind>;

export const Review = z.strictObject({
  /** `card:<id>` or `message:<catalogue key>`. */
  subject: z.string().regex(/^(card|message):[a-z0-9][a-z0-9._-]*$/, "card:<id> or message:<catalogue key>"),
  kind: ReviewKind,
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "64 lowercase hex digits"),
  by: z.string().trim().min(1),
  role: z.string().trim().min(1),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date such as 2026-12-03 (quote it in YAML)"),
});
export type Review = z.infer<typeof Review>;

const Ledger = z.strictObject({
  reviews: z
    .array(Review)
    .nullable()
    .transform((r) => r ?? []),
});

export type LedgerResult = { readonly ok: true; readonly reviews: readonly Review[] } | { readonly ok: false; readonly problems: readonly string[] };

/** Parses a ledger's text; every problem names the file, line and field. */
export function parseLedger(text: string, file: string): LedgerResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0) return { ok: false, problems: doc.errors.map((e) => `${file}:${e.linePos?.[0].line ?? "?"}: not valid YAML: ${e.message.split("\n")[0]}`) };
  const result = Ledger.safeParse(doc.toJS() ?? { reviews: [] });
  if (result.success) return { ok: true, reviews: result.data.reviews };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => {
      const node = doc.getIn(issue.path, true) as { range?: [number, number] } | undefined;
      const parent = doc.getIn(issue.path.slice(0, -1), true) as { range?: [number, number] } | undefined;
      const offset = node?.range?.[0] ?? parent?.range?.[0];
      const line = offset === undefined ? "" : `:${lines.linePos(offset).line}`;
      return `${file}${line}: ${issue.path.join(".") || "(ledger)"}: ${issue.message}`;
    }),
  };
}

/** Reads the ledger; a missing file is an empty ledger (nothing reviewed yet). */
export async function loadLedger(file: string = DEFAULT_LEDGER): Promise<LedgerResult> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { ok: true, reviews: [] };
    return { ok: false, problems: [`${file}: cannot read the review ledger: ${(e as Error).message}`] };
  }
  return parseLedger(text, file);
}

/** Appends one review; the file is replaced whole (written aside, then renamed), so a crash never leaves half a ledger. */
export async function recordReview(file: string, review: Review): Promise<LedgerResult> {
  const loaded = await loadLedger(file);
  if (!loaded.ok) return loaded;
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    text = LEDGER_HEADER;
  }
  const doc = parseDocument(text);
  if (!isMap(doc.contents)) return { ok: false, problems: [`${file}: the ledger must be a mapping with a reviews: list`] };
  // One record per block, the date quoted, so the file reads (and diffs) one review at a time.
  const record = doc.createNode(review);
  const date = record.get("date", true);
  if (isScalar(date)) date.type = Scalar.QUOTE_DOUBLE;
  const list = doc.get("reviews", true);
  if (isSeq(list)) {
    list.flow = false;
    list.add(record);
  } else doc.set("reviews", doc.createNode([record]));
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, doc.toString({ lineWidth: 0 }));
  await rename(tmp, file);
  return { ok: true, reviews: [...loaded.reviews, review] };
}

export const LEDGER_HEADER = `# Review ledger: who checked what. Each record holds a sha256 of exactly the text reviewed;
# editing that text voids the record by itself. Written by \`mchlink guides review\`; never edit by hand.
reviews: []
`;

/** The hash a review is keyed by: of the JSON of exactly what was reviewed. */
export function sha256(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}

/** A catalogue message's Lao, with the English it translates. */
export function messageHash(message: { readonly en: string; readonly lo: string }): string {
  return sha256([message.en, message.lo]);
}

/** The newest review of `subject` and `kind` whose hash is `hash`, if any: one for older text does not count. */
export function validReview(reviews: readonly Review[], subject: string, kind: ReviewKind, hash: string): Review | undefined {
  return reviews.filter((r) => r.subject === subject && r.kind === kind && r.sha256 === hash).sort((a, b) => b.date.localeCompare(a.date))[0];
}
