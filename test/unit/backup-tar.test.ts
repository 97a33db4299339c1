import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createTar, extractTar, listTar } from "../../src/backup/tar.ts";

describe("backup archives (node-tar)", () => {
  const work = mkdtempSync(join(tmpdir(), "mchlink-tar-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const src = join(work, "src");
  mkdirSync(join(src, "state", "a b"), { recursive: true });
  writeFileSync(join(src, "manifest.json"), "{}\n");
  // A long name and a non-ASCII one need pax headers; GNU tar's listing once had to be paired by position.
  const long = `${"x".repeat(150)}-ເອກະສານ.txt`;
  writeFileSync(join(src, "state", "a b", long), Buffer.alloc(200_000, 7));
  const archive = join(work, "a.tar.gz");

  it("writes, lists with each member's own type, and extracts", async () => {
    await createTar(archive, src, ["manifest.json", "state"]);
    const listing = await listTar(archive);
    expect(listing).toEqual({
      ok: true,
      members: [
        { name: "manifest.json", type: "File" },
        { name: "state", type: "Directory" },
        { name: "state/a b", type: "Directory" },
        { name: `state/a b/${long}`, type: "File" },
      ],
    });
    const out = join(work, "out");
    mkdirSync(out);
    await extractTar(archive, out);
    expect(readFileSync(join(out, "state", "a b", long)).equals(Buffer.alloc(200_000, 7))).toBe(true);
  });

  it("says a truncated or corrupt archive is damaged", async () => {
    const bytes = readFileSync(archive);
    const truncated = join(work, "t.tar.gz");
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(await listTar(truncated)).toMatchObject({ ok: false, problem: expect.stringMatching(/damaged or incomplete/) });
    await expect(extractTar(truncated, mkdtempSync(join(work, "x-")))).rejects.toThrow(/damaged or incomplete/);
    const corrupt = Buffer.from(bytes);
    for (let i = 200; i < 400; i++) corrupt[i] = corrupt[i]! ^ 0x5a;
    writeFileSync(join(work, "c.tar.gz"), corrupt);
    expect(await listTar(join(work, "c.tar.gz"))).toMatchObject({ ok: false });
    writeFileSync(join(work, "n.tar.gz"), "not an archive at all\n");
    expect(await listTar(join(work, "n.tar.gz"))).toMatchObject({ ok: false });
  });

  it("reports links as links", async () => {
    const dir = join(work, "links");
    mkdirSync(join(dir, "state"), { recursive: true });
    symlinkSync("/etc/passwd", join(dir, "state", "evil"));
    const file = join(work, "l.tar.gz");
    await createTar(file, dir, ["state"]);
    expect(await listTar(file)).toMatchObject({ ok: true, members: expect.arrayContaining([{ name: "state/evil", type: "SymbolicLink" }]) });
  });
});
