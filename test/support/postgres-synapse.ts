// Synapse on a throwaway PostgreSQL (test/support/postgres.ts) with the
// production profile's own database section: psycopg2, the password read from a
// pgpass file in the data folder, only host and port pointed at the test
// cluster. Shared by the worker-mode tests and the benchmarks that compare the
// single process with workers on the same database engine.
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeSecretFile } from "../../src/util/files.ts";
import { mergeConfig } from "../../src/homeserver/config.ts";
import { productionDatabase, startTestPostgres, type TestPostgres } from "./postgres.ts";
import { startTestSynapse, type TestSynapse, type TestSynapseOptions } from "./synapse.ts";

/** A fresh `synapse` database and role on `pg`, and a data folder whose pgpass holds its password. */
export function postgresDataDir(pg: TestPostgres, database = "synapse"): string {
  const password = randomBytes(24).toString("base64url");
  pg.createDatabase(database, database, password);
  const dataDir = mkdtempSync(join(tmpdir(), "mchlink-synapse-"));
  writeSecretFile(join(dataDir, "pgpass"), `*:*:${database}:${database}:${password}\n`);
  return dataDir;
}

export interface PostgresSynapse {
  pg: TestPostgres;
  hs: TestSynapse;
  /** Stop Synapse, delete its folder, stop PostgreSQL. */
  destroy(): Promise<void>;
}

/** PostgreSQL, then a single-process Synapse on it. */
export async function startPostgresSynapse(opts: TestSynapseOptions = {}): Promise<PostgresSynapse> {
  const pg = await startTestPostgres();
  try {
    const dataDir = postgresDataDir(pg);
    const hs = await startTestSynapse({ ...opts, dataDir, overrides: mergeConfig(opts.overrides ?? {}, { database: productionDatabase(pg.port) }) });
    return {
      pg,
      hs,
      async destroy() {
        await hs.destroy();
        await pg.stop();
      },
    };
  } catch (err) {
    await pg.stop();
    throw err;
  }
}
