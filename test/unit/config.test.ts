import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BOKEO_YAML_FILE, demoProvinceYaml } from "../../scripts/gen-demo-roster.ts";
import { parseDuration } from "../../src/config/duration.ts";
import type { ConfigError } from "../../src/config/errors.ts";
import { PROVINCE_JSON_SCHEMA_FILE, provinceJsonSchemaText } from "../../src/config/json-schema.ts";
import { loadProvince, parseProvince } from "../../src/config/load.ts";
import { districtOfFacility, expertsBySpecialty, facilityById, personById } from "../../src/config/lookup.ts";
import { DEFAULT_ESCALATION, DEFAULT_TAGS, type Province } from "../../src/config/schema.ts";
import { placeholdersIn } from "../../src/config/placeholders.ts";

const SMALL = "test/fixtures/small-province.yaml";
const smallText = readFileSync(SMALL, "utf8");

function loaded(path: string): Province {
  const result = loadProvince(path);
  if (!result.ok) throw new Error(result.errors.map((error) => error.message).join("\n"));
  return result.province;
}

function errorsOf(path: string): ConfigError[] {
  const result = loadProvince(path);
  if (result.ok) throw new Error(`${path} loaded, but it should not`);
  return result.errors;
}

/** The small province with one line replaced; the line must exist exactly once. */
function mutated(line: string, replacement: string): { text: string; line: number } {
  const lines = smallText.split("\n");
  const index = lines.indexOf(line);
  expect(index, `line not in fixture: ${line}`).toBeGreaterThanOrEqual(0);
  expect(lines.lastIndexOf(line)).toBe(index);
  lines[index] = replacement;
  return { text: lines.join("\n"), line: index + 1 };
}

function errorsOfText(text: string): ConfigError[] {
  const result = parseProvince(text, "small.yaml");
  if (result.ok) throw new Error("loaded, but it should not");
  return result.errors;
}

/** The fields tests compare; `message` is checked separately, once. */
const brief = ({ line, column, path, expected, found }: ConfigError) => ({ line, column, path, expected, found });

describe("valid provinces", () => {
  it("loads the Bokeo demo with its whole roster", () => {
    const province = loaded("config/bokeo.yaml");
    expect(province.districts.map((district) => district.name.en)).toEqual(["Houayxay", "Tonpheung", "Meung", "Pha Oudom", "Paktha"]);
    const byRole = (role: string) => province.people.filter((person) => person.role === role);
    expect(byRole("provider")).toHaveLength(269);
    expect(byRole("expert").map((person) => person.specialty)).toEqual(["obstetrics", "obstetrics", "paediatrics", "paediatrics"]);
    expect(byRole("coordinator")).toHaveLength(1);
    expect(byRole("admin")).toHaveLength(1);
    expect(province.bot).toEqual({ id: "mchlink-bot", name: "mchlink bot", command_prefix: "!" });
    expect(province.homeserver.server_name).toBe("bokeo.mchlink.test");
    expect(province.retention).toEqual({ min_lifetime: "1d", max_lifetime: "730d" });
    expect(province.escalation).toEqual(DEFAULT_ESCALATION);
    expect(province.oncall.obstetrics?.overrides).toHaveLength(1);
  });

  it("marks every Lao text in the Bokeo demo as unreviewed and every person as synthetic", () => {
    const province = loaded("config/bokeo.yaml");
    const texts = [
      province.province.name,
      ...province.rules.items,
      ...Object.values(province.rooms).flatMap((room) => [room.name, room.topic]),
      ...province.districts.flatMap((district) => [district.name, ...district.facilities.map((facility) => facility.name)]),
    ];
    expect(texts.every((text) => !text.lo_reviewed)).toBe(true);
    expect(province.people.every((person) => person.name.startsWith("Demo "))).toBe(true);
    expect(province.people.every((person) => person.phone?.startsWith("+856 20 0000 "))).toBe(true);
  });

  it("loads the small fixture, filling in the defaults it leaves out", () => {
    const province = loaded(SMALL);
    expect(province.homeserver.server_name).toBe("mchlink.test");
    expect(province.districts).toHaveLength(2);
    expect(province.districts.flatMap((district) => district.facilities)).toHaveLength(3);
    expect(province.people.filter((person) => person.role === "provider")).toHaveLength(6);
    expect(province.province.timezone).toBe("Asia/Vientiane");
    expect(province.federation).toEqual({ partners: [], partner_experts: [] });
    expect(province.escalation).toEqual(DEFAULT_ESCALATION);
    expect(province.tags).toEqual(DEFAULT_TAGS);
    expect(province.rules.items[0]?.lo_reviewed).toBe(false);
    expect(personById(province, "nurse-n1")?.language).toBe("lo");
  });

  it("does not share the default ladder between loads", () => {
    const first = loaded(SMALL);
    first.escalation.emergency.pop();
    expect(loaded(SMALL).escalation.emergency).toHaveLength(5);
  });
});

