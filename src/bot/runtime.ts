// The bot's Matrix runtime: the thin shell around the pure handlers. It syncs, finds the
// province rooms and joins them when invited, and wires each part to the client's events:
//
// - src/bot/room-lane.ts: one object per room: its queue (timeline order), join mark,
//   catch-up after a restart or a gap in sync, and timeline trimming;
// - src/bot/events.ts: each event exactly once, decrypted, claimed, answered, done;
// - src/bot/outbox.ts: every send (transaction ids, retries, echo recovery, direct rooms);
// - src/bot/welcomes.ts and src/bot/escalations.ts: welcomes and ladder steps.
//
// It never logs or stores message text.
import { ClientEvent, Filter, PendingEventOrdering, RoomEvent, RoomMemberEvent, SyncState, type MatrixClient } from "matrix-js-sdk";
import { CryptoEvent } from "matrix-js-sdk/lib/crypto-api/index.js";
import type { Logger } from "pino";
import { languageOf } from "../consult/messages.ts";
import { matrixSendingClient } from "../matrix/sending.ts";
import { roomCatalogue, type CatalogueRoom } from "../config/rooms.ts";
import { systemClock } from "../util/clock.ts";
import { errorText } from "../util/errors.ts";
import { Escalations } from "./escalations.ts";
import { EventHandling } from "./events.ts";
import { Outbox, type SendFailure } from "./outbox.ts";
import { Retrier } from "./retry.ts";
import { RoomLane } from "./room-lane.ts";
import { rosterLookup } from "./roster.ts";
import type { BotContext, Outgoing } from "../messaging/types.ts";
import type { RuntimeOptions } from "./runtime-options.ts";
import { Welcomes } from "./welcomes.ts";

export type { Firing, TickHandler } from "./escalations.ts";
export type { MessageHandler, ReactionHandler } from "./events.ts";
export type { WelcomeHandler } from "./welcomes.ts";
export type { RuntimeOptions, SentHandler } from "./runtime-options.ts";

export class BotRuntime {
  readonly botUserId: string;
  /** Room id by desired room key ("experts", "district:paktha", …). */
  readonly roomIds = new Map<string, string>();
  private readonly lanes = new Map<string, RoomLane>();
  private readonly catalogue: CatalogueRoom[];
  private readonly client: MatrixClient;
  private readonly log: Logger;
  private readonly opts: RuntimeOptions;
  private readonly context: BotContext;
  private readonly retry: Retrier;
  private readonly events: EventHandling;
  private readonly welcomes: Welcomes;
  private readonly escalations: Escalations | undefined;
  private readonly outbox: Outbox;
  private tick: NodeJS.Timeout | undefined;

  constructor(opts: RuntimeOptions) {
    this.opts = opts;
    this.client = opts.client;
    this.log = opts.logger;
    this.botUserId = opts.client.getUserId()!;
    this.catalogue = roomCatalogue(opts.province);
    const senderOf = rosterLookup(opts.province, opts.store);
    // Plain and frozen: what every handler reads; a message's own context is built on it once.
    this.context = Object.freeze({
      province: opts.province,
      store: opts.store,
      clock: opts.clock ?? systemClock,
      botUserId: this.botUserId,
      roomIds: this.roomIds,
      roomInfo: (roomId: string) => this.lanes.get(roomId)?.info,
      senderOf,
    });
    this.retry = new Retrier(this.log);
    const outbox = (this.outbox = new Outbox({
      client: matrixSendingClient(opts.client),
      directRooms: opts.store,
      retry: this.retry,
      log: this.log,
      ownServer: opts.province.homeserver.server_name,
      nameOf: (userId) => senderOf(userId)?.displayName ?? userId,
      languageOf: (userIds) => languageOf(userIds.flatMap((u) => senderOf(u) ?? [])),
      onSent: (sent) => this.opts.onSent?.(this.context, sent),
    }));
    this.welcomes = new Welcomes({ client: this.client, store: opts.store, log: this.log, outbox, context: this.context, roomIds: () => this.lanes.keys(), onWelcome: opts.onWelcome });
    this.events = new EventHandling({
      client: this.client,
      store: opts.store,
      log: this.log,
      outbox,
      base: Object.freeze({ ...this.context, ...opts.resources }),
      roomInfo: (roomId) => this.lanes.get(roomId)?.info,
      onMessage: opts.onMessage,
      onReaction: opts.onReaction,
      onJoin: (userId, roomId) => this.welcomes.welcome(userId, [roomId]),
      onUndecryptable: opts.onUndecryptable,
      utdGraceMs: opts.utdGraceMs ?? 8_000,
    });
    this.escalations = opts.onTick && new Escalations({ store: opts.store, log: this.log, outbox, context: this.context, onTick: opts.onTick, stopped: () => this.retry.isStopped });
  }

