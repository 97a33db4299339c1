// !ack <case>: an expert takes a consult; the first answer stops its paging.
import { acknowledge, actorOf } from "../../consult/lifecycle.ts";
import { rolesFor } from "../../consult/permissions.ts";
import { defineCommand } from "./define.ts";

export const ack = defineCommand({
  name: "ack",
  summary: "command.ack.summary",
  arguments: [{ name: "case", label: "argument.case_id", required: true }],
  allowed: { roles: rolesFor("acknowledge"), rooms: ["district", "experts"] },
  run(ctx, { case: caseId }) {
    return acknowledge(ctx, actorOf(ctx), caseId, "command");
  },
});
