// !help [command]: generated from the declarations, so a new command appears here by being declared.
import type { Language } from "../../config/schema.ts";
import { code, heading, type Inline, italic, list, paragraph, type Reply, reply, t, tRich } from "../../i18n/index.ts";
import { ANY_ROOM, type Command, defineCommand, describeRooms, describeRoles, EVERYONE, type Invocation, notice, say, unknownCommand, usage } from "./define.ts";

export const help = defineCommand({
  name: "help",
  summary: "command.help.summary",
  arguments: [{ name: "command", label: "argument.command" }],
  allowed: { roles: EVERYONE, rooms: ANY_ROOM },
  run(ctx, { command }) {
    const lang = ctx.sender.language;
    if (command === undefined) return [notice(ctx, overview(ctx, lang))];
    const name = command.startsWith(ctx.prefix) ? command.slice(ctx.prefix.length) : command;
    const found = ctx.commands.find(name);
    return [notice(ctx, found ? details(found, ctx.prefix, lang) : unknownCommand(name, ctx.commands, ctx.sender.role, ctx.prefix, lang))];
  },
});

/** The commands the sender's role may use, each with its usage and summary; those meant for another room say which. */
function overview(ctx: Invocation, lang: Language): Reply {
  const usable = ctx.commands.commands.filter((c) => c.allowed.roles.includes(ctx.sender.role));
  const items = usable.map((c): Inline[] => {
    const item: Inline[] = [code(usage(c, ctx.prefix, lang)), " — ", say(lang, c.summary)];
    if (!c.allowed.rooms.includes(ctx.room.kind)) item.push(" ", italic(`(${t(lang, "help.only_in", { rooms: describeRooms(c.allowed.rooms, lang) })})`));
    return item;
  });
  const example = usable.find((c) => c.name !== help.name) ?? help;
  return reply(heading(t(lang, "help.title")), list(items), paragraph(...tRich(lang, "help.more", { example: code(`${ctx.prefix}${help.name} ${example.name}`) })));
}

function details(command: Command, prefix: string, lang: Language): Reply {
  const facts = [t(lang, "help.who", { roles: describeRoles(command.allowed.roles, lang) }), t(lang, "help.where", { rooms: describeRooms(command.allowed.rooms, lang) })];
  if (command.aliases?.length) facts.unshift(t(lang, "help.aliases", { aliases: command.aliases.map((a) => prefix + a).join(", ") }));
  return reply(heading(code(usage(command, prefix, lang))), paragraph(say(lang, command.summary)), list(facts));
}
