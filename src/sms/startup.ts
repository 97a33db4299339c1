// Starting SMS paging beside the bot. It is an extra: when it cannot start the bot runs
// on without it, but says so, in its log (with the detail) and in the experts' room (the
// reason's kind only) when ladder steps page by SMS, so that nobody trusts a page that
// will not go out.
import type { Logger } from "pino";
import type { Deployment } from "../homeserver/deployment.ts";
import { smsOffNotice, type SmsOffReason } from "../consult/sms.ts";
import { readSmsSecrets } from "./secrets.ts";
import { SmsService, type SmsContext } from "./service.ts";

export type SmsStart = { state: "not_configured" } | { state: "on"; service: SmsService } | { state: "off"; reason: SmsOffReason };

export interface StartSmsOptions {
  ctx: SmsContext;
  deployment: Deployment;
  logger: Logger;
  tickMs?: number;
}

export async function startSmsPaging(opts: StartSmsOptions): Promise<SmsStart> {
  const { ctx, logger } = opts;
  if (!ctx.province.sms) return { state: "not_configured" };
  const off = (reason: SmsOffReason): SmsStart => {
    // Once per start: the origin carries the start time, so a restart that fails again says so again.
    const notice = smsOffNotice(ctx, reason);
    if (notice.length > 0) {
      ctx
        .send(`sms-off:${ctx.clock.now()}`, undefined, notice)
        .catch((err: unknown) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, "could not tell the experts' room that SMS paging is off"));
    }
    return { state: "off", reason };
  };
  const secrets = readSmsSecrets(opts.deployment);
  if (!secrets.ok) {
    logger.error({ problem: secrets.error }, "SMS paging is off: its secrets cannot be read; the experts' room is told");
    return off("secrets");
  }
  const service = new SmsService({ ctx, secrets: secrets.secrets, logger, ...(opts.tickMs !== undefined ? { tickMs: opts.tickMs } : {}) });
  try {
    await service.start();
    return { state: "on", service };
  } catch (err) {
    logger.error({ err: err instanceof Error ? err.message : String(err), listen: ctx.province.sms.listen }, "SMS paging is off: cannot listen for Kannel there; the experts' room is told");
    await service.stop();
    return off("listen");
  }
}