  async start(): Promise<void> {
    const c = this.client;
    c.on(RoomEvent.Timeline, (event, room, toStart) => {
      if (room && !toStart) this.lanes.get(room.roomId)?.enqueue(event);
    });
    // A limited sync replaced the live timeline: events between the old and the new one were never emitted.
    c.on(RoomEvent.TimelineReset, (room, timelineSet) => {
      if (room && timelineSet === room.getUnfilteredTimelineSet()) this.lanes.get(room.roomId)?.catchUpLater(room);
    });
    c.on(RoomMemberEvent.Membership, (event, member) => {
      if (member.userId !== this.botUserId) return;
      if (member.membership === "invite") void this.onInvite(member.roomId);
      // The join itself, as sync brings it (joinRoom returns before that): the mark that catch-up reads back to.
      if (member.membership === "join") this.lanes.get(member.roomId)?.noteJoin(event.getTs());
    });
    c.on(CryptoEvent.DevicesUpdated, (userIds: string[]) => {
      // An event handler: nothing awaits it, so a failure must end here, not as an unhandled rejection.
      this.welcomes.devicesUpdated(userIds).catch((err: unknown) => this.log.warn({ err: errorText(err) }, "could not welcome the owners of new devices"));
    });
    c.on(ClientEvent.Sync, (state, prev) => {
      if (state !== SyncState.Error && state !== SyncState.Reconnecting && (prev === SyncState.Error || prev === SyncState.Reconnecting)) this.retry.reconnect();
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
    // No presence: the bot never reads it, and in a province of busy phones it is much of every sync.
    // Members are not lazy-loaded: the bot encrypts to every member of every room and welcomes
    // people by their devices, so it would load every member list anyway.
    const filter = new Filter(this.botUserId);
    filter.setDefinition({ presence: { not_types: ["*"] } });
    await c.startClient({ filter, initialSyncLimit: this.opts.initialSyncLimit ?? 50, lazyLoadMembers: false, pendingEventOrdering: PendingEventOrdering.Detached });
    await prepared;
    await this.resolveRooms();
    for (const room of c.getRooms()) {
      if (room.getMyMembership() === "invite") await this.onInvite(room.roomId);
    }
    for (const lane of this.lanes.values()) {
      const room = c.getRoom(lane.roomId);
      if (!room) continue;
      // Still "invite" here when the first sync was stale; onInvite has joined it.
      if (room.getMyMembership() === "join") lane.recordJoin(room);
      // Tracks every member's devices (first logins trigger the welcome) and shares a room key ahead of the first reply.
      c.getCrypto()?.prepareToEncrypt(room);
      lane.catchUpLater(room);
    }
    if (this.escalations) {
      // At once: steps that fell due while the bot was down fire now, once.
      void this.escalations.tick();
      this.tick = setInterval(() => void this.escalations!.tick(), this.opts.tickMs ?? 15_000);
    }
    this.log.info({ rooms: this.lanes.size }, "bot started");
  }

  /** What every handler reads: the province, the bot's store, the clock, the rooms and the roster. */
  get botContext(): BotContext {
    return this.context;
  }

  /** Sends for a part of the bot that answers no Matrix event (SMS answers): each message succeeds or fails on its own. */
  send(origin: string, roomId: string | undefined, out: readonly Outgoing[]): Promise<SendFailure[]> {
    return this.outbox.send(origin, roomId, out);
  }

  async stop(): Promise<void> {
    this.retry.stop();
    if (this.tick) clearInterval(this.tick);
    this.client.stopClient();
    await this.idle();
  }

  /** Resolves when everything queued so far has been handled (tests, graceful stop). */
  async idle(): Promise<void> {
    for (;;) {
      const pending = [...this.lanes.values()].flatMap((lane) => lane.pending() ?? []);
      if (pending.length === 0) return;
      await Promise.allSettled(pending);
    }
  }

  private async resolveRooms(): Promise<void> {
    const server = this.opts.province.homeserver.server_name;
    for (const room of this.catalogue) {
      try {
        // Retried while the homeserver is unreachable: a room skipped here would stay unserved until a restart.
        const { room_id } = await this.retry.run({ alias: room.alias }, () => this.client.getRoomIdForAlias(`#${room.alias}:${server}`));
        this.roomIds.set(room.key, room_id);
        if (this.lanes.has(room_id)) continue;
        const info = { roomId: room_id, kind: room.kind, ...(room.districtId !== undefined ? { districtId: room.districtId } : {}) };
        this.lanes.set(
          room_id,
          new RoomLane(info, {
            client: this.client,
            store: this.opts.store,
            clock: this.context.clock,
            log: this.log,
            retry: this.retry,
            botUserId: this.botUserId,
            timelineLimit: this.opts.timelineLimit ?? 300,
            handle: (roomId, event, arrival) => this.events.handle(roomId, event, arrival),
          }),
        );
      } catch {
        this.log.warn({ alias: room.alias }, "province room not found; run `mchlink apply` to create it");
      }
    }
  }

  private async onInvite(roomId: string): Promise<void> {
    if (!this.lanes.has(roomId)) await this.resolveRooms();
    const lane = this.lanes.get(roomId);
    if (lane) {
      await this.client.joinRoom(roomId);
      const room = this.client.getRoom(roomId);
      if (room) lane.recordJoin(room);
      this.log.info({ room_id: roomId }, "joined a province room");
    } else {
      await this.client.leave(roomId);
      this.log.warn({ room_id: roomId }, "refused an invite to a room that is not a province room");
    }
  }
}
