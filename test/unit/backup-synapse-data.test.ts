// `--synapse-data`: the docker-compose layout, where Synapse's data folder lives
// beside the state folder (deploy/synapse) with its media in a volume that may
// outlive a disaster. Backed up from there and restored into it; a folder with
// other files in it is refused before anything changes. SQLite stands in for the
// database here (the PostgreSQL path is test/integration/backup-postgres.test.ts).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createBackup } from "../../src/backup/backup.ts";
import { restoreBackup } from "../../src/backup/restore.ts";
import { Deployment } from "../../src/homeserver/deployment.ts";

describe("backup and restore with Synapse's data folder outside the state folder", () => {
  const work = mkdtempSync(join(tmpdir(), "mchlink-synapse-data-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const deploy = join(work, "deploy");
  const synapse = join(deploy, "synapse");
  const dep = new Deployment(join(deploy, "state"));
  const archive = join(work, "backup.tar.gz");

  it("backs up the folder named by --synapse-data and restores it into an empty one, keeping media already there", async () => {
    mkdirSync(join(synapse, "media_store", "local_content", "ab"), { recursive: true });
    writeFileSync(join(synapse, "homeserver.yaml"), "database:\n  name: sqlite3\n  args:\n    database: /data/homeserver.db\n");
    writeFileSync(join(synapse, "signing.key"), "ed25519 a_key secret\n");
    writeFileSync(join(synapse, "media_store", "local_content", "ab", "cdef"), "an upload");
    const db = new DatabaseSync(join(synapse, "homeserver.db"));
    db.exec("CREATE TABLE schema_version (version INTEGER); INSERT INTO schema_version VALUES (93)");
    db.close();
    // Like the compose stack's state folder: no dataDir recorded.
    dep.saveHomeserver({ baseUrl: "http://127.0.0.1:9", serverName: "mchlink.test" });

    const res = await createBackup(dep, { out: archive, synapseData: synapse });
    expect(res.manifest.synapse?.database).toMatchObject({ engine: "sqlite", schema_version: 93, sqlite_version: expect.stringMatching(/^3\./) });
    expect(res.manifest.files.map((f) => f.path)).toContain("state/synapse/media_store/local_content/ab/cdef");

    // The disaster: the folder is gone, the media volume survived.
    rmSync(deploy, { recursive: true });
    mkdirSync(join(synapse, "media_store", "local_content", "ab"), { recursive: true });
    writeFileSync(join(synapse, "media_store", "local_content", "ab", "cdef"), "an upload");
    const restored = await restoreBackup(dep, { archive, synapseData: synapse });
    expect(restored.replaced).toBeUndefined();
    expect(readFileSync(join(synapse, "signing.key"), "utf8")).toBe("ed25519 a_key secret\n");
    expect(existsSync(join(synapse, "homeserver.db"))).toBe(true);
    expect(existsSync(join(dep.dir, "synapse"))).toBe(false);
    expect(dep.homeserver()?.dataDir).toBeUndefined();
  });

  it("refuses a data folder with other files in it, or a media file that differs, changing nothing", async () => {
    const other = join(work, "other-synapse");
    mkdirSync(other);
    writeFileSync(join(other, "homeserver.yaml"), "database:\n  name: sqlite3\n");
    const fresh = new Deployment(join(work, "fresh-state"));
    await expect(restoreBackup(fresh, { archive, synapseData: other })).rejects.toThrow(/homeserver\.yaml is there already.*Nothing was changed/s);
    rmSync(join(other, "homeserver.yaml"));
    mkdirSync(join(other, "media_store", "local_content", "ab"), { recursive: true });
    writeFileSync(join(other, "media_store", "local_content", "ab", "cdef"), "another upload of another size");
    await expect(restoreBackup(fresh, { archive, synapseData: other })).rejects.toThrow(/cdef differs from the archive's copy.*Nothing was changed/s);
    expect(existsSync(fresh.dir)).toBe(false);
    expect(readdirSync(other)).toEqual(["media_store"]);
  });
});
