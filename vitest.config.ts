import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Integration tests start real Synapses; two cores, so keep files from piling up.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ["test/support/global-setup.ts"],
    // Bots that tests start as `mchlink bot` processes serve no monitoring port unless a test asks.
    env: { MCHLINK_METRICS: "off" },
  },
});
