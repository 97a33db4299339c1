// The command dispatcher: finds the command in a message, checks who may use it where,
// parses its arguments and runs it. Every way a command can go wrong ends in a reply in the
// sender's language, never a throw. Help, usage errors and refusals are generated from the
// declarations in src/bot/commands/ (one file per command, declared with defineCommand).
import type { Language } from "../config/schema.ts";
import { code, paragraph, type Reply, reply, t, tRich } from "../i18n/index.ts";
import { type Command, CommandRegistry, clip, describeRoles, describeRooms, type Invocation, notice, say, unknownCommand, usage } from "./commands/define.ts";
import { ack } from "./commands/ack.ts";
import { close } from "./commands/close.ts";
import { consult } from "./commands/consult.ts";
import { escalate } from "./commands/escalate.ts";
import { guide } from "./commands/guide.ts";
import { help } from "./commands/help.ts";
import { lang } from "./commands/lang.ts";
import { oncall } from "./commands/oncall.ts";
import { open } from "./commands/open.ts";
import { practice } from "./commands/practice.ts";
import { refer } from "./commands/refer.ts";
import { reopen } from "./commands/reopen.ts";
import { rules } from "./commands/rules.ts";
import { stats } from "./commands/stats.ts";
import { whoami } from "./commands/whoami.ts";
import { type ArgumentProblem, hasControlCharacters, parseArguments, splitCommand } from "./parse.ts";
import type { CommandContext, Outgoing } from "../messaging/types.ts";

export * from "./commands/define.ts";

/** A message this long that starts like a command is refused rather than read. */
export const MAX_COMMAND_LENGTH = 4000;

/** The bot's commands, in the order `!help` lists them. A new command is a file in src/bot/commands/ and one entry here. */
export const registry = new CommandRegistry([help, consult, ack, escalate, refer, close, reopen, open, oncall, stats, guide, rules, lang, whoami, practice]);

export type CommandStatus = "ok" | "unknown" | "refused" | "usage" | "too_long" | "malformed" | "failed";

/** What happened, for the runtime's log and counters (it carries no message text), and what to send. */
export interface CommandOutcome {
  readonly status: CommandStatus;
  /** The declared name, once the command is known. */
  readonly command?: string;
  /** What the handler threw, for the log; the sender was answered with `error.internal`. */
  readonly error?: unknown;
  readonly outgoing: Outgoing[];
}

/**
 * What a message comes to if it is a command; undefined when it is not one (so consult tagging
 * can read it). Whether the sender may use the command here is decided in one place, `refuse`
 * below, from the command's declared roles and rooms; consult commands then check the case
 * itself (the requester may close their own) in src/consult/permissions.ts.
 */
export function runCommand(ctx: Invocation): CommandOutcome | undefined {
  const { prefix, commands } = ctx;
  const line = splitCommand(ctx.event.body, prefix);
  if (line === undefined) return undefined;
  const lang = ctx.sender.language;
  const answer = (status: CommandStatus, content: Reply, command?: Command): CommandOutcome =>
    command === undefined ? { status, outgoing: [notice(ctx, content)] } : { status, command: command.name, outgoing: [notice(ctx, content)] };

  let command: Command | undefined;
  try {
    const length = ctx.event.body.length;
    if (length > MAX_COMMAND_LENGTH) return answer("too_long", reply(paragraph(t(lang, "error.input_too_long", { length, max: MAX_COMMAND_LENGTH }))));
    if (hasControlCharacters(ctx.event.body)) return answer("malformed", reply(paragraph(t(lang, "error.malformed"))));
    command = commands.find(line.name);
    if (command === undefined) return answer("unknown", unknownCommand(line.name, commands, ctx.sender.role, prefix, lang));
    const refusal = refuse(command, ctx, prefix, lang);
    if (refusal) return answer("refused", refusal, command);
    const parsed = parseArguments(command.arguments, line.rest);
    if (!parsed.ok) return answer("usage", usageError(command, parsed.problem, prefix, lang), command);
    return { status: "ok", command: command.name, outgoing: command.run(ctx, parsed.values) };
  } catch (error) {
    const outcome = answer("failed", reply(paragraph(t(lang, "error.internal", { phone: ctx.province.rules.hospital_phone }))), command);
    return { ...outcome, error };
  }
}

/** Why the sender may not use the command here, naming who may and where. */
function refuse(command: Command, ctx: CommandContext, prefix: string, lang: Language): Reply | undefined {
  const name = code(prefix + command.name);
  if (!command.allowed.roles.includes(ctx.sender.role)) {
    return reply(paragraph(...tRich(lang, "error.permission_refused", { command: name }), " ", t(lang, "error.allowed_roles", { roles: describeRoles(command.allowed.roles, lang) })));
  }
  if (!command.allowed.rooms.includes(ctx.room.kind)) {
    return reply(paragraph(...tRich(lang, "error.wrong_room", { command: name, rooms: describeRooms(command.allowed.rooms, lang) })));
  }
  return undefined;
}

/** What was wrong, then the usage line generated from the declaration, then where to read more. */
function usageError(command: Command, problem: ArgumentProblem, prefix: string, lang: Language): Reply {
  return reply(
    paragraph(problemText(problem, lang)),
    paragraph(...tRich(lang, "error.usage", { usage: code(usage(command, prefix, lang)) })),
    paragraph(...tRich(lang, "help.read_more", { help: code(`${prefix}help ${command.name}`) })),
  );
}

function problemText(problem: ArgumentProblem, lang: Language): string {
  switch (problem.kind) {
    case "missing":
      return "choices" in problem.argument
        ? t(lang, "error.missing_choice", { choices: problem.argument.choices.join(", ") })
        : t(lang, "error.missing_argument", { argument: say(lang, problem.argument.label) });
    case "invalid_choice":
      return t(lang, "error.invalid_choice", { value: clip(problem.value, 40), choices: problem.choices.join(", ") });
    case "too_many":
      return t(lang, "error.too_many_arguments", { extra: clip(problem.extra, 60) });
  }
}
