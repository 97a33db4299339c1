// The 10x roster (about 2,700 accounts, several provinces' worth) applied for
// real on PostgreSQL, the production database: `mchlink apply` from empty, a
// no-op re-apply, and Synapse's own admin-API user-creation and join rates on the
// same Synapse just before and after (bench/provisioning.ts's floor), so the
// time stands beside its floor instead of an extrapolation.
import { loadProvince } from "../src/config/load.ts";
import { postgresAvailability } from "../test/support/postgres.ts";
import { startPostgresSynapse } from "../test/support/postgres-synapse.ts";
import { newDeployment } from "../test/support/province.ts";
import { floorAndApply, PRODUCTION_HASHING, type ApplyFigure, type ProvisioningOptions } from "./provisioning.ts";
import { applyRows, floorText } from "./report.ts";
import { writeScaledRoster } from "./roster.ts";
import { median, round } from "./stats.ts";

export interface RosterPostgresResult {
  postgres: string;
  synapse: string;
  figure: ApplyFigure;
  /** The no-op re-apply goal of issue 15. */
  noopGoalMs: number;
}

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

export async function benchRosterOnPostgres(opts: ProvisioningOptions, factor: number): Promise<RosterPostgresResult> {
  const availability = postgresAvailability();
  if (!availability.ok) throw new Error(availability.reason);
  const { path, province } = writeScaledRoster(opts.configPath, factor, opts.tmpDir);
  const loaded = loadProvince(path);
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join("\n"));
  const stack = await startPostgresSynapse({ serverName: province.homeserver.server_name, overrides: PRODUCTION_HASHING });
  try {
    const postgres = stack.pg.query("SHOW server_version");
    log(`${factor}x roster on PostgreSQL ${postgres}`);
    const figure = await floorAndApply(stack.hs, newDeployment(stack.hs), path, province, factor, opts, 90 * 60_000);
    const { server_version: synapse } = await stack.hs.http.get<{ server_version: string }>("/_synapse/admin/v1/server_version");
    return { postgres, synapse, figure, noopGoalMs: 10_000 };
  } finally {
    await stack.destroy();
  }
}

export function rosterPostgresSection(r: RosterPostgresResult): string[] {
  const f = r.figure;
  const noop = median(f.noop.map((n) => n.ms));
  return [
    `## ${f.factor}x roster on PostgreSQL (issue 15)`,
    "",
    `${f.config}: the demo province with every provider repeated ${f.factor} times (bench/roster.ts), applied for real by \`mchlink apply\` (its own process, default concurrency 4) to a single-process Synapse on PostgreSQL ${r.postgres} ` +
      "(the production profile's database section; cluster made with docker-compose.yml's initdb arguments, `fsync=off` as in the test suite), " +
      `\`bcrypt_rounds: ${PRODUCTION_HASHING.bcrypt_rounds}\`, rate limits raised. Floor as in the provisioning section: Synapse's own admin-API rates on the same Synapse, just before and after the apply.`,
    "",
    "| | time | floor | ratio |",
    "| --- | --- | --- | --- |",
    ...applyRows(f),
    "",
    `- Floor: ${floorText(f)}.`,
    `- Phases: ${f.fromEmpty.phases.map((p) => `${p.phase} ${round(p.ms / 1000, 1)} s`).join(", ")}.`,
    `- No-op re-apply: ${round(noop / 1000, 1)} s; goal under ${r.noopGoalMs / 1000} s: **${noop < r.noopGoalMs ? "met" : "not met"}**.`,
    "",
  ];
}
