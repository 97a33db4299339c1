// !refer <case> <facility>: records a referral and tells the receiving facility's room.
import { actorOf, refer as referConsult } from "../../consult/lifecycle.ts";
import { rolesFor } from "../../consult/permissions.ts";
import { defineCommand } from "./define.ts";

export const refer = defineCommand({
  name: "refer",
  summary: "command.refer.summary",
  arguments: [
    { name: "case", label: "argument.case_id", required: true },
    { name: "facility", label: "argument.facility", required: true, rest: true },
  ],
  allowed: { roles: rolesFor("refer"), rooms: ["district", "experts"] },
  run(ctx, { case: caseId, facility }) {
    return referConsult(ctx, actorOf(ctx), caseId, facility);
  },
});
