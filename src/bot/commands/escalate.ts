// !escalate <case> [reason]: the patient is worse; the consult goes up a priority (or to the
// one named first in the reason) and its ladder starts again. The reason is not copied anywhere.
import { actorOf, escalate as escalateConsult } from "../../consult/lifecycle.ts";
import { rolesFor } from "../../consult/permissions.ts";
import { defineCommand } from "./define.ts";

export const escalate = defineCommand({
  name: "escalate",
  summary: "command.escalate.summary",
  arguments: [
    { name: "case", label: "argument.case_id", required: true },
    { name: "reason", label: "argument.reason", rest: true },
  ],
  allowed: { roles: rolesFor("escalate"), rooms: ["district", "experts"] },
  run(ctx, { case: caseId, reason }) {
    return escalateConsult(ctx, actorOf(ctx), caseId, reason ?? "");
  },
});
