// What the runtime is given: the province, the client, the bot's store and the handlers it
// wires to the client's events. Apart from runtime.ts so that the shell stays short to read.
import type { MatrixClient } from "matrix-js-sdk";
import type { Logger } from "pino";
import type { Province } from "../config/schema.ts";
import type { BotContext, Outgoing } from "../messaging/types.ts";
import type { BotStore } from "../store/bot-store.ts";
import type { Clock } from "../util/clock.ts";
import type { CommandResources } from "./commands/define.ts";
import type { TickHandler } from "./escalations.ts";
import type { MessageHandler, ReactionHandler } from "./events.ts";
import type { WelcomeHandler } from "./welcomes.ts";

/** Told about every message the bot sent, so handlers can link it (e.g. a consult card) to what it is about. */
export type SentHandler = (ctx: BotContext, sent: { eventId: string; roomId: string; outgoing: Outgoing }) => void;

export interface RuntimeOptions {
  province: Province;
  client: MatrixClient;
  store: BotStore;
  logger: Logger;
  clock?: Clock;
  /** What the commands need loaded once (guideline cards, the command registry). */
  resources: CommandResources;
  onMessage: MessageHandler;
  onWelcome?: WelcomeHandler;
  onReaction?: ReactionHandler;
  onTick?: TickHandler;
  onSent?: SentHandler;
  /** How long to wait for a late room key before telling the sender their message did not decrypt. */
  utdGraceMs?: number;
  /** How often escalation deadlines are checked. */
  tickMs?: number;
  /** How many events of each room's history to read at start-up. */
  initialSyncLimit?: number;
  /** See LaneDeps.timelineLimit. */
  timelineLimit?: number;
  onUndecryptable?: () => void;
}
