// A reverse proxy in front of a real Synapse that answers some requests itself,
// with a 429 (M_LIMIT_EXCEEDED, retry_after_ms) or a 5xx, as an overloaded
// homeserver or a struggling reverse proxy does. Everything else goes through
// untouched, so what the clients finally get is the real server's answer.
import { createServer, request, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** The status the proxy answers with itself, or undefined to pass the request through. */
export type FaultPolicy = (req: { method: string; path: string; n: number }) => 429 | 500 | 502 | 503 | undefined;

export interface FlakyProxy {
  url: string;
  /** Replaced at will; starts passing everything through. */
  policy: FaultPolicy;
  readonly counts: { requests: number; rateLimited: number; serverErrors: number };
  close(): Promise<void>;
}

export async function startFlakyProxy(upstream: string): Promise<FlakyProxy> {
  const target = new URL(upstream);
  const counts = { requests: 0, rateLimited: 0, serverErrors: 0 };
  const proxy: Omit<FlakyProxy, "url" | "close"> = { policy: () => undefined, counts };
  const server = createServer((req: IncomingMessage, res) => {
    const n = ++counts.requests;
    const fault = proxy.policy({ method: req.method ?? "GET", path: req.url ?? "/", n });
    if (fault !== undefined) {
      req.resume(); // read and drop the body
      if (fault === 429) counts.rateLimited++;
      else counts.serverErrors++;
      const body =
        fault === 429 ? { errcode: "M_LIMIT_EXCEEDED", error: "Too many requests (flaky proxy)", retry_after_ms: 200 } : { errcode: "M_UNKNOWN", error: "Internal server error (flaky proxy)" };
      res.writeHead(fault, { "content-type": "application/json" }).end(JSON.stringify(body));
      return;
    }
    const upstreamReq = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (upstreamRes) => {
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
      upstreamRes.pipe(res);
    });
    upstreamReq.on("error", () => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ errcode: "M_UNKNOWN", error: "upstream unreachable" }));
    });
    req.pipe(upstreamReq);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(proxy, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
