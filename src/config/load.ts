// Reading a province file: YAML syntax, then the schema, then the checks across sections,
// every problem reported at once with the line and column it is on.
import { readFileSync } from "node:fs";
import { isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import { z } from "zod";
import { checkProvince } from "./checks.ts";
import { describeValue, formatConfigError, formatPath, type ConfigError, type Issue, type LoadResult, type PathSegment } from "./errors.ts";
import { Province } from "./schema.ts";

export function loadProvince(path: string): LoadResult {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    return { ok: false, errors: [located(path, 1, 1, [], "a readable province file", describeReadError(error))] };
  }
  return parseProvince(text, path);
}

/** `file` is only used in the errors, so that they point where the user will look. */
export function parseProvince(text: string, file: string): LoadResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return located(file, line, col, [], `valid YAML (${error.message})`, describeSource(text, error.pos[0]));
      }),
    };
  }

  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    return { ok: false, errors: [located(file, 1, 1, [], "YAML without runaway aliases", String(error))] };
  }
  const parsed = Province.safeParse(data);
  const issues = [
    ...(parsed.success ? [] : parsed.error.issues.flatMap((issue) => fromZodIssue(issue, data))),
    // Checked against the defaults too when the schema passed, since they take part.
    ...checkProvince(parsed.success ? parsed.data : data),
  ];
  if (parsed.success && issues.length === 0) return { ok: true, province: parsed.data };

  const errors = issues.map((issue) => {
    const { line, col } = lineCounter.linePos(locate(doc, issue.path, issue.at));
    return located(file, line, col, issue.path, issue.expected, issue.found);
  });
  errors.sort((a, b) => a.line - b.line || a.column - b.column);
  return { ok: false, errors };
}

function located(file: string, line: number, column: number, path: readonly PathSegment[], expected: string, found: string): ConfigError {
  const error = { file, line, column, path: formatPath(path), expected, found };
  return { ...error, message: formatConfigError(error) };
}

function describeReadError(error: unknown): string {
  const code = error instanceof Error && "code" in error ? error.code : undefined;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "a directory";
  if (code === "EACCES") return "a file this user may not read";
  return String(error);
}

/** What the YAML parser stumbled on: the rest of that line. */
function describeSource(text: string, offset: number): string {
  if (offset >= text.length) return "the end of the file";
  const end = text.indexOf("\n", offset);
  return describeValue(text.slice(offset, end === -1 ? undefined : end).trimEnd());
}

/** Offset in the source of the value at `path`, or of the nearest enclosing one that exists. */
function locate(doc: Document.Parsed, path: readonly PathSegment[], at?: "key"): number {
  let node: unknown = doc.contents;
  let offset = startOf(node) ?? 0;
  for (const [i, segment] of path.entries()) {
    const collection = isAlias(node) ? node.resolve(doc) : node;
    let key: unknown;
    let value: unknown;
    if (isMap(collection)) {
      const pair = collection.items.find((item) => String(isScalar(item.key) ? item.key.value : item.key) === String(segment));
      if (!pair) break;
      key = pair.key;
      value = pair.value;
    } else if (isSeq(collection) && typeof segment === "number" && segment < collection.items.length) {
      value = collection.items[segment];
    } else break;
    const keyOffset = startOf(key);
    const isLast = i === path.length - 1;
    // An empty value (`facility:`) has no text of its own; its key is where to look.
    const empty = value === null || (isScalar(value) && value.value === null);
    if (keyOffset !== undefined && ((isLast && at === "key") || empty)) return keyOffset;
    offset = startOf(value) ?? keyOffset ?? offset;
    node = value;
  }
  return offset;
}

function startOf(node: unknown): number | undefined {
  return isNode(node) && node.range ? node.range[0] : undefined;
}

function fromZodIssue(issue: z.core.$ZodIssue, data: unknown): Issue[] {
  const path = issue.path.filter((segment) => typeof segment !== "symbol");
  const value = valueAt(data, path);
  if (path.length === 0 && value == null) return [{ path, expected: "a province (version, province, homeserver, …)", found: "an empty file" }];
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => ({
        path: [...path, key],
        at: "key" as const,
        expected: knownKeys(path),
        found: `a field named ${JSON.stringify(key)}`,
      }));
    case "invalid_type": {
      const kind = TYPE_WORDS[issue.expected] ?? issue.expected;
      const missing = value === undefined && path.length > 0;
      return [{ path, expected: missing ? `${kind} (${formatPath(path.slice(-1))} is required)` : kind, found: describeValue(value) }];
    }
    case "invalid_value": {
      const options = issue.values.map((option) => (typeof option === "string" ? option : String(option)));
      const expected = options.length === 1 ? String(options[0]) : `one of ${options.join(", ")}`;
      return [{ path, expected, found: describeValue(value) }];
    }
    case "too_small":
    case "too_big":
      return [{ path, expected: sizeText(issue), found: describeValue(value) }];
    default:
      // Formats and refinements: the schema's own message says what is expected.
      return [{ path, expected: issue.message, found: describeValue(value) }];
  }
}

const TYPE_WORDS: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "a map of fields",
  array: "a list",
  record: "a map of fields",
};

function sizeText(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === "too_small";
  const limit = Number(small ? issue.minimum : issue.maximum);
  const strict = issue.inclusive === false;
  switch (issue.origin) {
    case "array":
      if (small && limit === 1) return "a list with at least one item";
      return `a list with ${small ? "at least" : "at most"} ${strict ? limit + (small ? 1 : -1) : limit} items`;
    case "string":
      if (small && limit === 1) return "text that is not empty";
      return `text of ${small ? "at least" : "at most"} ${limit} characters`;
    default:
      return `a number ${small ? (strict ? "above" : "at least") : strict ? "below" : "at most"} ${limit}`;
  }
}

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PathSegment, unknown>)[segment];
  }
  return value;
}

/** The fields allowed at `path`, read from the schema, for the error on a misspelt one. */
function knownKeys(path: readonly PathSegment[]): string {
  let schema: z.core.$ZodType | undefined = Province;
  for (const segment of [...path, undefined]) {
    while (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional) schema = schema.unwrap() as z.core.$ZodType;
    if (segment === undefined) break;
    if (schema instanceof z.ZodObject) schema = (schema.shape as Record<string, z.core.$ZodType>)[segment];
    else if (schema instanceof z.ZodArray) schema = schema.element as z.core.$ZodType;
    else if (schema instanceof z.ZodRecord) schema = schema.valueType as z.core.$ZodType;
    else return "a known field";
  }
  if (schema instanceof z.ZodObject) return `one of the fields ${Object.keys(schema.shape).join(", ")}`;
  if (schema instanceof z.ZodRecord && schema.keyType instanceof z.ZodEnum) return `one of ${schema.keyType.options.join(", ")}`;
  return "a known field";
}
