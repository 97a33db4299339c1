// Kannel's smsbox over HTTP: `sendsms` for a page, with a delivery-report URL that
// names the page. The gateway speaks SMPP to the operator (or drives a GSM modem);
// we speak only this. Every outcome is a value: the pager records it and goes on.
import type { SmsEncoding } from "./segments.ts";

export interface GatewayCredentials {
  username: string;
  password: string;
}

export interface SendRequest {
  to: string;
  from: string;
  text: string;
  encoding: SmsEncoding;
  /** Kannel calls it back with the delivery reports (`%d` becomes the report type). */
  dlrUrl: string;
}

export type SendResult = { ok: true } | { ok: false; failure: "unreachable" | "rejected"; detail: string };

/** Delivered (1), not delivered (2), accepted by the operator (8), rejected by it (16). */
export const DLR_MASK = 1 | 2 | 8 | 16;

export async function sendSms(gateway: string, credentials: GatewayCredentials, sms: SendRequest, timeoutMs = 10_000): Promise<SendResult> {
  const url = new URL("/cgi-bin/sendsms", gateway);
  const params: Record<string, string> = {
    username: credentials.username,
    password: credentials.password,
    to: sms.to,
    from: sms.from,
    text: sms.text,
    charset: "UTF-8",
    // 0: the GSM-7 alphabet; 2: UCS-2, which Lao needs.
    coding: sms.encoding === "ucs2" ? "2" : "0",
    "dlr-mask": String(DLR_MASK),
    "dlr-url": sms.dlrUrl,
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { ok: false, failure: "unreachable", detail: cause ?? (err instanceof Error ? err.name : "error") };
  }
  const body = (await res.text().catch(() => "")).trim().slice(0, 120);
  // 202 "0: Accepted for delivery" or "3: Queued for later delivery"; anything else is a refusal.
  if (res.status >= 200 && res.status < 300) return { ok: true };
  return { ok: false, failure: res.status >= 500 && res.status !== 503 ? "unreachable" : "rejected", detail: `${res.status} ${body}` };
}
