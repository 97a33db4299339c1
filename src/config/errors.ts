// Config errors are values that say where the problem is and what would fix it, so that
// `mchlink` can print all of them at once and a broken file never half-loads.
import type { Province } from "./schema.ts";

export interface ConfigError {
  file: string;
  /** 1-based, like editors count. */
  line: number;
  column: number;
  /** Where in the province, such as `people[12].facility`; empty when it is the file as a whole. */
  path: string;
  expected: string;
  found: string;
  /** `file:line:column path: expected …, found …`, ready to print. */
  message: string;
}

export type LoadResult = { ok: true; province: Province } | { ok: false; errors: ConfigError[] };

export type PathSegment = string | number;

/** A problem found in the data, before it is given a place in the file. */
export interface Issue {
  path: PathSegment[];
  expected: string;
  found: string;
  /** Point at the field's name rather than its value (for fields that should not be there). */
  at?: "key";
}

export function formatPath(path: readonly PathSegment[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) text += text === "" ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** How a value from the file reads in an error message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "an empty value";
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : `a list of ${value.length}`;
  if (typeof value === "object") return "a map of fields";
  return String(value);
}

export function formatConfigError(error: Omit<ConfigError, "message">): string {
  const where = `${error.file}:${error.line}:${error.column}`;
  const path = error.path === "" ? ":" : ` ${error.path}:`;
  return `${where}${path} expected ${error.expected}, found ${error.found}`;
}
