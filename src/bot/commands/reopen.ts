// !reopen <case>: opens a closed consult again.
import { actorOf, reopen as reopenConsult } from "../../consult/lifecycle.ts";
import { rolesFor } from "../../consult/permissions.ts";
import { defineCommand } from "./define.ts";

export const reopen = defineCommand({
  name: "reopen",
  summary: "command.reopen.summary",
  arguments: [{ name: "case", label: "argument.case_id", required: true }],
  allowed: { roles: rolesFor("reopen"), rooms: ["district", "experts"] },
  run(ctx, { case: caseId }) {
    return reopenConsult(ctx, actorOf(ctx), caseId);
  },
});
