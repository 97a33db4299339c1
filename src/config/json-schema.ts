// The province schema as JSON Schema, so editors complete and check the YAML as it is typed.
// config/province.schema.json is this module's output, committed; regenerate it with
//   node src/config/json-schema.ts
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { Province } from "./schema.ts";

export const PROVINCE_JSON_SCHEMA_FILE = fileURLToPath(new URL("../../config/province.schema.json", import.meta.url));

export function provinceJsonSchema(): Record<string, unknown> {
  // Draft-07 because that is what YAML editors support best; "input" so fields with
  // defaults are optional, as they are in the file.
  return z.toJSONSchema(Province, { target: "draft-07", io: "input" });
}

export function provinceJsonSchemaText(): string {
  return `${JSON.stringify(provinceJsonSchema(), null, 2)}\n`;
}

if (import.meta.main) writeFileSync(PROVINCE_JSON_SCHEMA_FILE, provinceJsonSchemaText());
