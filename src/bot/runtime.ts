// The bot's Matrix runtime: the thin shell around the pure handlers. It syncs,
// decrypts, resolves who is speaking, handles each event exactly once, and
// sends what the handlers return. It never logs or stores message text.
//
// Exactly once. Before a message is handled its event id is claimed in the
// bot's database; when every reply was sent it is marked done. Replies carry
// transaction ids derived from the event id, so when a crash between the two
// makes the bot handle the event again after restart, Synapse recognises the
// retried sends and does not post them twice. Side effects in the database are
// keyed by the event id (a consult per request event), so they do not double
// either. After a restart the bot reads each room's recent history (and pages
// further back while it finds unhandled events) to catch up on what was sent
// while it was down; it does the same when a sync skips events (a "limited"
// timeline: more arrived than one sync returns, e.g. after an outage).
//
// Order. Each room's events are handled one at a time in timeline order: the
// newest handled event's time is the mark catch-up reads back to, so handling a
// newer event before an older one would hide the older one after a crash. The sync
// stream has gaps (a restarted bot can even get a cached, stale first sync from
// Synapse), so before a room's next event is handled the bot makes sure it has
// read back from the room's current live timeline to that mark. Sends that fail
// because the homeserver is unreachable are retried (same transaction id) until
// they go through.
import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import {
  ClientEvent,
  ConnectionError,
  Direction,
  EventStatus,
  EventTimeline,
  EventType,
  HTTPError,
  MatrixEventEvent,
  PendingEventOrdering,
  RelationType,
  RoomEvent,
  RoomMemberEvent,
  SyncState,
  type MatrixClient,
  type MatrixEvent,
  type Room,
} from "matrix-js-sdk";
import { CryptoEvent } from "matrix-js-sdk/lib/crypto-api/index.js";
import type { Logger } from "pino";
import { personById } from "../config/lookup.ts";
import type { Province } from "../config/schema.ts";
import { languageOf } from "../consult/messages.ts";
import { paragraph, renderCompact, reply, t } from "../i18n/index.ts";
import { unreachableServers } from "../matrix/reachability.ts";
import { desiredState, type DesiredRoom } from "../provision/desired.ts";
import { BotStore } from "../store/bot-store.ts";
import { systemClock, type Clock } from "../util/clock.ts";
import type { BotContext, CommandContext, Incoming, Outgoing, RoomInfo, Sender } from "./types.ts";
import { remoteServers, unreachableNotices, type SentMessage } from "./unreachable.ts";

export type MessageHandler = (ctx: CommandContext) => Outgoing[] | undefined | Promise<Outgoing[] | undefined>;
export type WelcomeHandler = (ctx: BotContext, userId: string, room: RoomInfo) => Outgoing[];
export type ReactionHandler = (ctx: BotContext, reaction: { eventId: string; roomId: string; sender: string; key: string; relatesTo: string; ts: number }) => Outgoing[];
/** Work that falls due with time (escalation steps): each firing is sent under its own stable key, then marked done. */
export interface Firing {
  key: string;
  outgoing: Outgoing[];
  done(): void;
}
export type TickHandler = (ctx: BotContext) => Firing[];
/** Told about every message the bot sent, so handlers can link it (e.g. a consult card) to what it is about. */
export type SentHandler = (ctx: BotContext, sent: { eventId: string; roomId: string; outgoing: Outgoing }) => void;

export interface RuntimeOptions {
  province: Province;
  client: MatrixClient;
  store: BotStore;
  logger: Logger;
  clock?: Clock;
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
  /**
   * How many events a room's live timeline may hold in memory before it is
   * emptied (after everything in it was handled). matrix-js-sdk keeps every
   * event it ever received otherwise, and the bot runs for months.
   */
  timelineLimit?: number;
  onUndecryptable?: () => void;
}

const MAX_BODY = 65_536;

/** Transaction ids that are the same every time the same thing is sent. */
export function txnIdFor(...parts: string[]): string {
  return "mchlink." + createHash("sha256").update(parts.join("\u0000")).digest("base64url").slice(0, 32);
}