describe("generated files match their sources", () => {
  it("config/province.schema.json is what provinceJsonSchema() generates (node src/config/json-schema.ts)", () => {
    expect(readFileSync(PROVINCE_JSON_SCHEMA_FILE, "utf8")).toBe(provinceJsonSchemaText());
  });

  it("config/bokeo.yaml is what scripts/gen-demo-roster.ts generates", () => {
    expect(readFileSync(BOKEO_YAML_FILE, "utf8")).toBe(demoProvinceYaml());
  });

  it("the YAML files point editors at the JSON Schema", () => {
    expect(readFileSync(BOKEO_YAML_FILE, "utf8").split("\n")[0]).toBe("# yaml-language-server: $schema=./province.schema.json");
    expect(smallText.split("\n")[0]).toBe("# yaml-language-server: $schema=../../config/province.schema.json");
  });

  it("the JSON Schema requires what the file must say and leaves defaulted fields optional", () => {
    const schema = JSON.parse(readFileSync(PROVINCE_JSON_SCHEMA_FILE, "utf8")) as { required: string[]; additionalProperties: boolean };
    expect(schema.required).toEqual(["version", "province", "homeserver", "retention", "bot", "rules", "rooms", "districts", "people"]);
    expect(schema.additionalProperties).toBe(false);
  });
});

