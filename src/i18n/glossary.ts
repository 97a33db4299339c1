// The glossary (config/glossary.yaml): one Lao term per concept, so a nurse never wonders
// whether ແພດຊ່ຽວຊານ and ຜູ້ຊ່ຽວຊານ are two kinds of people. `glossaryProblems` checks any
// set of English/Lao texts against it: no forbidden variant anywhere, and where the English
// names a concept marked `required`, the Lao uses its term.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { z } from "zod";

export const DEFAULT_GLOSSARY = fileURLToPath(new URL("../../config/glossary.yaml", import.meta.url));

export const Glossary = z.strictObject({
  /** "needed" until a native Lao clinical speaker has confirmed every term. */
  native_review: z.enum(["needed", "done"]),
  concepts: z
    .array(
      z.strictObject({
        concept: z.string().min(1),
        en: z.array(z.string().min(1)).min(1),
        lo: z.string().min(1),
        forbidden: z.array(z.string().min(1)),
        /** Where the English names the concept, the Lao must use the term. */
        required: z.boolean().default(false),
      }),
    )
    .min(1),
});
export type Glossary = z.infer<typeof Glossary>;

export function loadGlossary(file: string = DEFAULT_GLOSSARY): Glossary {
  const result = Glossary.safeParse(parse(readFileSync(file, "utf8")));
  if (!result.success) throw new Error(`${file}: ${result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return result.data;
}

export interface BilingualText {
  /** Where it is, e.g. "catalogue guide.disclaimer" or "config/guides/pph.yaml steps.3". */
  readonly where: string;
  readonly en: string;
  readonly lo: string;
}

/** Each place where a text breaks the glossary, with what to write instead. */
export function glossaryProblems(glossary: Glossary, texts: readonly BilingualText[]): string[] {
  const problems: string[] = [];
  for (const text of texts) {
    for (const c of glossary.concepts) {
      for (const variant of c.forbidden) {
        if (text.lo.includes(variant)) problems.push(`${text.where}: Lao writes "${variant}" for ${c.concept}; the glossary's word is "${c.lo}"`);
      }
      if (!c.required) continue;
      const named = c.en.some((w) => new RegExp(`\\b${w.replace(/[-']/g, "[-' ]?")}\\b`, "i").test(text.en.replace(/\{[a-z_]+\}/g, "")));
      if (named && !text.lo.includes(c.lo)) problems.push(`${text.where}: the English says ${c.concept}; the Lao should say "${c.lo}"`);
    }
  }
  return problems;
}