export class BotRuntime implements BotContext {
  readonly province: Province;
  readonly store: BotStore;
  readonly clock: Clock;
  readonly botUserId: string;
  readonly roomIds = new Map<string, string>();
  private readonly rooms = new Map<string, RoomInfo>();
  private readonly desiredRooms: DesiredRoom[];
  private readonly client: MatrixClient;
  private readonly log: Logger;
  private readonly opts: RuntimeOptions;
  private readonly queues = new Map<string, Promise<void>>();
  private readonly queued = new Set<string>();
  /** Welcomes being sent now (person and room), so that two triggers at once send one. */
  private readonly welcoming = new Set<string>();
  /** When each queued event came in from sync (performance.now()), for the handling-time log line. */
  private readonly arrived = new Map<string, number>();
  private tick: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly stopping = new AbortController();
  /** Resolved (and replaced) when sync works again after failing: waiting retries go at once. */
  private reconnected = Promise.withResolvers<void>();
  /** Per room, the live timeline that catch-up has read back to the last handled event. */
  private readonly caughtUp = new Map<string, EventTimeline>();
  private readonly partners: Set<string>;

  constructor(opts: RuntimeOptions) {
    this.opts = opts;
    this.province = opts.province;
    this.store = opts.store;
    this.clock = opts.clock ?? systemClock;
    this.client = opts.client;
    this.log = opts.logger;
    this.botUserId = opts.client.getUserId()!;
    this.desiredRooms = desiredState(opts.province).rooms;
    this.partners = new Set(opts.province.federation.partners);
  }

  // ---- BotContext ---------------------------------------------------------

  roomInfo(roomId: string): RoomInfo | undefined {
    return this.rooms.get(roomId);
  }

  senderOf(userId: string): Sender | undefined {
    const [localpart, ...server] = userId.slice(1).split(":");
    const serverName = server.join(":");
    const stored = this.store.language(userId);
    if (serverName === this.province.homeserver.server_name) {
      const person = localpart ? personById(this.province, localpart) : undefined;
      if (!person) return undefined;
      return { userId, role: person.role, person, displayName: person.name, language: stored ?? person.language };
    }
    if (!this.partners.has(serverName)) return undefined;
    const partner = this.province.federation.partner_experts.find((e) => e.user_id === userId);
    if (!partner) return undefined;
    return { userId, role: "expert", partner, displayName: partner.name, language: stored ?? partner.language };
  }

  // ---- lifecycle ------------------------------------------------------------

