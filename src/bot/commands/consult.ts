// !consult [emergency|urgent|routine] [specialty] <summary>: opens a consult in a district
// room. The same as a tagged message, for those who prefer a command; see src/consult/tags.ts
// for the defaults (urgent; obstetrics unless the words are about a baby).
import { actorOf, openConsult } from "../../consult/lifecycle.ts";
import { rolesFor } from "../../consult/permissions.ts";
import { parseConsultArguments } from "../../consult/tags.ts";
import { defineCommand } from "./define.ts";

export const consult = defineCommand({
  name: "consult",
  summary: "command.consult.summary",
  arguments: [{ name: "request", label: "argument.request", rest: true }],
  allowed: { roles: rolesFor("open"), rooms: ["district"] },
  run(ctx, { request }) {
    const args = parseConsultArguments(ctx.province, request ?? "");
    return openConsult(ctx, actorOf(ctx), ctx.event.body, { priority: args.priority, specialty: args.specialty, openedBy: "command" });
  },
});
