// Kannel's configuration (bearerbox + smsbox in one file), rendered from the deployment:
// which SMS centre it talks to, where it listens, the sendsms account, and the bot's
// callback for replies (MO) and delivery reports. The rendered file holds secrets and
// is written 0600 by its callers.
import type { SmsSecrets } from "./secrets.ts";

/** What Kannel talks to: the fake SMS centre (tests, `npm run up`), an operator's SMPP account, or a GSM modem. */
export type SmsCentre =
  | { kind: "fake"; port: number }
  | { kind: "smpp"; host: string; port: number; systemId: string; password: string; sourceAddress?: string }
  | { kind: "modem"; device: string; pin?: string };

export interface KannelSettings {
  /** Logs and the message spool. */
  dir: string;
  /** Address smsbox's sendsms port binds to: 127.0.0.1 locally, 0.0.0.0 inside the compose network. */
  sendsmsInterface: string;
  /** Who may call sendsms (Kannel's `user-allow-ip`), e.g. `127.0.0.1` or `*.*.*.*` on the compose network. */
  allowIp: string;
  ports: { admin: number; smsbox: number; sendsms: number };
  adminPassword: string;
  centre: SmsCentre;
  secrets: SmsSecrets;
  /** The bot's callback base, secret path included: `http://127.0.0.1:13080/sms/<token>`. */
  callbackBase: string;
}

/**
 * Kannel's log level for its files and (as `-v`) its console: 2, warnings and errors. At 1 (info)
 * smsbox logs `sendsms ... to:<number> msg:<text>` for every page and each answer's sender and
 * text; at 0 (debug, the console's default) it also prints the configuration, passwords included.
 * An answer that cannot reach the bot is still logged as an error with its URL (sender and text).
 */
export const KANNEL_LOG_LEVEL = 2;

const q = (value: string | number) => {
  const text = String(value);
  if (/["\n\r]/u.test(text)) throw new Error("a Kannel setting cannot contain a quote or a line break (the value is not shown: it may be a password)");
  return `"${text}"`;
};

export function renderKannelConfig(s: KannelSettings): string {
  const groups: string[][] = [
    [
      "group = core",
      `admin-port = ${s.ports.admin}`,
      `admin-password = ${q(s.adminPassword)}`,
      "admin-interface = 127.0.0.1",
      `smsbox-port = ${s.ports.smsbox}`,
      "smsbox-interface = 127.0.0.1",
      "box-allow-ip = 127.0.0.1",
      `log-file = ${q(`${s.dir}/bearerbox.log`)}`,
      // Warnings and errors only: at info (1) smsbox writes every page's number and text, its
      // one-time code included, and every answer, into its log (KANNEL_LOG_LEVEL).
      `log-level = ${KANNEL_LOG_LEVEL}`,
      // Messages survive a restart of the gateway.
      "store-type = spool",
      `store-location = ${q(`${s.dir}/spool`)}`,
      "dlr-storage = internal",
    ],
    centreGroup(s.centre),
    [
      "group = smsbox",
      "bearerbox-host = 127.0.0.1",
      `bearerbox-port = ${s.ports.smsbox}`,
      `sendsms-port = ${s.ports.sendsms}`,
      `sendsms-interface = ${s.sendsmsInterface}`,
      `log-file = ${q(`${s.dir}/smsbox.log`)}`,
      `log-level = ${KANNEL_LOG_LEVEL}`,
      // Lao replies arrive as UCS-2; hand them to the bot as UTF-8.
      "mo-recode = true",
    ],
    ["group = sendsms-user", `username = ${q(s.secrets.username)}`, `password = ${q(s.secrets.password)}`, `user-allow-ip = ${q(s.allowIp)}`, "max-messages = 3", "concatenation = true"],
    [
      // Every SMS that comes in goes to the bot; its empty answer means no SMS goes back.
      "group = sms-service",
      "keyword = default",
      "catch-all = yes",
      `get-url = ${q(`${s.callbackBase}/mo?from=%p&to=%P&text=%a`)}`,
      "max-messages = 0",
      "omit-empty = yes",
      "accept-x-kannel-headers = no",
    ],
  ];
  return groups.map((g) => g.join("\n")).join("\n\n") + "\n";
}

function centreGroup(c: SmsCentre): string[] {
  switch (c.kind) {
    case "fake":
      return ["group = smsc", "smsc = fake", "smsc-id = fake", `port = ${c.port}`, "connect-allow-ip = 127.0.0.1"];
    case "smpp":
      return [
        "group = smsc",
        "smsc = smpp",
        "smsc-id = operator",
        `host = ${q(c.host)}`,
        `port = ${c.port}`,
        "transceiver-mode = true",
        `smsc-username = ${q(c.systemId)}`,
        `smsc-password = ${q(c.password)}`,
        ...(c.sourceAddress ? [`source-addr-ton = 1`, `source-addr-npi = 1`, `my-number = ${q(c.sourceAddress)}`] : []),
        "dest-addr-ton = 1",
        "dest-addr-npi = 1",
        "enquire-link-interval = 30",
        "reconnect-delay = 10",
      ];
    case "modem":
      return ["group = smsc", "smsc = at", "smsc-id = modem", `device = ${q(c.device)}`, "modemtype = auto", ...(c.pin ? [`pin = ${q(c.pin)}`] : []), "sim-buffering = true", "keepalive = 30"];
  }
}