  async start(): Promise<void> {
    const c = this.client;
    c.on(RoomEvent.Timeline, (event, room, toStart) => {
      if (!room || toStart) return;
      this.enqueue(room.roomId, event);
    });
    // A limited sync replaced the live timeline: events between the old and the new one were never emitted.
    c.on(RoomEvent.TimelineReset, (room, timelineSet) => {
      if (!room || timelineSet !== room.getUnfilteredTimelineSet() || !this.rooms.has(room.roomId)) return;
      this.schedule(room.roomId, "catch-up", () => this.catchUp(room));
    });
    c.on(RoomMemberEvent.Membership, (event, member) => {
      if (member.userId !== this.botUserId) return;
      if (member.membership === "invite") void this.onInvite(member.roomId);
      // The join itself, as sync brings it (joinRoom returns before that): the mark that catch-up reads back to.
      if (member.membership === "join" && this.rooms.has(member.roomId)) this.noteJoin(member.roomId, event.getTs());
    });
    c.on(CryptoEvent.DevicesUpdated, (userIds: string[]) => {
      // An event handler: nothing awaits it, so a failure must end here, not as an unhandled rejection.
      this.onDevicesUpdated(userIds).catch((err: unknown) => this.log.warn({ err: errorText(err) }, "could not welcome the owners of new devices"));
    });
    c.on(ClientEvent.Sync, (state, prev) => {
      if (state === SyncState.Error || state === SyncState.Reconnecting || (prev !== SyncState.Error && prev !== SyncState.Reconnecting)) return;
      this.reconnected.resolve();
      this.reconnected = Promise.withResolvers<void>();
    });

    const prepared = new Promise<void>((resolve, reject) => {
      const onSync = (state: SyncState, _prev: SyncState | null, data?: { error?: Error }) => {
        if (state === SyncState.Prepared || state === SyncState.Syncing) {
          c.off(ClientEvent.Sync, onSync);
          resolve();
        } else if (state === SyncState.Error && data?.error && /M_UNKNOWN_TOKEN/.test(String(data.error))) {
          c.off(ClientEvent.Sync, onSync);
          reject(data.error);
        }
      };
      c.on(ClientEvent.Sync, onSync);
    });
    // Detached: the bot's own messages stay out of the live timeline until the server echoes them.
    // In it ("chronological"), a sent reply makes the next limited sync look as if it overlapped what
    // the bot already has, and matrix-js-sdk then drops that sync's earlier events instead of
    // resetting the timeline: those messages would never be seen (found by the SIGKILL fault test).
    await c.startClient({ initialSyncLimit: this.opts.initialSyncLimit ?? 50, lazyLoadMembers: false, pendingEventOrdering: PendingEventOrdering.Detached });
    await prepared;
    await this.resolveRooms();
    for (const room of c.getRooms()) {
      if (room.getMyMembership() === "invite") await this.onInvite(room.roomId);
    }
    for (const roomId of this.rooms.keys()) {
      const room = c.getRoom(roomId);
      if (!room) continue;
      // Still "invite" here when the first sync was stale; onInvite has joined it.
      if (room.getMyMembership() === "join") this.recordJoin(room);
      // Tracks every member's devices (first logins trigger the welcome) and
      // shares a room key ahead of the first reply.
      c.getCrypto()?.prepareToEncrypt(room);
      this.schedule(roomId, "catch-up", () => this.catchUp(room));
    }
    const tickMs = this.opts.tickMs ?? 15_000;
    if (this.opts.onTick) {
      // At once: steps that fell due while the bot was down fire now, once.
      void this.runTick();
      this.tick = setInterval(() => void this.runTick(), tickMs);
    }
    this.log.info({ rooms: this.rooms.size }, "bot started");
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    if (this.tick) clearInterval(this.tick);
    this.client.stopClient();
    await Promise.allSettled([...this.queues.values()]);
  }

  /** Resolves when everything queued so far has been handled (tests, graceful stop). */
  async idle(): Promise<void> {
    let before = -1;
    while (before !== this.queues.size) {
      before = this.queues.size;
      await Promise.allSettled([...this.queues.values()]);
    }
  }

  private async resolveRooms(): Promise<void> {
    const server = this.province.homeserver.server_name;
    for (const room of this.desiredRooms) {
      try {
        // Retried while the homeserver is unreachable: a room skipped here would stay unserved until a restart.
        const { room_id } = await this.retrying({ alias: room.alias }, () => this.client.getRoomIdForAlias(`#${room.alias}:${server}`));
        this.roomIds.set(room.key, room_id);
        this.rooms.set(room_id, { roomId: room_id, kind: room.kind, ...(room.kind === "district" ? { districtId: room.key.slice("district:".length) } : {}) });
      } catch {
        this.log.warn({ alias: room.alias }, "province room not found; run `mchlink apply` to create it");
      }
    }
  }

  private recordJoin(room: Room): void {
    const me = room.currentState.getStateEvents(EventType.RoomMember, this.botUserId);
    // Right after joinRoom the state may still hold the invitation: its time is not the join's.
    if (me && me.getContent().membership !== "join") return;
    this.noteJoin(room.roomId, me?.getTs() ?? this.clock.now());
  }

  /** Only forward: an older join event seen again (reading history back) must not move the mark back. */
  private noteJoin(roomId: string, ts: number): void {
    if (ts > (this.store.joinedTs(roomId) ?? 0)) this.store.recordJoin(roomId, ts);
  }

