// !rules: the province's usage rules, the same text that is pinned in each room.
import { reply } from "../../i18n/index.ts";
import { rulesBlocks } from "../../provision/desired.ts";
import { ANY_ROOM, defineCommand, EVERYONE, notice } from "./define.ts";

export const rules = defineCommand({
  name: "rules",
  summary: "command.rules.summary",
  arguments: [],
  allowed: { roles: EVERYONE, rooms: ANY_ROOM },
  run(ctx) {
    return [notice(ctx, reply(...rulesBlocks(ctx.province, ctx.sender.language)))];
  },
});
