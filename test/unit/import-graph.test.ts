// The direction of dependencies, read from the source: the consult code and the shared
// vocabulary (src/messaging) never import the bot's runtime folder, and no module imports
// itself through others (type-only imports included: a circle of types is still a circle).
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..", "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

/** Every module and the modules it imports or re-exports (relative specifiers; packages are not ours). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(join(ROOT, "src"))) {
    const text = readFileSync(file, "utf8");
    const specs = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+"(\.[^"]+)"|\bimport\("(\.[^"]+)"\)/gm)].map((m) => (m[1] ?? m[2])!);
    graph.set(
      relative(ROOT, file),
      specs.map((s) => relative(ROOT, resolve(dirname(file), s))),
    );
  }
  return graph;
}

/** The strongly connected components with more than one module (Tarjan), or a module importing itself. */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)!.includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe("import graph", () => {
  const graph = importGraph();

  it("reads the whole source tree", () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get("src/bot/runtime.ts")).toContain("src/bot/outbox.ts");
  });

  it("has no arrow from src/consult or src/messaging up into src/bot", () => {
    const upward = [...graph].flatMap(([from, to]) =>
      from.startsWith("src/consult/") || from.startsWith("src/messaging/") ? to.filter((t) => t.startsWith("src/bot/")).map((t) => `${from} -> ${t}`) : [],
    );
    expect(upward).toEqual([]);
  });

  it("has no circle", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("finds a circle and an upward arrow when there is one (the check itself works)", () => {
    const bad = new Map([
      ["src/a.ts", ["src/b.ts"]],
      ["src/b.ts", ["src/a.ts"]],
      ["src/c.ts", ["src/c.ts"]],
    ]);
    expect(cycles(bad)).toEqual([["src/a.ts", "src/b.ts"], ["src/c.ts"]]);
  });
});
