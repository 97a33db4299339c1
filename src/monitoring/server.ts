// The bot's monitoring endpoint: GET /healthz (200 or 503, JSON) and GET /metrics
// (Prometheus text). Loopback by default: it says how busy the clinical service is,
// which is nobody's business outside the server. A container sets 0.0.0.0 so that
// Prometheus on the compose network can scrape it; the TLS proxy never forwards it.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { BotMetrics } from "./bot-metrics.ts";
import { EXPOSITION_CONTENT_TYPE } from "./exposition.ts";

export interface MonitoringAddress {
  host: string;
  /** 0: any free port (tests). */
  port: number;
}

export const DEFAULT_MONITORING_ADDRESS = "127.0.0.1:9464";

export type ParsedAddress = { ok: true; address: MonitoringAddress | undefined } | { ok: false; error: string };

/**
 * MCHLINK_METRICS: unset or empty → 127.0.0.1:9464; "off" → no endpoint;
 * "PORT" → 127.0.0.1:PORT; "HOST:PORT" or "[IPv6]:PORT".
 */
export function parseMonitoringAddress(value: string | undefined): ParsedAddress {
  const text = (value ?? "").trim() || DEFAULT_MONITORING_ADDRESS;
  if (text === "off") return { ok: true, address: undefined };
  const match = /^(?:(\[[0-9a-fA-F:.]+\]|[^:[\]]+):)?(\d+)$/.exec(text);
  const port = match ? Number(match[2]) : NaN;
  if (!match || !Number.isInteger(port) || port > 65535) {
    return { ok: false, error: `MCHLINK_METRICS must be "off", a port, or HOST:PORT (e.g. ${DEFAULT_MONITORING_ADDRESS}); found ${JSON.stringify(value)}` };
  }
  const host = match[1]?.replace(/^\[|\]$/g, "") ?? "127.0.0.1";
  return { ok: true, address: { host, port } };
}

export interface MonitoringServer {
  /** e.g. http://127.0.0.1:9464 */
  readonly url: string;
  close(): Promise<void>;
}

function respond(res: ServerResponse, status: number, type: string, body: string, head: boolean): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store", "content-length": Buffer.byteLength(body) });
  res.end(head ? undefined : body);
}

function handle(req: IncomingMessage, res: ServerResponse, metrics: BotMetrics, logger: Logger): void {
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  const head = req.method === "HEAD";
  if (req.method !== "GET" && !head) {
    res.setHeader("allow", "GET, HEAD");
    return respond(res, 405, "text/plain; charset=utf-8", "method not allowed\n", head);
  }
  try {
    if (path === "/metrics") return respond(res, 200, EXPOSITION_CONTENT_TYPE, metrics.exposition(), head);
    if (path === "/healthz") {
      const h = metrics.health();
      const body = JSON.stringify({ status: h.ok ? "ok" : "unhealthy", ...(h.reason ? { reason: h.reason } : {}), sync_state: h.syncState, sync_lag_seconds: h.syncLagSeconds ?? null });
      return respond(res, h.ok ? 200 : 503, "application/json", body + "\n", head);
    }
    return respond(res, 404, "text/plain; charset=utf-8", "not found: try /healthz or /metrics\n", head);
  } catch (err) {
    logger.error({ path, err: err instanceof Error ? err.message : String(err) }, "monitoring endpoint failed");
    return respond(res, 500, "text/plain; charset=utf-8", "internal error; see the bot's log\n", head);
  }
}

export async function startMonitoringServer(opts: { address: MonitoringAddress; metrics: BotMetrics; logger: Logger }): Promise<MonitoringServer> {
  const server = createServer((req, res) => handle(req, res, opts.metrics, opts.logger));
  // Scrapers keep connections open; they must not hold up the bot's shutdown.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.address.port, opts.address.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const bound = server.address();
  const port = typeof bound === "object" && bound ? bound.port : opts.address.port;
  const host = opts.address.host.includes(":") ? `[${opts.address.host}]` : opts.address.host;
  const url = `http://${host}:${port}`;
  opts.logger.info({ url }, "serving /healthz and /metrics");
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