  private async onInvite(roomId: string): Promise<void> {
    if (!this.rooms.has(roomId)) await this.resolveRooms();
    if (this.rooms.has(roomId)) {
      await this.client.joinRoom(roomId);
      const room = this.client.getRoom(roomId);
      if (room) this.recordJoin(room);
      this.log.info({ room_id: roomId }, "joined a province room");
    } else {
      await this.client.leave(roomId);
      this.log.warn({ room_id: roomId }, "refused an invite to a room that is not a province room");
    }
  }

  /**
   * Read back through the room's live timeline until events the bot has already
   * handled, then handle, in order, everything since it joined that is not done
   * yet. Runs in the room's queue, so nothing newer is handled before it; does
   * nothing when the live timeline was already read back.
   */
  private async catchUp(room: Room): Promise<void> {
    const timeline = room.getLiveTimeline();
    if (this.caughtUp.get(room.roomId) === timeline) return;
    const joined = this.store.joinedTs(room.roomId) ?? 0;
    const since = Math.max(joined, this.store.lastHandledTs(room.roomId) ?? joined);
    for (let page = 0; page < 20; page++) {
      const events = timeline.getEvents();
      const oldest = events[0];
      if (!oldest || oldest.getTs() < since || !timeline.getPaginationToken(Direction.Backward)) break;
      const before = events.length;
      await this.retrying({ room_id: room.roomId }, () => this.client.scrollback(room, 50));
      // Replaced meanwhile by another limited sync: the catch-up queued by that reset reads the new one.
      if (room.getLiveTimeline() !== timeline || timeline.getEvents().length === before) break;
    }
    for (const event of timeline.getEvents()) {
      if (this.stopped) return;
      if (event.getTs() > joined && this.isForUs(room.roomId, event)) await this.handleLogged(room.roomId, event);
    }
    this.caughtUp.set(room.roomId, timeline);
  }

  /**
   * Forget the room's in-memory timeline once it is long: every event in it
   * was handled (this runs in the room's queue, after them), and what the bot
   * needs after a crash or a gap it reads back from the server by catch-up,
   * not from memory. The new timeline has no back-pagination token, so the
   * catch-up that the reset schedules reads nothing; a limited sync later
   * brings a timeline with its own token, as usual.
   */
  private trim(room: Room): void {
    const limit = this.opts.timelineLimit ?? 300;
    if (this.stopped || room.getLiveTimeline().getEvents().length < limit) return;
    room.resetLiveTimeline(null, null);
    this.caughtUp.set(room.roomId, room.getLiveTimeline());
  }

  private isForUs(roomId: string, event: MatrixEvent): boolean {
    const id = event.getId();
    return Boolean(id) && !id!.startsWith("~") && event.getSender() !== this.botUserId && this.rooms.has(roomId);
  }

  private enqueue(roomId: string, event: MatrixEvent): void {
    const id = event.getId()!;
    if (this.stopped || !this.isForUs(roomId, event) || this.queued.has(id)) return;
    this.queued.add(id);
    this.arrived.set(id, performance.now());
    const task = async () => {
      const room = this.client.getRoom(roomId);
      if (room) await this.catchUp(room);
      await this.handleLogged(roomId, event);
      if (room) this.trim(room);
    };
    this.schedule(roomId, id, task).finally(() => {
      this.queued.delete(id);
      this.arrived.delete(id);
    });
  }

  /** Run `task` after everything already queued for the room. */
  private schedule(roomId: string, what: string, task: () => Promise<void>): Promise<void> {
    const prev = this.queues.get(roomId) ?? Promise.resolve();
    const next = prev
      .then(task)
      .catch((err: unknown) => this.log.error({ room_id: roomId, task: what, err: errorText(err) }, "room task failed"))
      .finally(() => {
        if (this.queues.get(roomId) === next) this.queues.delete(roomId);
      });
    this.queues.set(roomId, next);
    return next;
  }

