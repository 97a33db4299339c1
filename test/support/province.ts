// A provisioned province on a test Synapse: the real `mchlink apply`, a
// deployment folder of its own, and the initial passwords from the sheet.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.ts";
import { loadProvince } from "../../src/config/load.ts";
import type { Province } from "../../src/config/schema.ts";
import { Deployment } from "../../src/homeserver/deployment.ts";
import { OnboardingSheet } from "../../src/provision/sheet.ts";
import { parse, stringify } from "yaml";
import type { TestSynapse } from "./synapse.ts";

export const SMALL_PROVINCE = join(import.meta.dirname, "..", "fixtures", "small-province.yaml");

/**
 * The small province with a second obstetrician as backup, so that the emergency ladder has every
 * step, written into `dir`; `change` adjusts the document further (tags, ...).
 */
export function provinceWithBackup(dir: string, backupLanguage: "lo" | "en", change: (doc: Record<string, any>) => void = () => {}): string {
  const doc = parse(readFileSync(SMALL_PROVINCE, "utf8")) as Record<string, any>;
  doc.people.push({ id: "obstetrician-2", name: "Test Obstetrician Two", role: "expert", specialty: "obstetrics", facility: "north-ph", language: backupLanguage });
  doc.oncall.obstetrics.backup = "obstetrician-2";
  change(doc);
  const path = join(dir, "province-with-backup.yaml");
  writeFileSync(path, stringify(doc));
  return path;
}

export interface TestProvince {
  province: Province;
  configPath: string;
  deployment: Deployment;
  password(localpart: string): string;
  userId(localpart: string): string;
}

export function newDeployment(hs: TestSynapse): Deployment {
  const dep = new Deployment(mkdtempSync(join(tmpdir(), "mchlink-state-")));
  dep.saveHomeserver({ baseUrl: hs.baseUrl, serverName: hs.serverName, dataDir: hs.dataDir });
  return dep;
}

export async function provision(hs: TestSynapse, configPath = SMALL_PROVINCE, dep = newDeployment(hs)): Promise<TestProvince> {
  const loaded = loadProvince(configPath);
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join("\n"));
  const code = await main(["--state", dep.dir, "apply", configPath]);
  if (code !== 0) throw new Error(`mchlink apply exited ${code}`);
  const server = loaded.province.homeserver.server_name;
  return {
    province: loaded.province,
    configPath,
    deployment: dep,
    userId: (localpart) => `@${localpart}:${server}`,
    password(localpart) {
      const p = new OnboardingSheet(dep.path("onboarding")).passwordFor(`@${localpart}:${server}`);
      if (!p) throw new Error(`no password for ${localpart} in the sheet`);
      return p;
    },
  };
}
