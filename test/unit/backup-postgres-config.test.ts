import { describe, expect, it } from "vitest";
import { pgToolsFor, type PgTools } from "../../src/backup/pgtools.ts";
import { PostgresBackupError, synapseConnection } from "../../src/backup/postgres.ts";

const tools = (major: number): PgTools => ({
  major,
  where: "test",
  run: () => {
    throw new Error("not run in this test");
  },
});

describe("Synapse's PostgreSQL connection, for pg_dump and pg_restore", () => {
  it("is read from homeserver.yaml's database.args, with the pgpass file mapped from /data into the data folder", () => {
    expect(synapseConnection({ user: "synapse", database: "synapse", host: "postgres", port: 5432, passfile: "/data/pgpass" }, "/srv/deploy/synapse", "homeserver.yaml")).toEqual({
      host: "postgres",
      port: 5432,
      user: "synapse",
      database: "synapse",
      passfile: "/srv/deploy/synapse/pgpass",
    });
    expect(synapseConnection({ user: "s", dbname: "db", port: "6543" }, "/d", "homeserver.yaml")).toEqual({ host: "localhost", port: 6543, user: "s", database: "db" });
  });

  it("says which setting is missing, and where", () => {
    expect(() => synapseConnection({ user: "synapse" }, "/d", "/d/homeserver.yaml")).toThrow(PostgresBackupError);
    expect(() => synapseConnection({ user: "synapse" }, "/d", "/d/homeserver.yaml")).toThrow(/\/d\/homeserver\.yaml: database\.args has no database/);
    expect(() => synapseConnection({ database: "synapse" }, "/d", "/d/homeserver.yaml")).toThrow(/has no user/);
  });
});

describe("client programs of the server's major", () => {
  it("picks the set of exactly that major, or says what this machine has and what to install", () => {
    expect(pgToolsFor([tools(15), tools(18)], 18)).toMatchObject({ major: 18 });
    expect(pgToolsFor([tools(15), tools(18)], 17)).toMatch(/the server is PostgreSQL 17.*this machine has 15, 18.*postgresql-client-17.*rootfs-add\.sh postgresql-17/);
    expect(pgToolsFor([], 18)).toMatch(/this machine has none/);
  });
});
