// How a command is declared: its name, summary, arguments and who may use it where,
// next to its handler (one file per command in this folder). `!help` and usage errors
// are generated from these declarations, so a command documents itself by being declared.
import { type Language, Role } from "../../config/schema.ts";
import type { Card, CardReviewState } from "../../guides/index.ts";
import { distance } from "../../util/text.ts";
import type { PlaceholderNames } from "../../i18n/catalogue.ts";
import { catalogue, code, localize, type MessageKey, paragraph, type Reply, reply, t, tRich } from "../../i18n/index.ts";
import { ROOM_KINDS, type RoomKind } from "../../provision/desired.ts";
import type { CommandContext, Outgoing } from "../../messaging/types.ts";

/** A catalogue key whose text has no placeholders: summaries and argument labels. */
export type PlainKey = { [K in MessageKey]: [PlaceholderNames<(typeof catalogue)[K]["en"]>] extends [never] ? K : never }[MessageKey];

export type ArgumentSpec =
  | {
      /** The key under which the handler finds the value. */
      readonly name: string;
      /** The word shown in usage, in the reader's language: `!guide [topic]`. */
      readonly label: PlainKey;
      readonly required?: boolean;
      /** Takes the rest of the message, spaces and lines included; last argument only. */
      readonly rest?: boolean;
    }
  | {
      readonly name: string;
      /** The only values accepted, compared ignoring case, shown as `<lo|en>`. */
      readonly choices: readonly string[];
      readonly required?: boolean;
    };

type ValueOf<S extends ArgumentSpec> = S extends { readonly choices: readonly (infer C extends string)[] } ? C : string;

/** The parsed arguments a handler receives, typed from its declaration. */
export type ArgumentsOf<A extends readonly ArgumentSpec[]> = {
  readonly [S in A[number] as S["name"]]: S extends { readonly required: true } ? ValueOf<S> : ValueOf<S> | undefined;
};

export interface Permission {
  readonly roles: readonly Role[];
  readonly rooms: readonly RoomKind[];
}

export const EVERYONE: readonly Role[] = Role.options;
export const ANY_ROOM: readonly RoomKind[] = ROOM_KINDS;

/** Loaded once at start-up and part of every message's context (the runtime builds it once per message). */
export interface CommandResources {
  /** Guideline cards (`loadCards` from src/guides). */
  readonly guides: readonly Card[];
  /** Each card's valid reviews from the ledger, by card id; a card missing here opens as a draft. */
  readonly guideReviews?: ReadonlyMap<string, CardReviewState>;
  /** The province's command prefix, for examples in replies. */
  readonly prefix: string;
  /** The commands there are (`!help` lists them). */
  readonly commands: CommandRegistry;
}

/** What a handler sees: the message's context and the resources, one plain frozen object. */
export type Invocation = CommandContext & CommandResources;

export interface Command<A extends readonly ArgumentSpec[] = readonly ArgumentSpec[]> {
  /** Lowercase; what follows the prefix. */
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly summary: PlainKey;
  readonly arguments: A;
  readonly allowed: Permission;
  /** Pure over the invocation; a throw is caught by the dispatcher and answered with `error.internal`. */
  run(ctx: Invocation, args: ArgumentsOf<A>): Outgoing[];
}

/** Declares a command; the handler's arguments are typed from the declaration. */
export function defineCommand<const A extends readonly ArgumentSpec[]>(command: Command<A>): Command<A> {
  return command;
}

const COMMAND_NAME = /^[a-z][a-z0-9-]*$/;

/** The commands the bot knows, found by name or alias. Declaration mistakes throw here, at start-up. */
export class CommandRegistry {
  readonly commands: readonly Command[];
  readonly #byName = new Map<string, Command>();

