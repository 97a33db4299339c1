// A small client for the Matrix client-server and Synapse admin APIs, used by
// the CLI and provisioning. It retries what is worth retrying (429 with the
// server's retry_after_ms, 5xx and connection errors, with backoff) and turns
// everything else into a MatrixError that says which call failed and why. The waits are
// the bot's too (src/util/backoff.ts).
import { backoffDelay, BACKOFF, isRetriableStatus, type Backoff } from "../util/backoff.ts";

export class MatrixError extends Error {
  readonly status: number;
  readonly errcode: string | undefined;
  readonly method: string;
  readonly path: string;
  /** The server's JSON answer (user-interactive auth puts its session here). */
  readonly body: Record<string, unknown>;
  constructor(method: string, path: string, status: number, errcode: string | undefined, detail: string, body: Record<string, unknown> = {}) {
    super(`${method} ${redactPath(path)} failed: ${status === 0 ? "" : `HTTP ${status} `}${errcode ? `${errcode}: ` : ""}${detail}`);
    this.status = status;
    this.errcode = errcode;
    this.method = method;
    this.path = path;
    this.body = body;
  }
}

/** Paths never carry secrets here, but query strings might; keep logs clean. */
function redactPath(path: string): string {
  return path.replace(/([?&](access_token|password)=)[^&]*/g, "$1<redacted>");
}

export interface HttpOptions {
  baseUrl: string;
  accessToken?: string;
  /** How many times to retry 429/5xx/network errors before giving up. */
  retries?: number;
  /** First backoff for 5xx and network errors; doubles each time. */
  backoffMs?: number;
  /** Longest single wait, even if the server asks for more. */
  maxWaitMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class MatrixHttp {
  readonly baseUrl: string;
  accessToken: string | undefined;
  private readonly retries: number;
  private readonly backoff: Backoff;

  constructor(opts: HttpOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, "");
    this.accessToken = opts.accessToken;
    this.retries = opts.retries ?? 6;
    this.backoff = { firstMs: opts.backoffMs ?? BACKOFF.firstMs, maxMs: opts.maxWaitMs ?? BACKOFF.maxMs };
  }

  withToken(accessToken: string): MatrixHttp {
    return new MatrixHttp({ baseUrl: this.baseUrl, accessToken, retries: this.retries, backoffMs: this.backoff.firstMs, maxWaitMs: this.backoff.maxMs });
  }

  async request<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    let attempt = 0;
    for (;;) {
      let res: Response;
      try {
        res = await fetch(this.baseUrl + path, {
          method,
          headers: {
            ...(body === undefined ? {} : { "content-type": "application/json" }),
            ...(this.accessToken ? { authorization: `Bearer ${this.accessToken}` } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(60_000),
        });
      } catch (err) {
        if (attempt++ < this.retries) {
          await sleep(backoffDelay(attempt - 1, this.backoff));
          continue;
        }
        const reason = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
        throw new MatrixError(method, path, 0, undefined, `cannot reach the homeserver at ${this.baseUrl} (${reason}); is it running?`);
      }
      const text = await res.text();
      let json: Record<string, unknown> = {};
      try {
        json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        json = {};
      }
      if (res.ok) return json as T;
      const retriable = isRetriableStatus(res.status);
      if (retriable && attempt++ < this.retries) {
        const asked = typeof json.retry_after_ms === "number" ? json.retry_after_ms : Number(res.headers.get("retry-after") ?? NaN) * 1000;
        await sleep(backoffDelay(attempt - 1, this.backoff, asked));
        continue;
      }
      const errcode = typeof json.errcode === "string" ? json.errcode : undefined;
      const detail = typeof json.error === "string" ? json.error : text.slice(0, 200) || res.statusText;
      throw new MatrixError(method, path, res.status, errcode, retriable ? `${detail} (gave up after ${this.retries} retries)` : detail, json);
    }
  }

  get<T = Record<string, unknown>>(path: string): Promise<T> {
    return this.request<T>("GET", path);
  }
  post<T = Record<string, unknown>>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>("POST", path, body);
  }
  put<T = Record<string, unknown>>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>("PUT", path, body);
  }
  delete<T = Record<string, unknown>>(path: string): Promise<T> {
    return this.request<T>("DELETE", path);
  }
}

export const enc = encodeURIComponent;