describe("errors", () => {
  it("reports YAML syntax errors, all of them, at their place", () => {
    const errors = errorsOf("test/fixtures/broken/syntax.yaml");
    expect(errors.map(brief)).toEqual([
      {
        line: 6,
        column: 1,
        path: "",
        expected: "valid YAML (Flow sequence in block collection must be sufficiently indented and end with a ])",
        found: '"homeserver:"',
      },
      { line: 8, column: 1, path: "", expected: "valid YAML (Map keys must be unique)", found: '"homeserver:"' },
    ]);
    expect(errors[1]?.message).toBe('test/fixtures/broken/syntax.yaml:8:1: expected valid YAML (Map keys must be unique), found "homeserver:"');
  });

  it("reports every kind of mistake in one run, in file order", () => {
    const errors = errorsOf("test/fixtures/broken/mistakes.yaml");
    const onCallExpert = "the id of an expert in paediatrics (a person with role expert, or a partner expert's user_id)";
    expect(errors.map(brief)).toEqual([
      {
        line: 14,
        column: 18,
        path: "federation.partner_experts[0].user_id",
        expected: "a user on a server in federation.partners (partner.test)",
        found: '"@dr.noy:elsewhere.test"',
      },
      { line: 17, column: 17, path: "retention.max_lifetime", expected: "a duration such as 30s, 5m, 2h or 180d", found: '"2 years"' },
      { line: 23, column: 41, path: "rules.expected_answer_minutes.emergency", expected: "a number", found: '"five"' },
      { line: 40, column: 70, path: "people[1].facility", expected: "the id of a facility listed under districts", found: '"hc-xx"' },
      { line: 41, column: 11, path: "people[2].id", expected: "a person id not already used (people[0] has it)", found: '"nurse-n1"' },
      {
        line: 42,
        column: 5,
        path: "people[3].specialty",
        expected: "a specialty (obstetrics, paediatrics, general), which every expert needs",
        found: "nothing",
      },
      { line: 43, column: 5, path: "people[4].name", expected: "text (name is required)", found: "nothing" },
      {
        line: 44,
        column: 89,
        path: "people[5].speciality",
        expected: "one of the fields id, name, role, facility, specialty, language, phone",
        found: 'a field named "speciality"',
      },
      { line: 49, column: 90, path: "oncall.paediatrics.weekly[1].expert", expected: onCallExpert, found: '"coordinator", whose role is coordinator' },
      { line: 50, column: 13, path: "oncall.paediatrics.backup", expected: onCallExpert, found: '"dr-nobody"' },
    ]);
    expect(errors[3]?.message).toBe('test/fixtures/broken/mistakes.yaml:40:70 people[1].facility: expected the id of a facility listed under districts, found "hc-xx"');
    expect(errors.every((error) => error.file === "test/fixtures/broken/mistakes.yaml")).toBe(true);
  });

  it("reports a missing file as an error value", () => {
    expect(errorsOf("test/fixtures/no-such-province.yaml").map(brief)).toEqual([{ line: 1, column: 1, path: "", expected: "a readable province file", found: "no such file" }]);
  });

  it("reports an empty file", () => {
    expect(errorsOfText("").map(brief)).toEqual([{ line: 1, column: 1, path: "", expected: "a province (version, province, homeserver, …)", found: "an empty file" }]);
  });

  it("points at the field's name when its value is empty", () => {
    const { text, line } = mutated("  server_name: mchlink.test", "  server_name:");
    expect(errorsOfText(text).map(brief)).toEqual([{ line, column: 3, path: "homeserver.server_name", expected: "text", found: "an empty value" }]);
  });

  it("rejects an on-call expert of another specialty", () => {
    const { text, line } = mutated("    backup: obstetrician", "    backup: paediatrician");
    expect(errorsOfText(text).map(brief)).toEqual([
      {
        line,
        column: 13,
        path: "oncall.obstetrics.backup",
        expected: "the id of an expert in obstetrics (a person with role expert, or a partner expert's user_id)",
        found: '"paediatrician", whose specialty is paediatrics',
      },
    ]);
  });

  it("accepts a partner expert on call when their server is on the allow-list", () => {
    const partner = `federation:\n  partners: [partner.test]\n  partner_experts:\n    - { user_id: "@dr.noy:partner.test", name: "Dr Noy (test)", specialty: paediatrics }\n`;
    const { text } = mutated("    backup: paediatrician", '    backup: "@dr.noy:partner.test"');
    const result = parseProvince(text.replace("retention:\n", `${partner}retention:\n`), "small.yaml");
    expect(result.ok && result.province.oncall.paediatrics?.backup).toBe("@dr.noy:partner.test");
  });

  it("rejects a bot id that a person has", () => {
    const { text, line } = mutated("  id: mchlink-bot", "  id: admin");
    expect(errorsOfText(text).map(brief)).toEqual([{ line, column: 7, path: "bot.id", expected: "an id that no person has (people[9] has it)", found: '"admin"' }]);
  });

  it("rejects a duration too long to count and a minimum above the maximum", () => {
    const { text, line } = mutated("  min_lifetime: 1d", "  min_lifetime: 99999999999999d");
    expect(errorsOfText(text).map(brief)).toEqual([
      { line, column: 17, path: "retention.min_lifetime", expected: "a duration short enough to count (days, not millennia)", found: '"99999999999999d"' },
    ]);
    const longer = mutated("  min_lifetime: 1d", "  min_lifetime: 731d");
    expect(errorsOfText(longer.text).map(brief)).toEqual([
      { line: longer.line, column: 17, path: "retention.min_lifetime", expected: "a duration no longer than max_lifetime (730d)", found: '"731d"' },
    ]);
  });

  it("rejects escalation steps out of order and actions that cannot happen", () => {
    const ladder = ["escalation:", "  emergency:", "    - { after: 10m, action: page_backup }", "    - { after: 5m, action: page_partner_experts }", "  urgent: []", "  routine: []", ""].join("\n");
    const lines = smallText.split("\n").length;
    expect(errorsOfText(smallText + ladder).map(brief)).toEqual([
      {
        line: lines + 3,
        column: 16,
        path: "escalation.emergency[1].after",
        expected: "a delay no shorter than the step before (10m), since steps run in order",
        found: '"5m"',
      },
      {
        line: lines + 3,
        column: 28,
        path: "escalation.emergency[1].action",
        expected: "an action that can happen: federation.partner_experts is empty",
        found: '"page_partner_experts"',
      },
    ]);
  });

  it("rejects a tag used by two priorities, whatever its case", () => {
    const tags = 'tags:\n  emergency: ["#now"]\n  urgent: ["#soon", "#NOW"]\n  routine: ["#later"]\n';
    const lines = smallText.split("\n").length;
    expect(errorsOfText(smallText + tags).map(brief)).toEqual([
      { line: lines + 2, column: 21, path: "tags.urgent[1]", expected: "a tag not already used (tags.emergency[0] has it)", found: '"#NOW"' },
    ]);
  });

  it("rejects a shift that starts and ends at the same time, and an override that ends before it starts", () => {
    const shift = mutated(
      '      - { days: [mon, tue, wed, thu, fri, sat, sun], from: "20:00", to: "08:00", expert: obstetrician }',
      '      - { days: [mon, tue, wed, thu, fri, sat, sun], from: "20:00", to: "20:00", expert: obstetrician }',
    );
    expect(errorsOfText(shift.text).map(brief)).toEqual([
      {
        line: shift.line,
        column: 73,
        path: "oncall.obstetrics.weekly[1].to",
        expected: "a time other than from (20:00); split a 24-hour shift into two",
        found: '"20:00"',
      },
    ]);
    const override = mutated("    backup: obstetrician", '    backup: obstetrician\n    overrides: [{ from: "2026-04-16", to: "2026-04-13", expert: obstetrician }]');
    expect(errorsOfText(override.text).map(brief)).toEqual([
      { line: override.line + 1, column: 43, path: "oncall.obstetrics.overrides[0].to", expected: "a date on or after from (2026-04-16)", found: '"2026-04-13"' },
    ]);
  });

  it("rejects dates that do not exist and time zones that do not exist", () => {
    const override = mutated("    backup: obstetrician", '    backup: obstetrician\n    overrides: [{ from: "2026-02-29", to: "2026-03-01", expert: obstetrician }]');
    expect(errorsOfText(override.text).map(brief)).toEqual([
      { line: override.line + 1, column: 25, path: "oncall.obstetrics.overrides[0].from", expected: "a date that exists on the calendar", found: '"2026-02-29"' },
    ]);
    const zone = mutated("  case_prefix: TL", "  case_prefix: TL\n  timezone: Asia/Vientain");
    expect(errorsOfText(zone.text).map(brief)).toEqual([
      { line: zone.line + 1, column: 13, path: "province.timezone", expected: "an IANA time zone such as Asia/Vientiane", found: '"Asia/Vientain"' },
    ]);
  });

  it("rejects unknown placeholders and a district room name without {district}", () => {
    const rule = mutated('      lo: "ຖ້າບໍ່ມີຜູ້ຕອບພາຍໃນ {emergency} ນາທີ ໃນກໍລະນີສຸກເສີນ, ໃຫ້ໂທຫາ {hospital_phone}."', '      lo: "ໃຫ້ໂທຫາ {hospital_fone}."');
    expect(errorsOfText(rule.text).map(brief)).toEqual([
      {
        line: rule.line,
        column: 11,
        path: "rules.items[1].lo",
        expected: "text whose placeholders are among {hospital_phone}, {emergency}, {urgent}, {routine}",
        found: '"{hospital_fone}"',
      },
    ]);
    const room = mutated('    name: { en: "{district} consults", lo: "ປຶກສາ {district}" }', '    name: { en: "Consults", lo: "ປຶກສາ {district}" }');
    expect(errorsOfText(room.text).map(brief)).toEqual([
      {
        line: room.line,
        column: 17,
        path: "rooms.district.name.en",
        expected: "text containing {district}, so that each district's room has its own name",
        found: '"Consults"',
      },
    ]);
  });

  it("rejects the province's own server as a partner, and a facility id used in two districts", () => {
    const partner = mutated("homeserver:", "federation:\n  partners: [mchlink.test]\nhomeserver:");
    expect(errorsOfText(partner.text).map(brief)).toEqual([
      { line: partner.line + 1, column: 14, path: "federation.partners[0]", expected: "a partner's server, not this province's own server_name", found: '"mchlink.test"' },
    ]);
    const facility = mutated(
      '      - { id: south-hc1, kind: health_centre, name: { en: "South Health Centre 1 (test)", lo: "ສຸກສາລາ ໃຕ້ 1 (ທົດສອບ)" } }',
      '      - { id: north-hc1, kind: health_centre, name: { en: "South Health Centre 1 (test)", lo: "ສຸກສາລາ ໃຕ້ 1 (ທົດສອບ)" } }',
    );
    const errors = errorsOfText(facility.text).map(brief);
    expect(errors[0]).toEqual({
      line: facility.line,
      column: 15,
      path: "districts[1].facilities[0].id",
      expected: "a facility id not already used (districts[0].facilities[1] has it)",
      found: '"north-hc1"',
    });
  });
});

