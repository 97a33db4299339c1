// Which handler answers what: commands first; then consult tagging and thread
// replies (escalation tags open consults, an expert's reply acknowledges);
// reactions (✅ acknowledges); and the escalation ladder on every tick. The
// handlers are pure functions over the BotContext; the runtime does the I/O.
import type { Logger } from "pino";
import * as consult from "../consult/lifecycle.ts";
import { cardReviewState, formatProblems, loadCards, loadLedger } from "../guides/index.ts";
import type { Province } from "../config/schema.ts";
import { registry, runCommand, type CommandOutcome, type CommandResources } from "./commands.ts";
import type { MessageHandler, ReactionHandler, SentHandler, TickHandler, WelcomeHandler } from "./runtime.ts";
import { welcomeMessage } from "./welcome.ts";

export interface Handlers {
  onMessage: MessageHandler;
  onWelcome?: WelcomeHandler;
  onReaction?: ReactionHandler;
  onTick?: TickHandler;
  onSent?: SentHandler;
}

/**
 * What the handlers need loaded once: the guideline cards, their reviews and the commands. A broken
 * card file is logged and `!guide` says so; a broken review ledger is logged and every card opens as a draft.
 */
export async function loadResources(province: Province, logger: Logger): Promise<CommandResources> {
  const common = { prefix: province.bot.command_prefix, commands: registry };
  const cards = await loadCards();
  if (!cards.ok) {
    logger.error({ problems: formatProblems(cards.problems) }, "guideline cards could not be loaded; !guide is unavailable until they are fixed");
    return { ...common, guides: [] };
  }
  const ledger = await loadLedger();
  if (!ledger.ok) logger.error({ problems: ledger.problems.join("\n") }, "the review ledger could not be read; every guide card opens as a draft until it is fixed");
  const reviews = ledger.ok ? ledger.reviews : [];
  return { ...common, guides: cards.cards, guideReviews: new Map(cards.cards.map((card) => [card.id, cardReviewState(card, reviews)])) };
}

/** Told what each command came to (monitoring counts them); never the message text. */
export interface HandlerObserver {
  onCommand?(outcome: CommandOutcome): void;
}

export function handlers(observer: HandlerObserver = {}): Handlers {
  return {
    onMessage: (ctx) => {
      const outcome = runCommand(ctx);
      if (!outcome) return consult.onMessage(ctx);
      observer.onCommand?.(outcome);
      return outcome.outgoing;
    },
    onWelcome: (ctx, userId, room) => welcomeMessage(ctx, userId, room),
    onReaction: (ctx, reaction) => consult.onReaction(ctx, reaction),
    onTick: (ctx) =>
      consult.escalationTick(ctx).map((f) => ({ key: f.key, outgoing: f.outgoing, done: () => consult.firingDone(ctx, f), undelivered: (roomIds) => consult.undeliveredStep(ctx, f, roomIds) })),
    // The bot's card and messages in a consult's thread stand for the consult: a ✅ on them acknowledges it.
    onSent: (ctx, sent) => {
      if (sent.outgoing.kind !== "message" || !sent.outgoing.threadRootId) return;
      const c = consult.consultStore(ctx).byEvent(sent.outgoing.threadRootId);
      if (c) consult.consultStore(ctx).linkEvent(c.caseId, sent.eventId);
    },
  };
}
