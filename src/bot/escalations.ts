// Work that falls due with time (escalation steps), checked on every tick. Each firing is
// sent under its own stable key and then marked done, on its own: a step the bot can never
// post (it was removed from the room, may no longer post there, the room is gone) is
// counted, logged with metadata, told elsewhere and done, and never holds back another.
import type { Logger } from "pino";
import type { BotStore } from "../store/bot-store.ts";
import { errorText } from "../util/errors.ts";
import type { Outbox } from "./outbox.ts";
import type { BotContext, Outgoing } from "../messaging/types.ts";

export interface Firing {
  key: string;
  outgoing: Outgoing[];
  done(): void;
  /** What to send elsewhere when some of its messages can never be sent to these rooms. */
  undelivered?(roomIds: string[]): Outgoing[];
}
export type TickHandler = (ctx: BotContext) => Firing[];

export interface EscalationDeps {
  store: BotStore;
  log: Logger;
  outbox: Outbox;
  context: BotContext;
  onTick: TickHandler;
  stopped(): boolean;
}

export class Escalations {
  private readonly deps: EscalationDeps;
  private ticking = false;

  constructor(deps: EscalationDeps) {
    this.deps = deps;
  }

  async tick(): Promise<void> {
    if (this.ticking || this.deps.stopped()) return; // a slow send must not let two ticks fire the same step
    this.ticking = true;
    try {
      for (const firing of this.deps.onTick(this.deps.context)) {
        if (this.deps.stopped()) break;
        await this.fire(firing);
      }
    } catch (err) {
      this.deps.log.error({ err: errorText(err) }, "escalation tick failed");
    } finally {
      this.ticking = false;
    }
  }

  /** One step; a message that can never be sent is recorded and the step is done like any other, so the ladder goes on. */
  private async fire(firing: Firing): Promise<void> {
    const { outbox, log, store } = this.deps;
    try {
      const failed = await outbox.send(firing.key, undefined, firing.outgoing);
      if (failed.length > 0) {
        store.increment("escalation_messages_undelivered", failed.length);
        const where = failed.map((f) => ({ room_id: f.roomId, status: f.status, errcode: f.errcode, reason: f.reason }));
        log.error({ firing: firing.key, failed: where }, "an escalation step could not be posted in a room; the ladder goes on and the experts' room is told");
        const rooms = [...new Set(failed.flatMap((f) => (f.roomId ? [f.roomId] : [])))];
        const notice = await outbox.send(`${firing.key}:undelivered`, undefined, firing.undelivered?.(rooms) ?? []);
        if (notice.length > 0)
          log.error({ firing: firing.key, failed: notice.map((f) => ({ room_id: f.roomId, status: f.status, errcode: f.errcode })) }, "could not tell anyone that an escalation step was not posted");
      }
      firing.done();
    } catch (err) {
      log.error({ firing: firing.key, err: errorText(err) }, "escalation step failed; it is tried again at the next tick");
    }
  }
}
