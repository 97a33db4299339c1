// Reading a command out of a message: the name after the prefix, then the arguments its
// declaration asks for. Pure; problems are values that the dispatcher turns into replies.
import type { ArgumentSpec } from "./commands/define.ts";

export interface CommandLine {
  /** As typed, to echo back; the registry looks it up ignoring case. */
  readonly name: string;
  /** Everything after the name. */
  readonly rest: string;
}

/**
 * The command in a message, or undefined when the message is not one. A command is the
 * prefix directly followed by a word ("!help", "!Guide pph" from a phone that capitalises);
 * "!!", "! urgent" and "!important:" are ordinary text, left for the consult tagger.
 */
export function splitCommand(body: string, prefix: string): CommandLine | undefined {
  const text = body.trimStart();
  if (!text.startsWith(prefix)) return undefined;
  const after = text.slice(prefix.length);
  const name = /^\p{L}[\p{L}\p{M}\p{N}_-]*(?=\s|$)/u.exec(after)?.[0];
  return name === undefined ? undefined : { name, rest: after.slice(name.length) };
}

/** Control characters other than tab and line breaks: not something a person types. */
export function hasControlCharacters(text: string): boolean {
  return /[^\P{Cc}\t\n\r]/u.test(text);
}

export type ArgumentProblem =
  | { readonly kind: "missing"; readonly argument: ArgumentSpec }
  | { readonly kind: "invalid_choice"; readonly choices: readonly string[]; readonly value: string }
  | { readonly kind: "too_many"; readonly extra: string };

export type ParsedArguments = { readonly ok: true; readonly values: Readonly<Record<string, string | undefined>> } | { readonly ok: false; readonly problem: ArgumentProblem };

/** Words are separated by white space; a `rest` argument keeps the remaining text as written. */
export function parseArguments(specs: readonly ArgumentSpec[], text: string): ParsedArguments {
  const values: Record<string, string | undefined> = {};
  let remaining = text.trim();
  for (const spec of specs) {
    if (remaining === "") {
      if (spec.required) return { ok: false, problem: { kind: "missing", argument: spec } };
      values[spec.name] = undefined;
      continue;
    }
    if ("rest" in spec && spec.rest) {
      values[spec.name] = remaining;
      remaining = "";
      continue;
    }
    const end = remaining.search(/\s/u);
    const word = end === -1 ? remaining : remaining.slice(0, end);
    remaining = end === -1 ? "" : remaining.slice(end).trimStart();
    if ("choices" in spec) {
      const choice = spec.choices.find((c) => c.toLowerCase() === word.toLowerCase());
      if (choice === undefined) return { ok: false, problem: { kind: "invalid_choice", choices: spec.choices, value: word } };
      values[spec.name] = choice;
    } else {
      values[spec.name] = word;
    }
  }
  if (remaining !== "") return { ok: false, problem: { kind: "too_many", extra: remaining } };
  return { ok: true, values };
}
