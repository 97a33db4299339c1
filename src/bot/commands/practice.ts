// !practice [next|stop]: a short drill in the training room with a simulated case, so that
// new staff try the commands before they need them. The step is kept per person in the
// bot store, so a drill survives a restart and can be picked up later.
import type { Language } from "../../config/schema.ts";
import { type Block, bold, code, heading, paragraph, quote, reply, t, tRich } from "../../i18n/index.ts";
import { emergencyTag } from "../welcome.ts";
import { defineCommand, EVERYONE, type Invocation, notice } from "./define.ts";

/** What each step asks the person to try, in order. */
const STEPS = ["guide", "consult", "rules"] as const;

export const practice = defineCommand({
  name: "practice",
  summary: "command.practice.summary",
  arguments: [{ name: "action", choices: ["next", "stop"] }],
  // Never in real rooms: a practice case there could be taken for a real one.
  allowed: { roles: EVERYONE, rooms: ["training"] },
  run(ctx, { action }) {
    const lang = ctx.sender.language;
    const user = ctx.sender.userId;
    const now = ctx.clock.now();
    const current = ctx.store.practiceStep(user);
    const start = code(`${ctx.prefix}${practice.name}`);
    switch (action) {
      case undefined: {
        if (current === undefined) ctx.store.setPracticeStep(user, 1, now);
        return [notice(ctx, stepReply(ctx, current ?? 1, lang))];
      }
      case "stop":
        ctx.store.endPractice(user);
        return [notice(ctx, reply(paragraph(...tRich(lang, "practice.stopped", { start }))))];
      case "next": {
        if (current === undefined) return [notice(ctx, reply(paragraph(...tRich(lang, "practice.not_started", { start }))))];
        if (current >= STEPS.length) {
          ctx.store.endPractice(user);
          const done = tRich(lang, "practice.done", { tag: code(emergencyTag(ctx.province, lang)), phone: ctx.province.rules.hospital_phone });
          return [notice(ctx, reply(paragraph(...done)))];
        }
        ctx.store.setPracticeStep(user, current + 1, now);
        return [notice(ctx, stepReply(ctx, current + 1, lang))];
      }
    }
  },
});

function stepReply(ctx: Invocation, step: number, lang: Language) {
  const command = (text: string) => code(ctx.prefix + text);
  const blocks: Block[] = [heading(t(lang, "practice.step_title", { step, total: STEPS.length })), paragraph(bold(t(lang, "practice.simulated")))];
  switch (STEPS[step - 1]) {
    case "guide":
      blocks.push(quote(t(lang, "practice.case")), paragraph(...tRich(lang, "practice.step.guide", { guide: command("guide pph") })));
      break;
    case "consult":
      blocks.push(quote(t(lang, "practice.case")), paragraph(...tRich(lang, "practice.step.consult", { example: command(`consult emergency ${t(lang, "practice.consult_example")}`) })));
      break;
    default:
      blocks.push(paragraph(...tRich(lang, "practice.step.rules", { rules: command("rules") })));
  }
  blocks.push(paragraph(...tRich(lang, "practice.next_hint", { next: command(`${practice.name} next`), stop: command(`${practice.name} stop`) })));
  return reply(...blocks);
}
