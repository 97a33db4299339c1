// !oncall: who is on call now. Coordinators change it: `!oncall set <specialty> <expert>
// [backup] [for 12h | until 08:00 | until 2026-04-16]`, and `!oncall clear <specialty>`.
import { actorOf, refusal } from "../../consult/lifecycle.ts";
import { clearOnCall, onCallList, parseOnCallChange, setOnCall } from "../../consult/oncall.ts";
import { permitted } from "../../consult/permissions.ts";
import { specialtyWord } from "../../consult/tags.ts";
import { Specialty } from "../../config/schema.ts";
import { paragraph, reply, t } from "../../i18n/index.ts";
import { ANY_ROOM, defineCommand, EVERYONE, notice } from "./define.ts";

export const oncall = defineCommand({
  name: "oncall",
  summary: "command.oncall.summary",
  arguments: [
    { name: "change", choices: ["set", "clear"] },
    { name: "details", label: "argument.oncall_change", rest: true },
  ],
  allowed: { roles: EVERYONE, rooms: ANY_ROOM },
  run(ctx, { change, details }) {
    const actor = actorOf(ctx);
    const lang = ctx.sender.language;
    if (change === undefined) return onCallList(ctx, actor);
    if (!permitted(ctx.sender.role, "rota")) return [refusal(actor, "rota")];
    if (change === "clear") {
      const specialty = specialtyWord(details ?? "");
      if (specialty === undefined) return [notice(ctx, reply(paragraph(t(lang, "oncall.set.usage", { specialties: Specialty.options.join(", ") }))))];
      return clearOnCall(ctx, actor, specialty);
    }
    const parsed = parseOnCallChange(ctx, lang, details ?? "");
    return parsed.ok ? setOnCall(ctx, actor, parsed.change) : [notice(ctx, reply(paragraph(parsed.message)))];
  },
});