describe("helpers", () => {
  it("parses durations", () => {
    expect(parseDuration("30s")).toBe(30_000);
    expect(parseDuration("5m")).toBe(300_000);
    expect(parseDuration("2h")).toBe(7_200_000);
    expect(parseDuration("730d")).toBe(730 * 86_400_000);
    expect(parseDuration("0m")).toBe(0);
    for (const bad of ["5", "m", "5 m", "-5m", "1.5h", "5M", "5w", "99999999999999d"]) expect(parseDuration(bad), bad).toBeUndefined();
  });

  it("looks up people, facilities, districts and experts", () => {
    const province = loaded("config/bokeo.yaml");
    expect(personById(province, "tp-003")?.facility).toBe("tp-dh");
    expect(personById(province, "nobody")).toBeUndefined();
    expect(facilityById(province, "po-hc08")?.name.en).toBe("Pha Oudom Health Centre 8 (demo)");
    expect(facilityById(province, "po-hc09")).toBeUndefined();
    expect(districtOfFacility(province, "hx-ph")?.id).toBe("houayxay");
    expect(districtOfFacility(province, "mg-hc04")?.name.lo).toBe("ເມິງ");
    expect(districtOfFacility(province, "nowhere")).toBeUndefined();
    expect(expertsBySpecialty(province, "paediatrics").map((person) => person.id)).toEqual(["pd-1", "pd-2"]);
    expect(expertsBySpecialty(province, "general")).toEqual([]);
  });

  it("finds placeholders in a text, misspelt ones included", () => {
    expect(placeholdersIn("phone {hospital_phone} within {emergency} min")).toEqual(["hospital_phone", "emergency"]);
    expect(placeholdersIn("{Emergency} {hospital phone} {}")).toEqual(["Emergency", "hospital phone", ""]);
    expect(placeholdersIn("none")).toEqual([]);
  });
});
