// What the bot reports to Prometheus and to health checks. Commands are counted
// in memory (since the bot started; Prometheus' rate() copes with the reset);
// consults, escalation steps and decryption failures are read from the bot's
// database at each scrape, so they survive restarts and cannot drift from it.
// Labels are bounded sets (declared command names, statuses, priorities,
// ladder actions): never user input, never identifiers.
import { ClientEvent, SyncState, type MatrixClient } from "matrix-js-sdk";
import { Priority } from "../config/schema.ts";
import { consultStoreOf } from "../consult/store.ts";
import type { BotStore } from "../store/bot-store.ts";
import { systemClock, type Clock } from "../util/clock.ts";
import { renderExposition, type MetricFamily, type Sample } from "./exposition.ts";

export interface BotMetricsOptions {
  store: BotStore;
  /** The crypto store's size on disk (it is also held in memory). */
  cryptoStore?: { stats(): { fileBytes: number; commits: number; writeMsTotal: number } };
  clock?: Clock;
  /**
   * With no successful sync for this long the bot is unhealthy. A healthy bot
   * syncs at least every 30 s (the long-poll timeout), so the default leaves room
   * for a slow homeserver without hiding an outage.
   */
  staleAfterMs?: number;
  /** Declared command names, reported at zero before their first use (so rate() works from the start). */
  commands?: readonly string[];
}

export interface Health {
  ok: boolean;
  /** What is wrong, for the operator. */
  reason?: string;
  syncState: string | null;
  /** Seconds since the last successful sync; undefined before the first one. */
  syncLagSeconds?: number;
}

export const DEFAULT_STALE_AFTER_MS = 90_000;

export class BotMetrics {
  readonly startedAt: number;
  private readonly opts: BotMetricsOptions;
  private readonly clock: Clock;
  /** `command\0status` → count. */
  private readonly commandCounts = new Map<string, number>();
  private lastSyncAt: number | undefined;
  private syncState: SyncState | null = null;
  /** Whether SMS paging runs; undefined when the province has no SMS gateway. */
  private smsOn: boolean | undefined;

  constructor(opts: BotMetricsOptions) {
    this.opts = opts;
    this.clock = opts.clock ?? systemClock;
    this.startedAt = this.clock.now();
    for (const name of opts.commands ?? []) this.commandCounts.set(`${name}\0ok`, 0);
  }

  /** A command's outcome (`command` is absent when the name was not a known command). */
  commandHandled(outcome: { command?: string; status: string }): void {
    const key = `${outcome.command ?? ""}\0${outcome.status}`;
    this.commandCounts.set(key, (this.commandCounts.get(key) ?? 0) + 1);
  }

  /** SMS paging started (true) or could not start (false); never called when the province has no SMS gateway. */
  smsPaging(on: boolean): void {
    this.smsOn = on;
  }

  /** Follow the client's sync loop; call before the client starts. Returns the unsubscribe. */
  watchSync(client: MatrixClient): () => void {
    const onSync = (state: SyncState) => {
      this.syncState = state;
      // Prepared after the first sync, Syncing after every later one: each is a response received and processed.
      if (state === SyncState.Prepared || state === SyncState.Syncing) this.lastSyncAt = this.clock.now();
    };
    client.on(ClientEvent.Sync, onSync);
    return () => client.off(ClientEvent.Sync, onSync);
  }

  health(): Health {
    const now = this.clock.now();
    const staleAfterMs = this.opts.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    const base = { syncState: this.syncState };
    if (this.lastSyncAt === undefined) return { ...base, ok: false, reason: "not synced with the homeserver yet" };
    const lagMs = now - this.lastSyncAt;
    const syncLagSeconds = lagMs / 1000;
    if (lagMs > staleAfterMs) {
      return { ...base, ok: false, syncLagSeconds, reason: `no successful sync for ${Math.round(syncLagSeconds)} s; is the homeserver reachable? (see the bot's log)` };
    }
    return { ...base, ok: true, syncLagSeconds };
  }

