// One province room as the bot serves it: its queue (events handled one at a time, in
// timeline order), its join mark, whether catch-up has read its live timeline back, and
// the trimming of that timeline.
//
// Order. The newest handled event's time is the mark catch-up reads back to, so handling a
// newer event before an older one would hide the older one after a crash. The sync stream
// has gaps (a restarted bot can even get a cached, stale first sync from Synapse), so before
// the room's next event is handled the lane makes sure it has read back from the room's
// current live timeline to that mark.
import { Direction, EventType, type EventTimeline, type MatrixClient, type MatrixEvent, type Room } from "matrix-js-sdk";
import type { Logger } from "pino";
import type { BotStore } from "../store/bot-store.ts";
import type { Clock } from "../util/clock.ts";
import { errorText } from "../util/errors.ts";
import type { Retrier } from "./retry.ts";
import type { RoomInfo } from "../messaging/types.ts";

export interface LaneDeps {
  client: MatrixClient;
  store: BotStore;
  clock: Clock;
  log: Logger;
  retry: Retrier;
  botUserId: string;
  /**
   * How many events the live timeline may hold in memory before it is emptied (after
   * everything in it was handled). matrix-js-sdk keeps every event it ever received
   * otherwise, and the bot runs for months.
   */
  timelineLimit: number;
  /** Handle one event of this room; `arrival` when it came by sync (not when catch-up read it back). */
  handle(roomId: string, event: MatrixEvent, arrival?: Arrival): Promise<void>;
}

/** When an event came by sync: `at` by performance.now(), and how long after its homeserver stamped it (wall clocks, ms). */
export interface Arrival {
  at: number;
  lagMs: number;
}

export class RoomLane {
  readonly info: RoomInfo;
  private readonly deps: LaneDeps;
  private queue: Promise<void> | undefined;
  private readonly queued = new Set<string>();
  /** The live timeline that catch-up has read back to the last handled event. */
  private caughtUp: EventTimeline | undefined;

  constructor(info: RoomInfo, deps: LaneDeps) {
    this.info = info;
    this.deps = deps;
  }

  get roomId(): string {
    return this.info.roomId;
  }

  /** Resolves when everything queued so far has been handled; undefined when nothing is. */
  pending(): Promise<void> | undefined {
    return this.queue;
  }

  /** An event from sync: handled after everything before it, once, if it is for the bot. */
  enqueue(event: MatrixEvent): void {
    const id = event.getId()!;
    if (this.deps.retry.isStopped || !this.isForUs(event) || this.queued.has(id)) return;
    this.queued.add(id);
    const arrival: Arrival = { at: performance.now(), lagMs: Date.now() - event.getTs() };
    void this.schedule(id, async () => {
      const room = this.deps.client.getRoom(this.roomId);
      if (room) await this.catchUp(room);
      await this.handleLogged(event, arrival);
      if (room) this.trim(room);
    }).finally(() => this.queued.delete(id));
  }

  /** Read the room's history back (at start, after a limited sync reset the timeline). */
  catchUpLater(room: Room): void {
    void this.schedule("catch-up", () => this.catchUp(room));
  }

  /** The bot's own join as the room's state says, once it really is a join. */
  recordJoin(room: Room): void {
    const me = room.currentState.getStateEvents(EventType.RoomMember, this.deps.botUserId);
    // Right after joinRoom the state may still hold the invitation: its time is not the join's.
    if (me && me.getContent().membership !== "join") return;
    this.noteJoin(me?.getTs() ?? this.deps.clock.now());
  }

  /** Only forward: an older join event seen again (reading history back) must not move the mark back. */
  noteJoin(ts: number): void {
    if (ts > (this.deps.store.joinedTs(this.roomId) ?? 0)) this.deps.store.recordJoin(this.roomId, ts);
  }

  /**
   * Read back through the room's live timeline until events the bot has already handled,
   * then handle, in order, everything since it joined that is not done yet. Runs in the
   * queue, so nothing newer is handled before it; does nothing when the live timeline was
   * already read back.
   */
  private async catchUp(room: Room): Promise<void> {
    const { store, client, retry } = this.deps;
    const timeline = room.getLiveTimeline();
    if (this.caughtUp === timeline) return;
    const joined = store.joinedTs(this.roomId) ?? 0;
    const since = Math.max(joined, store.lastHandledTs(this.roomId) ?? joined);
    for (let page = 0; page < 20; page++) {
      const events = timeline.getEvents();
      const oldest = events[0];
      if (!oldest || oldest.getTs() < since || !timeline.getPaginationToken(Direction.Backward)) break;
      const before = events.length;
      await retry.run({ room_id: this.roomId }, () => client.scrollback(room, 50));
      // Replaced meanwhile by another limited sync: the catch-up queued by that reset reads the new one.
      if (room.getLiveTimeline() !== timeline || timeline.getEvents().length === before) break;
    }
    for (const event of timeline.getEvents()) {
      if (retry.isStopped) return;
      if (event.getTs() > joined && this.isForUs(event)) await this.handleLogged(event);
    }
    this.caughtUp = timeline;
  }

  /**
   * Forget the room's in-memory timeline once it is long: every event in it was handled
   * (this runs in the queue, after them), and what the bot needs after a crash or a gap it
   * reads back from the server by catch-up, not from memory. The new timeline has no
   * back-pagination token, so the catch-up that the reset schedules reads nothing; a
   * limited sync later brings a timeline with its own token, as usual.
   */
  private trim(room: Room): void {
    if (this.deps.retry.isStopped || room.getLiveTimeline().getEvents().length < this.deps.timelineLimit) return;
    room.resetLiveTimeline(null, null);
    this.caughtUp = room.getLiveTimeline();
  }

  private isForUs(event: MatrixEvent): boolean {
    const id = event.getId();
    return Boolean(id) && !id!.startsWith("~") && event.getSender() !== this.deps.botUserId;
  }

  /** Run `task` after everything already queued. */
  private schedule(what: string, task: () => Promise<void>): Promise<void> {
    const next = (this.queue ?? Promise.resolve())
      .then(task)
      .catch((err: unknown) => this.deps.log.error({ room_id: this.roomId, task: what, err: errorText(err) }, "room task failed"))
      .finally(() => {
        if (this.queue === next) this.queue = undefined;
      });
    this.queue = next;
    return next;
  }

  private async handleLogged(event: MatrixEvent, arrival?: Arrival): Promise<void> {
    try {
      await this.deps.handle(this.roomId, event, arrival);
    } catch (err) {
      this.deps.log.error({ event_id: event.getId(), room_id: this.roomId, err: errorText(err) }, "event handling failed");
    }
  }
}
