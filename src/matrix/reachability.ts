// Whether the bot's homeserver can reach another homeserver right now.
//
// A message to a room with a member on a partner's server is accepted by our homeserver
// whether or not the partner is up; Synapse finds out only through its own retries, a
// minute or more later, and keeps that to itself. So the bot asks, through its own
// homeserver: a device-key query for a user nobody has on that server, which Synapse
// cannot answer from its cache and forwards there. The answer follows the homeserver's
// own server discovery, certificate checks and allow-list: the path the message takes.
// Nothing is remembered: pages to partners are few, and a server in Synapse's backoff is
// answered at once.
import { Method, type MatrixClient } from "matrix-js-sdk";

/** A user nobody here shares a room with, so Synapse has no cached answer and must ask the server. */
const PROBE_LOCALPART = "mchlink-reachability-probe";

/** Those of `servers` the client's homeserver could not reach within `timeoutMs`. */
export async function unreachableServers(client: MatrixClient, servers: readonly string[], timeoutMs = 5_000): Promise<Set<string>> {
  const res = await client.http.authedRequest<{ failures?: Record<string, unknown> }>(Method.Post, "/keys/query", undefined, {
    device_keys: Object.fromEntries(servers.map((s) => [`@${PROBE_LOCALPART}:${s}`, []])),
    timeout: timeoutMs,
  });
  return new Set(servers.filter((s) => s in (res.failures ?? {})));
}
