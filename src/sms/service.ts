// The SMS shell: a loop of its own that plans the pages of fired ladder steps, sends
// them through Kannel and tells the experts' room about failures; and the HTTP endpoint
// Kannel calls with replies (MO) and delivery reports. Its own loop, never the ladder's:
// a gateway that is down or slow delays no step. Logs carry ids and outcomes, never an
// SMS's text, a code or a whole phone number.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { BotContext, Outgoing } from "../messaging/types.ts";
import { answerBySms, failureNotice, issueCode, phoneOf, planSmsPages, smsText } from "../consult/sms.ts";
import { smsStoreOf, type SmsPage } from "../consult/sms-store.ts";
import { consultStore } from "../consult/lifecycle.ts";
import { sendSms } from "./kannel.ts";
import { numberTail } from "./phone.ts";
import type { SmsSecrets } from "./secrets.ts";

export interface SmsContext extends BotContext {
  /** The bot's outbox: each message succeeds or fails on its own. */
  send(origin: string, roomId: string | undefined, out: Outgoing[]): Promise<unknown>;
}

export interface SmsServiceOptions {
  ctx: SmsContext;
  secrets: SmsSecrets;
  logger: Logger;
  /** How often pages are planned and sent (the ladder's tick by default). */
  tickMs?: number;
}

export class SmsService {
  private readonly ctx: SmsContext;
  private readonly opts: SmsServiceOptions;
  private readonly log: Logger;
  private server: Server | undefined;
  private timer: NodeJS.Timeout | undefined;
  private cycling: Promise<void> | undefined;
  private stopped = false;

  constructor(opts: SmsServiceOptions) {
    this.opts = opts;
    this.ctx = opts.ctx;
    this.log = opts.logger;
  }

  /** The callback base Kannel reaches the bot at, with the secret path. */
  get callbackBase(): string {
    const sms = this.ctx.province.sms!;
    return `${(sms.callback ?? `http://${sms.listen}`).replace(/\/+$/u, "")}/sms/${this.opts.secrets.callback_token}`;
  }

