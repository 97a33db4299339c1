// matrix-js-sdk and the Rust crypto (WebAssembly) are chatty at debug level and
// print through `console` unless told otherwise. Both are routed into pino at
// warn level: the logs stay readable, and nothing they print at debug level
// (identifiers, request details) reaches the bot's log.
import { format } from "node:util";
import * as RustSdkCryptoJs from "@matrix-org/matrix-sdk-crypto-wasm";
import { logger as sdkGlobalLogger, type Logger as SdkLogger } from "matrix-js-sdk/lib/logger.js";
import type { Logger } from "pino";

/** Long opaque strings that could be tokens or keys never reach the log. */
export function scrub(text: string): string {
  return text.replace(/syt_[A-Za-z0-9_]+/g, "syt_<redacted>").replace(/("?(access_token|password|recovery_key|refresh_token)"?\s*[:=]\s*)"?[^"\s,}]+"?/gi, "$1<redacted>");
}

export function sdkLogger(logger: Logger, namespace = "matrix-js-sdk"): SdkLogger {
  const child = logger.child({ source: namespace });
  const quiet = () => {};
  return {
    trace: quiet,
    debug: quiet,
    info: quiet,
    warn: (...msg: unknown[]) => child.warn(scrub(format(...msg))),
    error: (...msg: unknown[]) => child.error(scrub(format(...msg))),
    getChild: (ns: string) => sdkLogger(logger, `${namespace}:${ns}`),
  };
}

let routed = false;

/** Once per process: Rust crypto tracing at warn, and `console` into pino. */
export async function routeLibraryLogs(logger: Logger): Promise<void> {
  if (routed) return;
  routed = true;
  // The global logger is loglevel underneath (setLevel is not in its type).
  (sdkGlobalLogger as unknown as { setLevel(level: string): void }).setLevel("warn");
  await RustSdkCryptoJs.initAsync();
  const child = logger.child({ source: "console" });
  console.log = console.info = console.debug = console.trace = () => {};
  console.warn = (...msg: unknown[]) => child.warn(scrub(format(...msg)));
  console.error = (...msg: unknown[]) => child.error(scrub(format(...msg)));
  new RustSdkCryptoJs.Tracing(RustSdkCryptoJs.LoggerLevel.Warn).turnOn();
}
