// The hand-written Prometheus exposition, the bot's health rule and the MCHLINK_METRICS
// setting, without a server (test/integration/monitoring.test.ts scrapes a running bot).
import { EventEmitter } from "node:events";
import type { MatrixClient } from "matrix-js-sdk";
import { describe, expect, it } from "vitest";
import { BotMetrics } from "../../src/monitoring/bot-metrics.ts";
import { renderExposition } from "../../src/monitoring/exposition.ts";
import { parseMonitoringAddress } from "../../src/monitoring/server.ts";
import { BotStore } from "../../src/store/bot-store.ts";
import { ManualClock } from "../../src/util/clock.ts";

describe("Prometheus text exposition", () => {
  it("writes HELP and TYPE once per family, then one line per sample", () => {
    const text = renderExposition([
      {
        name: "mchlink_commands_total",
        type: "counter",
        help: "Commands handled.",
        samples: [
          { labels: { command: "help", status: "ok" }, value: 2 },
          { labels: { command: "", status: "unknown" }, value: 1 },
        ],
      },
      { name: "mchlink_bot_up", type: "gauge", help: "Up.", samples: [{ value: 1 }] },
    ]);
    expect(text).toBe(
      [
        "# HELP mchlink_commands_total Commands handled.",
        "# TYPE mchlink_commands_total counter",
        'mchlink_commands_total{command="help",status="ok"} 2',
        'mchlink_commands_total{command="",status="unknown"} 1',
        "# HELP mchlink_bot_up Up.",
        "# TYPE mchlink_bot_up gauge",
        "mchlink_bot_up 1",
        "",
      ].join("\n"),
    );
  });

  it("escapes label values and help text, spells special values, and leaves out empty families", () => {
    const text = renderExposition([
      { name: "a", type: "gauge", help: "line one\nback\\slash", samples: [{ labels: { l: 'q"uote\\ new\nline' }, value: NaN }, { value: Infinity }, { value: -Infinity }, { value: 0.25 }] },
      { name: "empty", type: "counter", help: "nothing yet", samples: [] },
    ]);
    expect(text).toContain("# HELP a line one\\nback\\\\slash\n");
    expect(text).toContain('a{l="q\\"uote\\\\ new\\nline"} NaN\n');
    expect(text).toContain("a +Inf\na -Inf\na 0.25\n");
    expect(text).not.toContain("empty");
    expect(renderExposition([])).toBe("");
  });

  it("refuses names Prometheus would reject", () => {
    expect(() => renderExposition([{ name: "bad-name", type: "gauge", help: "", samples: [{ value: 1 }] }])).toThrow(/invalid metric name/);
    expect(() => renderExposition([{ name: "ok", type: "gauge", help: "", samples: [{ labels: { "bad-label": "x" }, value: 1 }] }])).toThrow(/invalid label name/);
  });
});

describe("MCHLINK_METRICS", () => {
  it("defaults to loopback port 9464, and can be turned off or moved", () => {
    expect(parseMonitoringAddress(undefined)).toEqual({ ok: true, address: { host: "127.0.0.1", port: 9464 } });
    expect(parseMonitoringAddress("")).toEqual({ ok: true, address: { host: "127.0.0.1", port: 9464 } });
    expect(parseMonitoringAddress("off")).toEqual({ ok: true, address: undefined });
    expect(parseMonitoringAddress("9100")).toEqual({ ok: true, address: { host: "127.0.0.1", port: 9100 } });
    expect(parseMonitoringAddress("0.0.0.0:9464")).toEqual({ ok: true, address: { host: "0.0.0.0", port: 9464 } });
    expect(parseMonitoringAddress("[::1]:9464")).toEqual({ ok: true, address: { host: "::1", port: 9464 } });
  });

  it("says what is wrong with a bad value", () => {
    for (const bad of ["on", "host:", "1.2.3.4:99999", "::1:9464"]) {
      const parsed = parseMonitoringAddress(bad);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(/MCHLINK_METRICS must be "off", a port, or HOST:PORT/);
    }
  });
});

describe("the bot's health", () => {
  it("is unhealthy until the first sync, healthy while syncs come, unhealthy when they stop coming", () => {
    const clock = new ManualClock(1_000_000);
    const metrics = new BotMetrics({ store: new BotStore(":memory:"), clock, staleAfterMs: 90_000 });
    const client = new EventEmitter();
    const unwatch = metrics.watchSync(client as unknown as MatrixClient);
    expect(metrics.health()).toMatchObject({ ok: false, reason: "not synced with the homeserver yet" });
    client.emit("sync", "PREPARED");
    clock.advance(30_000);
    client.emit("sync", "ERROR"); // a failed request is not a sync
    expect(metrics.health()).toEqual({ ok: true, syncState: "ERROR", syncLagSeconds: 30 });
    clock.advance(61_000);
    expect(metrics.health()).toMatchObject({ ok: false, syncLagSeconds: 91, reason: expect.stringMatching(/^no successful sync for 91 s/) });
    client.emit("sync", "SYNCING");
    expect(metrics.health()).toMatchObject({ ok: true, syncLagSeconds: 0 });
    unwatch();
    expect(client.listenerCount("sync")).toBe(0);
  });
});
