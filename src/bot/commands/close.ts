// !close <case> <outcome>: closes a consult with an outcome from the fixed list (by id or name).
import { actorOf, close as closeConsult } from "../../consult/lifecycle.ts";
import { rolesFor } from "../../consult/permissions.ts";
import { defineCommand } from "./define.ts";

export const close = defineCommand({
  name: "close",
  summary: "command.close.summary",
  arguments: [
    { name: "case", label: "argument.case_id", required: true },
    { name: "outcome", label: "argument.outcome", required: true, rest: true },
  ],
  allowed: { roles: rolesFor("close"), rooms: ["district", "experts"] },
  run(ctx, { case: caseId, outcome }) {
    return closeConsult(ctx, actorOf(ctx), caseId, outcome);
  },
});
