// !open: the open consults, oldest first (this room's for health workers, all for experts and coordinators).
import { actorOf, openList } from "../../consult/lifecycle.ts";
import { rolesFor } from "../../consult/permissions.ts";
import { defineCommand } from "./define.ts";

export const open = defineCommand({
  name: "open",
  summary: "command.open.summary",
  arguments: [],
  allowed: { roles: rolesFor("list"), rooms: ["district", "experts"] },
  run(ctx) {
    return openList(ctx, actorOf(ctx));
  },
});
