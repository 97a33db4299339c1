// MatrixHttp's retry rules against a local HTTP server that misbehaves on purpose.
import { createServer, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { MatrixError, MatrixHttp } from "../../src/matrix/http.ts";

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function serve(answers: Array<{ status: number; body: unknown; headers?: Record<string, string> }>): Promise<{ url: string; hits: number[] }> {
  const hits: number[] = [];
  server = createServer((_req, res) => {
    hits.push(Date.now());
    const a = answers[Math.min(hits.length - 1, answers.length - 1)]!;
    res.writeHead(a.status, { "content-type": "application/json", ...a.headers });
    res.end(JSON.stringify(a.body));
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", () => r()));
  const addr = server.address() as { port: number };
  return { url: `http://127.0.0.1:${addr.port}`, hits };
}

describe("MatrixHttp", () => {
  it("waits as long as a 429 asks, then succeeds", async () => {
    const { url, hits } = await serve([
      { status: 429, body: { errcode: "M_LIMIT_EXCEEDED", retry_after_ms: 300 } },
      { status: 200, body: { ok: true } },
    ]);
    const res = await new MatrixHttp({ baseUrl: url }).get("/x");
    expect(res).toEqual({ ok: true });
    expect(hits).toHaveLength(2);
    expect(hits[1]! - hits[0]!).toBeGreaterThanOrEqual(290);
  });

  it("backs off on 5xx and gives up with a clear error after its retries", async () => {
    const { url, hits } = await serve([{ status: 502, body: { errcode: "M_UNKNOWN", error: "bad gateway" } }]);
    const err = await new MatrixHttp({ baseUrl: url, retries: 3, backoffMs: 20 }).post("/_synapse/admin/v2/users/x", {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MatrixError);
    expect((err as MatrixError).status).toBe(502);
    expect((err as Error).message).toBe("POST /_synapse/admin/v2/users/x failed: HTTP 502 M_UNKNOWN: bad gateway (gave up after 3 retries)");
    expect(hits).toHaveLength(4);
    // Exponential: the gaps grow.
    expect(hits[3]! - hits[2]!).toBeGreaterThan(hits[1]! - hits[0]!);
  });

  it("does not retry a 4xx, and keeps the server's answer", async () => {
    const { url, hits } = await serve([{ status: 403, body: { errcode: "M_FORBIDDEN", error: "no", session: "s1" } }]);
    const err = (await new MatrixHttp({ baseUrl: url }).get("/y").catch((e: unknown) => e)) as MatrixError;
    expect(err.errcode).toBe("M_FORBIDDEN");
    expect(err.body.session).toBe("s1");
    expect(hits).toHaveLength(1);
  });

  it("says the homeserver cannot be reached, without a token in the message", async () => {
    const token = ["syt", "not", "a", "real", "token"].join("_"); // built here so no token-like literal sits in the repo
    const err = (await new MatrixHttp({ baseUrl: "http://127.0.0.1:9", accessToken: token, retries: 1, backoffMs: 10 }).get(`/z?access_token=${token}`).catch((e: unknown) => e)) as MatrixError;
    expect(err.message).toContain("cannot reach the homeserver at http://127.0.0.1:9");
    expect(err.message).not.toContain(token);
  });
});