  async start(): Promise<void> {
    const sms = this.ctx.province.sms!;
    // Before any answer can come in: codes an older version kept in plain text (migration 6).
    const hashed = smsStoreOf(this.ctx.store.db).hashLegacyCodes(this.opts.secrets.hash_key);
    if (hashed > 0) this.log.info({ codes: hashed }, "hashed the one-time codes of pages sent before the upgrade");
    const [host, port] = [sms.listen.slice(0, sms.listen.lastIndexOf(":")), Number(sms.listen.slice(sms.listen.lastIndexOf(":") + 1))];
    const server = createServer((req, res) => this.onRequest(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    this.timer = setInterval(() => this.cycle(), this.opts.tickMs ?? 15_000);
    this.cycle();
    this.log.info({ listen: sms.listen }, "SMS paging on; Kannel's replies and delivery reports are taken here");
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.cycling;
    // close() waits for every open connection; a Kannel request still open would hold stop() (and
    // the bot's shutdown) until it ended, so connections are cut before waiting, not after.
    const closed = new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
    await closed;
  }

  /** One round; a round still running is not started twice. */
  private cycle(): void {
    if (this.cycling || this.stopped) return;
    this.cycling = this.round()
      .catch((err: unknown) => this.log.error({ err: err instanceof Error ? err.message : String(err) }, "SMS round failed; tried again at the next"))
      .finally(() => (this.cycling = undefined));
  }

  private async round(): Promise<void> {
    planSmsPages(this.ctx);
    const store = smsStoreOf(this.ctx.store.db);
    for (const page of store.pending()) {
      if (this.stopped) return;
      await this.sendPage(page);
    }
    for (const page of store.untoldFailures()) {
      if (this.stopped) return;
      this.post(`sms-failed:${page.id}`, failureNotice(this.ctx, page, page.failure!), () => store.markFailureTold(page.id));
    }
  }

  /** Messages to Matrix go out beside the SMS loop: a homeserver that is down (sends are retried until it is back) holds back no page. */
  private readonly posting = new Set<string>();
  private post(origin: string, out: Outgoing[], sent: () => void = () => {}): void {
    if (this.posting.has(origin)) return;
    this.posting.add(origin);
    this.ctx
      .send(origin, undefined, out)
      .then(sent, (err: unknown) =>
        this.log.warn({ origin, err: err instanceof Error ? err.message : String(err) }, "could not post an SMS notice; tried again at the next round if it is a failure notice"),
      )
      .finally(() => this.posting.delete(origin));
  }

  private async sendPage(page: SmsPage): Promise<void> {
    const store = smsStoreOf(this.ctx.store.db);
    const consult = consultStore(this.ctx).get(page.caseId);
    // Answered in Element (or closed) while the page waited its turn: it would wake someone for nothing.
    if (consult?.status !== "open" || consult.firstResponseAt !== undefined) return store.markCancelled(page.id);
    const phone = phoneOf(this.ctx, page.userId);
    // The province file lost the number since the page was planned.
    if (phone === undefined) return store.markFailed(page.id, "no_phone", this.ctx.clock.now());
    const sms = this.ctx.province.sms!;
    const text = smsText(this.ctx.province, consult, page.language, issueCode(this.ctx, this.opts.secrets.hash_key, page));
    const result = await sendSms(sms.gateway, this.opts.secrets, {
      to: phone,
      from: sms.sender,
      text: text.text,
      encoding: text.encoding,
      dlrUrl: `${this.callbackBase}/dlr?page=${page.id}&type=%d`,
    });
    const now = this.ctx.clock.now();
    const meta = { page: page.id, case_id: page.caseId, to: numberTail(phone), encoding: text.encoding, segments: text.segments };
    if (result.ok) {
      store.markSent(page.id, now);
      this.log.info(meta, "SMS page handed to the gateway");
    } else {
      store.markFailed(page.id, result.failure, now);
      this.log.warn({ ...meta, failure: result.failure, detail: result.detail }, "SMS page did not go out; the experts' room is told");
    }
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://bot");
    const prefix = `/sms/${this.opts.secrets.callback_token}/`;
    // Kannel's answer to the sender is our body: empty (with `omit-empty`), so no SMS goes back.
    const done = (status: number) => {
      res.writeHead(status, { "content-type": "text/plain" });
      res.end("");
    };
    if (req.method !== "GET" || !url.pathname.startsWith(prefix)) return done(404);
    const route = url.pathname.slice(prefix.length);
    try {
      if (route === "dlr") {
        const id = Number(url.searchParams.get("page"));
        const type = Number(url.searchParams.get("type"));
        if (!Number.isInteger(id) || !Number.isInteger(type)) return done(400);
        smsStoreOf(this.ctx.store.db).recordDelivery(id, type, this.ctx.clock.now());
        this.log.info({ page: id, type }, "SMS delivery report");
        this.cycle(); // an undelivered page is told in the experts' room without waiting for the next round
        return done(200);
      }
      if (route === "mo") {
        const from = url.searchParams.get("from") ?? "";
        const text = url.searchParams.get("text") ?? "";
        const result = answerBySms(this.ctx, this.opts.secrets.hash_key, { from, text });
        const meta = { from: numberTail(from), case_id: result.caseId, outcome: result.outcome };
        if (result.outcome === "acknowledged" || result.outcome === "repeated") {
          // Recorded already (the ladder has stopped); the thread is told beside Kannel's request.
          this.log.info(meta, "SMS answer acknowledged a consult");
          this.post(result.origin!, result.outgoing);
        } else {
          this.log.warn(meta, "SMS answer ignored");
        }
        return done(200);
      }
      return done(404);
    } catch (err) {
      this.log.error({ err: err instanceof Error ? err.message : String(err), route }, "SMS callback failed");
      return done(500);
    }
  }
}