  private async handleLogged(roomId: string, event: MatrixEvent): Promise<void> {
    try {
      await this.handleEvent(roomId, event);
    } catch (err) {
      this.log.error({ event_id: event.getId(), room_id: roomId, err: errorText(err) }, "event handling failed");
    }
  }

  /**
   * Run a request until it goes through, waiting longer after each failure that
   * a retry can cure (homeserver unreachable, 5xx, rate limited); other errors,
   * and stopping, end it.
   */
  private async retrying<T>(where: Record<string, string>, request: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request();
      } catch (err) {
        if (this.stopped || !isTransient(err)) throw err;
        const delayMs = Math.min(30_000, 500 * 2 ** attempt);
        this.log.warn({ ...where, attempt: attempt + 1, retry_in_ms: delayMs, err: errorText(err) }, "homeserver unreachable; retrying");
        await Promise.race([sleep(delayMs, undefined, { signal: this.stopping.signal }), this.reconnected.promise]);
      }
    }
  }

  /** Send one event; after a failed attempt, resend the same local event (same transaction id, same ciphertext). Returns its id. */
  private async sendOnce(roomId: string, txnId: string, send: () => Promise<{ event_id: string }>): Promise<string | undefined> {
    try {
      return await this.retrying({ room_id: roomId }, async () => {
        const room = this.client.getRoom(roomId);
        const earlier = room?.getEventForTxnId(txnId);
        // matrix-js-sdk refuses new messages to a room while an earlier one there failed to go out.
        if (room?.getPendingEvents().some((e) => e.status === EventStatus.NOT_SENT && e !== earlier)) {
          throw new ConnectionError("an earlier message to this room has not gone out yet");
        }
        if (earlier?.status === EventStatus.NOT_SENT) {
          await this.client.resendEvent(earlier, room!);
          return earlier.getId();
        }
        if (!earlier) return (await send()).event_id;
        return earlier.getId(); // this process already sent it; its remote echo is on the way
      });
    } catch (err) {
      // A process before this one, killed after sending, sent it under the same transaction id,
      // and its remote echo took the place of our local echo while it was going out: it is sent.
      const echoed = this.client
        .getRoom(roomId)
        ?.getLiveTimeline()
        .getEvents()
        .find((e) => e.getSender() === this.botUserId && e.getUnsigned().transaction_id === txnId);
      if (echoed?.getId()) return echoed.getId();
      // Given up: a failed message left pending would hold back every later one to the room.
      const left = this.client.getRoom(roomId)?.getEventForTxnId(txnId);
      if (left?.status === EventStatus.NOT_SENT) this.client.cancelPendingEvent(left);
      throw err;
    }
  }

  private async handleEvent(roomId: string, event: MatrixEvent): Promise<void> {
    const joined = this.store.joinedTs(roomId);
    if (joined !== undefined && event.getTs() < joined) return; // from before the bot was here
    if (this.store.status(event.getId()!) === "done") return; // seen again by a catch-up; no need to decrypt it
    const started = performance.now();
    if (event.isEncrypted()) {
      await this.client.decryptEventIfNeeded(event);
      if (event.isDecryptionFailure() && !(await this.waitForKey(event))) return this.undecryptable(roomId, event);
    }
    const type = event.getType();
    if (type === EventType.RoomMessage) return this.handleMessage(roomId, event, { started, decrypted: performance.now() });
    if (type === EventType.Reaction && this.opts.onReaction) return this.handleReaction(roomId, event);
    if (type === EventType.RoomMember) return this.handleMembership(roomId, event);
  }

  private waitForKey(event: MatrixEvent): Promise<boolean> {
    const grace = this.opts.utdGraceMs ?? 8_000;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        event.off(MatrixEventEvent.Decrypted, onDecrypted);
        resolve(!event.isDecryptionFailure());
      }, grace);
      const onDecrypted = () => {
        if (event.isDecryptionFailure()) return;
        clearTimeout(timer);
        event.off(MatrixEventEvent.Decrypted, onDecrypted);
        resolve(true);
      };
      event.on(MatrixEventEvent.Decrypted, onDecrypted);
    });
  }

  private async undecryptable(roomId: string, event: MatrixEvent): Promise<void> {
    const sender = event.getSender()!;
    const who = this.senderOf(sender);
    if (!who) return;
    const eventId = event.getId()!;
    const prior = this.store.claim({ eventId, roomId, sender, ts: event.getTs(), kind: "undecryptable" }, this.clock.now());
    if (prior === "done") return;
    if (prior === undefined) {
      this.store.increment("decryption_failures");
      this.opts.onUndecryptable?.();
    }
    this.log.warn({ event_id: eventId, room_id: roomId, sender, reason: event.decryptionFailureReason }, "could not decrypt a message");
    await this.send(eventId, roomId, [
      { kind: "reaction", eventId, key: "⚠️" },
      { kind: "message", reply: reply(paragraph(t(who.language, "notice.could_not_decrypt", { phone: this.province.rules.hospital_phone }))), inReplyTo: eventId },
    ]);
    this.store.markDone(eventId, this.clock.now());
  }

  private async handleMessage(roomId: string, event: MatrixEvent, timing: { started: number; decrypted: number }): Promise<void> {
    const content = event.getContent();
    if (content.msgtype !== "m.text" || typeof content.body !== "string") return;
    if (content["m.relates_to"]?.rel_type === "m.replace") return; // edits are not new requests
    const sender = this.senderOf(event.getSender()!);
    if (!sender) {
      this.log.info({ event_id: event.getId(), room_id: roomId }, "ignored a message from outside the roster");
      return;
    }
    const eventId = event.getId()!;
    if (this.store.claim({ eventId, roomId, sender: sender.userId, ts: event.getTs(), kind: "message" }, this.clock.now()) === "done") return;
    const relates = content["m.relates_to"] as { rel_type?: string; event_id?: string; "m.in_reply_to"?: { event_id?: string } } | undefined;
    const incoming: Incoming = {
      eventId,
      roomId,
      sender: sender.userId,
      body: content.body.length > MAX_BODY ? content.body.slice(0, MAX_BODY) : content.body,
      ts: event.getTs(),
      ...(relates?.rel_type === "m.thread" && relates.event_id ? { threadRootId: relates.event_id } : {}),
      ...(relates?.["m.in_reply_to"]?.event_id ? { inReplyTo: relates["m.in_reply_to"].event_id } : {}),
    };
    const ctx: CommandContext = Object.assign(Object.create(this) as BotRuntime, { sender, room: this.rooms.get(roomId)!, event: incoming });
    const out = ((await this.opts.onMessage(ctx)) ?? []).map((o) => this.answering(incoming, o));
    const handled = performance.now();
    await this.send(eventId, roomId, out);
    this.store.markDone(eventId, this.clock.now());
    if (this.log.isLevelEnabled("debug")) {
      const arrived = this.arrived.get(eventId);
      const ms = (from: number, to: number) => Math.round((to - from) * 10) / 10;
      // Metadata only: where the time went between sync and the last reply sent.
      this.log.debug(
        {
          event_id: eventId,
          room_id: roomId,
          ...(arrived !== undefined ? { queued_ms: ms(arrived, timing.started) } : {}),
          decrypt_ms: ms(timing.started, timing.decrypted),
          handler_ms: ms(timing.decrypted, handled),
          send_ms: ms(handled, performance.now()),
        },
        "handled a message",
      );
    }
  }

  /** An answer in the same room is a reply to the message it answers (in its thread, if it was in one). */
  private answering(incoming: Incoming, o: Outgoing): Outgoing {
    if (o.kind !== "message" || o.directTo || (o.roomId && o.roomId !== incoming.roomId) || o.threadRootId || o.inReplyTo) return o;
    return incoming.threadRootId ? { ...o, threadRootId: incoming.threadRootId, inReplyTo: incoming.eventId } : { ...o, inReplyTo: incoming.eventId };
  }

  private async handleReaction(roomId: string, event: MatrixEvent): Promise<void> {
    const rel = event.getContent()["m.relates_to"] as { rel_type?: string; event_id?: string; key?: string } | undefined;
    if (rel?.rel_type !== "m.annotation" || !rel.event_id || typeof rel.key !== "string") return;
    const sender = this.senderOf(event.getSender()!);
    if (!sender) return;
    const eventId = event.getId()!;
    if (this.store.claim({ eventId, roomId, sender: sender.userId, ts: event.getTs(), kind: "reaction" }, this.clock.now()) === "done") return;
    const out = this.opts.onReaction!(this, { eventId, roomId, sender: sender.userId, key: rel.key, relatesTo: rel.event_id, ts: event.getTs() });
    await this.send(eventId, roomId, out);
    this.store.markDone(eventId, this.clock.now());
  }

  private async handleMembership(roomId: string, event: MatrixEvent): Promise<void> {
    const userId = event.getStateKey();
    if (!userId || userId === this.botUserId || event.getContent().membership !== "join") return;
    if (event.getPrevContent().membership === "join") return; // a profile change, not a join
    await this.welcome(userId, [roomId]);
  }

  private async onDevicesUpdated(userIds: string[]): Promise<void> {
    for (const userId of userIds) {
      if (userId === this.botUserId) continue;
      const rooms = [...this.rooms.keys()].filter((roomId) => this.client.getRoom(roomId)?.getMember(userId)?.membership === "join");
      await this.welcome(userId, rooms);
    }
  }

  /**
   * Welcome a person once per room, and only when they have a device: a message
   * encrypted before their first login could never be read by them.
   */
  private async welcome(userId: string, roomIds: string[]): Promise<void> {
    if (!this.opts.onWelcome || roomIds.length === 0 || !this.senderOf(userId)) return;
    const devices = await this.client.getCrypto()?.getUserDeviceInfo([userId]);
    if ((devices?.get(userId)?.size ?? 0) === 0) return;
    for (const roomId of roomIds) {
      const room = this.rooms.get(roomId);
      if (!room || room.kind === "space" || room.kind === "announcements") continue;
      // Recorded once sent, so that a crash or a failed send in between means a welcome
      // later rather than none; the stable transaction ids keep a resend from doubling it.
      const key = `${userId}\u0000${roomId}`;
      if (this.welcoming.has(key) || this.store.welcomed(userId, roomId)) continue;
      this.welcoming.add(key);
      try {
        await this.send(`welcome:${userId}`, roomId, this.opts.onWelcome(this, userId, room));
        this.store.markWelcomed(userId, roomId, this.clock.now());
      } catch (err) {
        this.log.warn({ user_id: userId, room_id: roomId, err: errorText(err) }, "could not send a welcome; it is tried again at the person's next device or join");
      } finally {
        this.welcoming.delete(key);
      }
    }
  }

  private ticking = false;

  private async runTick(): Promise<void> {
    if (this.ticking || this.stopped) return; // a slow send must not let two ticks fire the same step
    this.ticking = true;
    try {
      for (const firing of this.opts.onTick!(this)) {
        await this.send(firing.key, undefined, firing.outgoing);
        firing.done();
      }
    } catch (err) {
      this.log.error({ err: err instanceof Error ? err.message : String(err) }, "escalation tick failed");
    } finally {
      this.ticking = false;
    }
  }


  /** The bot's encrypted direct room with a person, created the first time it is needed. */
  private async directRoom(userId: string): Promise<string> {
    const known = this.store.directRoom(userId);
    if (known) return known;
    const { room_id } = await this.retrying({ user_id: userId }, () =>
      this.client.createRoom({
        is_direct: true,
        preset: "trusted_private_chat" as never,
        invite: [userId],
        initial_state: [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }],
      }),
    );
    // Never send before the client knows the room is encrypted (an unknown room would get
    // plaintext) and knows the invitation (else the room key is not shared with the person).
    const deadline = Date.now() + 30_000;
    const ready = () => {
      const room = this.client.getRoom(room_id);
      return room?.hasEncryptionStateEvent() && ["invite", "join"].includes(room.getMember(userId)?.membership ?? "");
    };
    while (!ready()) {
      if (Date.now() > deadline || this.stopped) throw new Error(`direct room ${room_id} did not arrive by sync`);
      await sleep(100);
    }
    this.store.setDirectRoom(userId, room_id);
    return room_id;
  }

  /** Send what a handler returned; `origin` makes the transaction ids deterministic. */
  async send(origin: string, roomId: string | undefined, out: Outgoing[]): Promise<void> {
    // Asked while the messages go out, so that a partner server that does not answer delays nothing.
    const servers = remoteServers(out, this.province.homeserver.server_name);
    const asked =
      servers.length === 0
        ? undefined
        : unreachableServers(this.client, servers).catch((err: unknown) => {
            this.log.warn({ err: errorText(err), servers }, "could not ask whether partner servers answer");
            return new Set<string>();
          });
    const sent = await this.sendEach(origin, roomId, out, 0);
    const down = await asked;
    if (!down || down.size === 0) return;
    this.log.warn({ servers: [...down] }, "a message named people on a partner server that is not answering; the room is told");
    const notices = unreachableNotices(sent, down, {
      ownServer: this.province.homeserver.server_name,
      nameOf: (userId) => this.senderOf(userId)?.displayName ?? userId,
      languageOf: (room) => languageOf((this.client.getRoom(room)?.getJoinedMembers() ?? []).flatMap((m) => this.senderOf(m.userId) ?? [])),
    });
    // Numbered after the batch, so its own messages keep their transaction ids when it is sent again.
    await this.sendEach(origin, roomId, notices, out.length);
  }

  private async sendEach(origin: string, roomId: string | undefined, out: Outgoing[], first: number): Promise<SentMessage[]> {
    const sent: SentMessage[] = [];
    for (const [j, o] of out.entries()) {
      const i = first + j;
      const target = o.kind === "message" && o.directTo ? await this.directRoom(o.directTo) : (o.roomId ?? roomId);
      if (!target) throw new Error("an outgoing message without a room");
      const txnId = txnIdFor(origin, String(i), target);
      if (o.kind === "reaction") {
        await this.sendOnce(target, txnId, () =>
          this.client.sendEvent(target, EventType.Reaction, { "m.relates_to": { rel_type: RelationType.Annotation, event_id: o.eventId, key: o.key } }, txnId),
        );
        continue;
      }
      const rendered = renderCompact(o.reply);
      const content: Record<string, unknown> = {
        msgtype: o.msgtype ?? "m.notice",
        ...rendered,
        // Explicit: a notice must not ring anyone by matching a display name.
        "m.mentions": { ...(o.mentions?.user_ids ? { user_ids: o.mentions.user_ids } : {}), ...(o.mentions?.room ? { room: true } : {}) },
      };
      if (o.threadRootId) {
        content["m.relates_to"] = { rel_type: "m.thread", event_id: o.threadRootId, is_falling_back: true, "m.in_reply_to": { event_id: o.inReplyTo ?? o.threadRootId } };
      } else if (o.inReplyTo) {
        content["m.relates_to"] = { "m.in_reply_to": { event_id: o.inReplyTo } };
      }
      const eventId = await this.sendOnce(target, txnId, () => this.client.sendEvent(target, o.threadRootId ?? null, EventType.RoomMessage, content as never, txnId));
      if (eventId && !eventId.startsWith("~")) this.opts.onSent?.(this, { eventId, roomId: target, outgoing: o });
      sent.push({ outgoing: o, roomId: target, eventId: eventId?.startsWith("~") ? undefined : eventId });
    }
    return sent;
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Failures a later attempt can cure: the homeserver unreachable or overloaded, or rate limiting. */
function isTransient(err: unknown): boolean {
  if (err instanceof ConnectionError) return true;
  const status = err instanceof HTTPError ? err.httpStatus : undefined;
  return status !== undefined && (status === 429 || status >= 500);
}