  families(): MetricFamily[] {
    const health = this.health();
    const db = this.opts.store.db;
    const open = new Map<string, number>(Priority.options.map((p) => [p, 0]));
    for (const consult of consultStoreOf(db).openConsults()) open.set(consult.priority, (open.get(consult.priority) ?? 0) + 1);
    // Every claimed step was fired: a step is claimed just before its messages are sent.
    const steps = db.prepare("SELECT action, COUNT(*) AS n FROM escalation_steps GROUP BY action ORDER BY action").all() as Array<{ action: string; n: number }>;
    const commands: Sample[] = [...this.commandCounts.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => {
        const [command, status] = key.split("\0") as [string, string];
        return { labels: { command, status }, value };
      });
    const families: MetricFamily[] = [
      { name: "mchlink_bot_up", type: "gauge", help: "1 while the bot syncs with the homeserver (its last successful sync is recent), else 0.", samples: [{ value: health.ok ? 1 : 0 }] },
      { name: "mchlink_bot_start_time_seconds", type: "gauge", help: "When the bot process started, in seconds since the Unix epoch.", samples: [{ value: this.startedAt / 1000 }] },
      {
        name: "mchlink_sync_lag_seconds",
        type: "gauge",
        help: "Seconds since the bot's last successful sync with the homeserver (since its start, before the first one).",
        samples: [{ value: health.syncLagSeconds ?? (this.clock.now() - this.startedAt) / 1000 }],
      },
      {
        name: "mchlink_last_sync_timestamp_seconds",
        type: "gauge",
        help: "When the bot last synced with the homeserver, in seconds since the Unix epoch.",
        samples: this.lastSyncAt === undefined ? [] : [{ value: this.lastSyncAt / 1000 }],
      },
      { name: "mchlink_commands_total", type: "counter", help: "Commands handled since the bot started, by command and status (command is empty for unknown names).", samples: commands },
      { name: "mchlink_consults_open", type: "gauge", help: "Consults open now, by priority.", samples: [...open].map(([priority, value]) => ({ labels: { priority }, value })) },
      { name: "mchlink_escalation_steps_fired_total", type: "counter", help: "Escalation steps fired, by action.", samples: steps.map((s) => ({ labels: { action: s.action }, value: Number(s.n) })) },
      {
        name: "mchlink_decryption_failures_total",
        type: "counter",
        help: "Messages the bot could not decrypt (each sender was told).",
        samples: [{ value: this.opts.store.counter("decryption_failures") }],
      },
      {
        name: "mchlink_messages_undelivered_total",
        type: "counter",
        help: "Messages the bot could never send (removed from the room, no longer allowed to post, room gone), by what they were.",
        samples: [
          { labels: { kind: "escalation" }, value: this.opts.store.counter("escalation_messages_undelivered") },
          { labels: { kind: "reply" }, value: this.opts.store.counter("replies_undelivered") },
        ],
      },
    ];
    if (this.smsOn !== undefined) {
      families.push({
        name: "mchlink_sms_paging_up",
        type: "gauge",
        help: "1 when SMS paging through the gateway runs, 0 when the province has an SMS gateway but paging could not start (see the bot's log). Absent without an SMS gateway.",
        samples: [{ value: this.smsOn ? 1 : 0 }],
      });
    }
    // The same names as Prometheus' own client libraries use, so stock dashboards read them.
    const memory = process.memoryUsage();
    families.push(
      { name: "process_resident_memory_bytes", type: "gauge", help: "Resident memory of the bot process.", samples: [{ value: memory.rss }] },
      {
        name: "nodejs_heap_size_used_bytes",
        type: "gauge",
        help: "JavaScript heap in use (the WebAssembly crypto's memory is outside it, in resident memory).",
        samples: [{ value: memory.heapUsed }],
      },
      {
        name: "nodejs_heap_size_total_bytes",
        type: "gauge",
        help: "JavaScript heap reserved (in use and free).",
        samples: [{ value: memory.heapTotal }],
      },
      {
        name: "nodejs_external_memory_bytes",
        type: "gauge",
        help: "Memory outside the JavaScript heap held by JavaScript objects: buffers, and the WebAssembly crypto's memory.",
        samples: [{ value: memory.external }],
      },
    );
    if (this.opts.cryptoStore) {
      // One read per scrape: stats() also asks the file system for the file's size.
      const stats = this.opts.cryptoStore.stats();
      families.push(
        {
          name: "mchlink_crypto_store_bytes",
          type: "gauge",
          help: "Size of the bot's crypto store on disk; it is held in memory too.",
          samples: [{ value: stats.fileBytes }],
        },
        {
          name: "mchlink_crypto_store_commits_total",
          type: "counter",
          help: "Crypto store write transactions since the bot started (one that changed nothing wrote nothing to disk).",
          samples: [{ value: stats.commits }],
        },
        {
          name: "mchlink_crypto_store_write_seconds_total",
          type: "counter",
          help: "Time the bot spent writing crypto store transactions to disk (it waits for each).",
          samples: [{ value: stats.writeMsTotal / 1000 }],
        },
      );
    }
    return families;
  }

  exposition(): string {
    return renderExposition(this.families());
  }
}
