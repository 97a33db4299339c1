// Looking up catalogue messages in the reader's language and filling their placeholders.
//
// A missing placeholder value is a programming error, so it throws, in tests and in
// production alike. The type checker already rejects a call that leaves one out; the
// throw guards dynamic callers. Sending a clinical message with a hole in it (a phone
// number, a dose, a name) could mislead a nurse, while a throw is caught by the command
// dispatcher, logged, and answered with `error.internal`, which needs no values.
import type { Language } from "../config/schema.ts";
import { catalogue, type MessageKey, type Params, type PlaceholderNames } from "./catalogue.ts";
import type { Inline } from "./reply.ts";

export { catalogue, type Entry, type MessageKey, type Params } from "./catalogue.ts";
export * from "./reply.ts";

export class MissingPlaceholderError extends Error {
  override name = "MissingPlaceholderError";
}

type Args<K extends MessageKey, V> = [PlaceholderNames<(typeof catalogue)[K]["en"]>] extends [never] ? [] : [params: Params<K, V>];

const PLACEHOLDER = /\{([a-z_][a-z0-9_]*)\}/g;

/** The message `key` in `lang`, placeholders filled: plain text for a body, a CLI line or a log. */
export function t<K extends MessageKey>(lang: Language, key: K, ...args: Args<K, string | number>): string {
  return fill(template(lang, key), (args[0] ?? {}) as Readonly<Record<string, string | number>>, key);
}

/**
 * The message `key` in `lang` as inline Reply content, so a placeholder can hold
 * formatted text (a command in `code`, a name in bold) while the rest stays escaped text.
 */
export function tRich<K extends MessageKey>(lang: Language, key: K, ...args: Args<K, Inline | number>): Inline[] {
  const params = (args[0] ?? {}) as Readonly<Record<string, Inline | number>>;
  const out: Inline[] = [];
  let last = 0;
  const text = template(lang, key);
  for (const match of text.matchAll(PLACEHOLDER)) {
    const name = match[1] as string;
    const value = params[name];
    if (value === undefined) throw new MissingPlaceholderError(`${key}: no value for {${name}}`);
    if (match.index > last) out.push(text.slice(last, match.index));
    out.push(typeof value === "number" ? String(value) : value);
    last = match.index + match[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** Fills `{name}` placeholders in any template, e.g. one from the province file; `what` names it in errors. */
export function fill(template: string, params: Readonly<Record<string, string | number>>, what: string = template): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new MissingPlaceholderError(`${what}: no value for {${name}}`);
    return String(value);
  });
}

/** The placeholder names a template uses, in order of first use. */
export function placeholders(template: string): string[] {
  return [...new Set(Array.from(template.matchAll(PLACEHOLDER), (m) => m[1] as string))];
}

/** Picks the reader's language from a two-language text (catalogue entry or province `Localized`). */
export function localize(lang: Language, text: { readonly en: string; readonly lo: string }): string {
  return lang === "lo" ? text.lo : text.en;
}

function template(lang: Language, key: MessageKey): string {
  const entry = catalogue[key];
  if (entry === undefined) throw new Error(`no catalogue entry ${JSON.stringify(key)}`);
  return localize(lang, entry);
}
