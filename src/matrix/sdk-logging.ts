// matrix-js-sdk logs at debug level through `console` (its own client logger, and loggers that
// modules make from its global one, such as MatrixRTCSession's), and the Rust crypto WASM traces at
// debug level too. Both drown real logs and may carry identifiers: keep warnings and errors, in pino.
import * as RustSdkCryptoJs from "@matrix-org/matrix-sdk-crypto-wasm";
import { logger as sdkRootLogger, type Logger as SdkLogger } from "matrix-js-sdk/lib/logger.js";
import type { Logger } from "pino";

type LogMethod = (...msg: unknown[]) => void;

// loglevel's plugin interface, which the js-sdk's global logger is built on.
interface Loglevel {
  methodFactory: (methodName: string, level: unknown, loggerName: unknown) => LogMethod;
  rebuild(): void;
}

let routed = false;

/**
 * Routes matrix-js-sdk and the Rust crypto's logs to `log` at warn level and above. Returns the
 * logger to pass to `createClient({ logger })`. Call before `initRustCrypto`; idempotent.
 */
export async function routeMatrixSdkLogs(log: Logger): Promise<SdkLogger> {
  const warn: LogMethod = (...msg) => log.warn({ sdk: msg.map(String).join(" ") });
  const error: LogMethod = (...msg) => log.error({ sdk: msg.map(String).join(" ") });
  const drop: LogMethod = () => {};
  const clientLogger: SdkLogger = { trace: drop, debug: drop, info: drop, warn, error, getChild: () => clientLogger };
  if (!routed) {
    // Loggers made later with getChild() copy this factory from the root.
    const root = sdkRootLogger as unknown as Loglevel;
    root.methodFactory = (methodName) => (methodName === "warn" ? warn : methodName === "error" ? error : drop);
    root.rebuild();
    await RustSdkCryptoJs.initAsync();
    new RustSdkCryptoJs.Tracing(RustSdkCryptoJs.LoggerLevel.Warn).turnOn();
    routed = true;
  }
  return clientLogger;
}
