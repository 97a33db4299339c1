// Which handler answers what: commands first, then (in district rooms)
// escalation tags that open consults. Pure functions over the BotContext.
import type { Logger } from "pino";
import type { Province } from "../config/schema.ts";
import { formatProblems, loadCards } from "../guides/index.ts";
import { handleCommand, type CommandResources } from "./commands.ts";
import type { MessageHandler, ReactionHandler, TickHandler, WelcomeHandler } from "./runtime.ts";
import { welcomeMessage } from "./welcome.ts";

export interface Handlers {
  onMessage: MessageHandler;
  onWelcome?: WelcomeHandler;
  onReaction?: ReactionHandler;
  onTick?: TickHandler;
}

/** What the handlers need loaded once: the guideline cards. A broken card file is logged and `!guide` says so. */
export async function loadResources(logger: Logger): Promise<CommandResources> {
  const cards = await loadCards();
  if (!cards.ok) {
    logger.error({ problems: formatProblems(cards.problems) }, "guideline cards could not be loaded; !guide is unavailable until they are fixed");
    return { guides: [] };
  }
  return { guides: cards.cards };
}

export function handlers(_province: Province, resources: CommandResources): Handlers {
  return {
    onMessage: (ctx) => handleCommand(Object.assign(ctx, resources)),
    onWelcome: (ctx, userId, room) => welcomeMessage(ctx, userId, room),
  };
}