  constructor(commands: readonly Command[]) {
    this.commands = commands;
    for (const command of commands) {
      for (const name of [command.name, ...(command.aliases ?? [])]) {
        if (!COMMAND_NAME.test(name)) throw new Error(`command name ${JSON.stringify(name)}: lowercase letters, digits and '-', starting with a letter`);
        if (this.#byName.has(name)) throw new Error(`command name ${JSON.stringify(name)} is declared twice`);
        this.#byName.set(name, command);
      }
      checkArguments(command);
    }
  }

  find(name: string): Command | undefined {
    return this.#byName.get(name.toLowerCase());
  }

  /** Every name and alias. */
  names(): string[] {
    return [...this.#byName.keys()];
  }
}

function checkArguments(command: Command): void {
  let optionalSeen = false;
  command.arguments.forEach((arg, i) => {
    if ("rest" in arg && arg.rest && i !== command.arguments.length - 1) throw new Error(`${command.name}: only the last argument can take the rest of the message`);
    if (arg.required && optionalSeen) throw new Error(`${command.name}: required argument ${arg.name} after an optional one`);
    if (!arg.required) optionalSeen = true;
  });
}

/** How to type the command, e.g. `!guide [topic…]` or `!lang <lo|en>`, in the reader's language. */
export function usage(command: Command, prefix: string, lang: Language): string {
  const parts = [prefix + command.name];
  for (const arg of command.arguments) {
    const word = "choices" in arg ? arg.choices.join("|") : localize(lang, catalogue[arg.label]) + (arg.rest ? "…" : "");
    parts.push(arg.required ? `<${word}>` : `[${word}]`);
  }
  return parts.join(" ");
}

/** "everyone", or the roles in the reader's words. */
export function describeRoles(roles: readonly Role[], lang: Language): string {
  if (EVERYONE.every((role) => roles.includes(role))) return t(lang, "help.everyone");
  return roles.map((role) => t(lang, `role.${role}`)).join(", ");
}

/** "any room", or the kinds of room in the reader's words. */
export function describeRooms(rooms: readonly RoomKind[], lang: Language): string {
  if (ANY_ROOM.every((kind) => rooms.includes(kind))) return t(lang, "help.any_room");
  return rooms.map((kind) => t(lang, `room_kind.${kind}`)).join(", ");
}

/** The answer to a command nobody declared: the closest one the sender may use, or a pointer to help. */
export function unknownCommand(typed: string, commands: CommandRegistry, role: Role, prefix: string, lang: Language): Reply {
  const command = code(prefix + clip(typed, 40));
  const suggestion = closestCommand(typed.toLowerCase(), commands, role);
  return suggestion === undefined
    ? reply(paragraph(...tRich(lang, "error.unknown_command_no_suggestion", { command, help: code(`${prefix}help`) })))
    : reply(paragraph(...tRich(lang, "error.unknown_command", { command, suggestion: code(prefix + suggestion) })));
}

/**
 * One or two typos away ("gide", "whomai"), or the start of a name ("prac"). Short
 * names tolerate one typo only, or every two-letter word would suggest something.
 */
function closestCommand(typed: string, commands: CommandRegistry, role: Role): string | undefined {
  let best: { name: string; score: number } | undefined;
  for (const command of commands.commands) {
    if (!command.allowed.roles.includes(role)) continue;
    for (const name of [command.name, ...(command.aliases ?? [])]) {
      const d = distance(typed, name);
      const score = typed.length >= 3 && name.startsWith(typed) ? 0.5 : d <= (name.length >= 5 ? 2 : 1) ? d : Infinity;
      if (score < (best?.score ?? Infinity)) best = { name: command.name, score };
    }
  }
  return best?.name;
}

/** What someone typed, shortened before it is shown back to them. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/**
 * A reply to the command as an `m.notice` (it must not ring phones): in the command's
 * thread if it was sent in one, otherwise as a reply to it.
 */
export function notice(ctx: CommandContext, content: Reply): Outgoing {
  return ctx.event.threadRootId !== undefined
    ? { kind: "message", reply: content, msgtype: "m.notice", threadRootId: ctx.event.threadRootId }
    : { kind: "message", reply: content, msgtype: "m.notice", inReplyTo: ctx.event.eventId };
}

/** A text in the reader's language straight from the catalogue (keys without placeholders). */
export function say(lang: Language, key: PlainKey): string {
  return localize(lang, catalogue[key]);
}
