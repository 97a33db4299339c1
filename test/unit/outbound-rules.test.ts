import { describe, expect, it } from "vitest";
import { renderHomeserverConfig, type HomeserverSettings } from "../../src/homeserver/config.ts";

const settings = (profile: HomeserverSettings["profile"]): HomeserverSettings => ({
  serverName: "matrix.bokeo-health.example",
  publicBaseUrl: "https://matrix.bokeo-health.example/",
  clientPort: 8008,
  bindAddress: "0.0.0.0",
  xForwarded: true,
  federationPartners: [],
  retention: { minLifetime: "1d", maxLifetime: "730d" },
  profile,
});

describe("Synapse's outbound address rules (pushes go through them)", () => {
  it("production keeps Synapse's default blacklist: no private, loopback or link-local address is allowed", () => {
    const config = renderHomeserverConfig(settings("production"));
    expect(config.ip_range_blacklist).toBeUndefined(); // Synapse's default list applies
    expect(config.ip_range_whitelist).toBeUndefined();
  });

  it("the test profile allows loopback only, for the push test's ntfy", () => {
    const config = renderHomeserverConfig(settings("test"));
    expect(config.ip_range_whitelist).toEqual(["127.0.0.0/8"]);
    expect(config.ip_range_blacklist).toBeUndefined();
  });
});
