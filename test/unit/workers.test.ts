// The worker layout's pure parts: which process the proxy sends a request to,
// and what the shared and per-worker configs say. The rendered files are also
// checked by Caddy, docker-compose and Synapse in deployment-config.test.ts.
import { describe, expect, it } from "vitest";
import { caddyRoutes, sharedWorkerConfig, workerConfig, WORKERS, type WorkerName, type WorkerNetwork } from "../../src/homeserver/workers.ts";

const net: WorkerNetwork = {
  bindAddress: "0.0.0.0",
  xForwarded: true,
  redis: { host: "redis", port: 6379 },
  mainReplication: { host: "synapse", port: 9093 },
  client: (name) => ({ host: `w-${name}`, port: 8008 }),
  replication: (name) => ({ host: `w-${name}`, port: 9093 }),
};

/** Where the proxy sends a path: the first worker whose documented patterns match, else the main process. */
function routeOf(path: string): WorkerName | "main" {
  return WORKERS.find((w) => w.routes.some((r) => new RegExp(r).test(path)))?.name ?? "main";
}

describe("the worker layout", () => {
  it("sends sync (also Element X's sliding sync) to the sync worker, sending to the event persister, reads to the client reader, media to the media worker", () => {
    expect(routeOf("/_matrix/client/v3/sync")).toBe("sync1");
    expect(routeOf("/_matrix/client/unstable/org.matrix.simplified_msc3575/sync")).toBe("sync1");
    expect(routeOf("/_matrix/client/v3/rooms/!r:x/send/m.room.message/t1")).toBe("events1");
    expect(routeOf("/_matrix/client/v3/rooms/!r:x/state/m.room.encryption/")).toBe("events1");
    expect(routeOf("/_matrix/client/v3/rooms/!r:x/state")).toBe("client1");
    expect(routeOf("/_matrix/client/v3/rooms/!r:x/messages")).toBe("client1");
    expect(routeOf("/_matrix/client/v3/keys/query")).toBe("client1");
    expect(routeOf("/_matrix/client/v3/login")).toBe("client1");
    expect(routeOf("/_matrix/client/v1/media/download/x/y")).toBe("media1");
    // Streams the main process still writes: to-device messages, typing, receipts, account data.
    expect(routeOf("/_matrix/client/v3/sendToDevice/m.room.encrypted/t2")).toBe("main");
    expect(routeOf("/_matrix/client/v3/rooms/!r:x/receipt/m.read/$e")).toBe("main");
    expect(routeOf("/_matrix/client/v3/user/@a:x/account_data/m.direct")).toBe("main");
  });

  it("routes each path to one worker at most: the patterns do not overlap", () => {
    const samples = [
      "/_matrix/client/v3/rooms/!r:x/state",
      "/_matrix/client/v3/rooms/!r:x/state/m.room.name/",
      "/_matrix/client/v3/rooms/!r:x/joined_members",
      "/_matrix/client/v3/rooms/!r:x/send/m.room.message/t",
    ];
    for (const path of samples) expect(WORKERS.filter((w) => w.routes.some((r) => new RegExp(r).test(path))).length, path).toBe(1);
  });

  it("keeps the admin API off the public site; the internal site sends the media admin API to the media worker", () => {
    const main = { host: "synapse", port: 8008 };
    expect(caddyRoutes(main, net, { admin: false })).not.toContain("/_synapse/admin");
    expect(caddyRoutes(main, net, { admin: true })).toContain("/_synapse/admin/v1/media/");
    expect(caddyRoutes(main, undefined, { admin: false })).toBe(
      "# Rendered by `mchlink render-config` from src/homeserver/workers.ts; render again instead of editing.\nhandle /_matrix/* {\n\treverse_proxy synapse:8008\n}\nhandle /_synapse/client/* {\n\treverse_proxy synapse:8008\n}\n",
    );
  });

  it("lists the main process and every stream writer in the instance map, and gives the media repository to the media worker alone", () => {
    const shared = sharedWorkerConfig(net, "/data/worker_replication_secret");
    expect(shared.instance_map).toEqual({ main: { host: "synapse", port: 9093 }, events1: { host: "w-events1", port: 9093 } });
    expect(shared).toMatchObject({
      stream_writers: { events: ["events1"] },
      enable_media_repo: false,
      media_instance_running_background_jobs: "media1",
      federation_sender_instances: ["federation_sender1"],
    });
    expect(JSON.stringify(shared)).not.toMatch(/"worker_replication_secret"/);
    expect(workerConfig(WORKERS.find((w) => w.name === "media1")!, net)).toMatchObject({ worker_name: "media1", enable_media_repo: true });
    const events = workerConfig(WORKERS.find((w) => w.name === "events1")!, net);
    expect((events.worker_listeners as Array<{ resources?: Array<{ names: string[] }> }>).map((l) => l.resources?.[0]?.names)).toEqual([["client"], ["replication"]]);
  });
});
