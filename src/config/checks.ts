// Checks across sections of the province that the schema cannot express: references by id,
// uniqueness, and settings that only make sense together.
//
// They read the file's data as it is, even when the schema rejected parts of it, so that one
// run reports every problem. Each check skips values of the wrong type: the schema reports those.
import { describeValue, formatPath, type Issue, type PathSegment } from "./errors.ts";
import { parseDuration } from "./duration.ts";
import { DISTRICT_ROOM_PLACEHOLDERS, placeholdersIn, RULE_PLACEHOLDERS } from "./placeholders.ts";
import { internationalNumber } from "../sms/phone.ts";
import { Priority, Role, Specialty } from "./schema.ts";

type Fields = Record<string, unknown>;

interface Entry {
  fields: Fields;
  path: PathSegment[];
}

interface Index {
  root: Fields;
  districts: Entry[];
  facilities: Entry[];
  people: Entry[];
  partnerExperts: Entry[];
  facilityIds: Set<string>;
  personById: Map<string, Entry>;
  partnerById: Map<string, Entry>;
}

export function checkProvince(data: unknown): Issue[] {
  const index = indexProvince(fieldsOf(data) ?? {});
  return [
    ...uniqueIds(index.districts, "district"),
    ...uniqueIds(index.facilities, "facility"),
    ...uniqueIds(index.people, "person"),
    ...checkPeople(index),
    ...checkBot(index),
    ...checkFederation(index),
    ...checkOnCall(index),
    ...checkEscalation(index),
    ...checkSms(index),
    ...checkTags(index),
    ...checkRetention(index),
    ...checkTexts(index),
  ];
}

function indexProvince(root: Fields): Index {
  const districts = entries(root.districts, ["districts"]);
  const facilities = districts.flatMap((district) => entries(district.fields.facilities, [...district.path, "facilities"]));
  const people = entries(root.people, ["people"]);
  const partnerExperts = entries(fieldsOf(root.federation)?.partner_experts, ["federation", "partner_experts"]);
  return {
    root,
    districts,
    facilities,
    people,
    partnerExperts,
    facilityIds: new Set(facilities.flatMap((facility) => textOf(facility.fields.id) ?? [])),
    personById: firstById(people, "id"),
    partnerById: firstById(partnerExperts, "user_id"),
  };
}

function uniqueIds(list: Entry[], kind: string, key = "id"): Issue[] {
  const first = new Map<string, Entry>();
  const issues: Issue[] = [];
  for (const entry of list) {
    const id = textOf(entry.fields[key]);
    if (id === undefined) continue;
    const earlier = first.get(id);
    if (earlier) {
      issues.push({
        path: [...entry.path, key],
        expected: `a ${kind} id not already used (${formatPath(earlier.path)} has it)`,
        found: describeValue(id),
      });
    } else first.set(id, entry);
  }
  return issues;
}

function checkPeople(index: Index): Issue[] {
  const issues: Issue[] = [];
  for (const person of index.people) {
    const facility = textOf(person.fields.facility);
    if (facility !== undefined && !index.facilityIds.has(facility)) {
      issues.push({
        path: [...person.path, "facility"],
        expected: "the id of a facility listed under districts",
        found: describeValue(facility),
      });
    }
    if (person.fields.role === "expert" && person.fields.specialty === undefined) {
      issues.push({
        path: [...person.path, "specialty"],
        expected: `a specialty (${Specialty.options.join(", ")}), which every expert needs`,
        found: "nothing",
      });
    }
  }
  return issues;
}

function checkBot(index: Index): Issue[] {
  const botId = textOf(fieldsOf(index.root.bot)?.id) ?? "";
  const person = index.personById.get(botId);
  if (!person) return [];
  return [
    {
      path: ["bot", "id"],
      expected: `an id that no person has (${formatPath(person.path)} has it)`,
      found: describeValue(botId),
    },
  ];
}

function checkFederation(index: Index): Issue[] {
  const issues = uniqueIds(index.partnerExperts, "partner expert user", "user_id");
  const serverName = textOf(fieldsOf(index.root.homeserver)?.server_name);
  const listed = listOf(fieldsOf(index.root.federation)?.partners);
  const partners = listed.flatMap((partner) => textOf(partner) ?? []);
  listed.forEach((partner, i) => {
    if (partner === serverName) {
      issues.push({
        path: ["federation", "partners", i],
        expected: "a partner's server, not this province's own server_name",
        found: describeValue(partner),
      });
    }
  });
  for (const expert of index.partnerExperts) {
    const userId = textOf(expert.fields.user_id);
    // The server is everything after the first colon; a malformed id is the schema's to report.
    if (userId === undefined || !userId.includes(":")) continue;
    if (partners.includes(userId.slice(userId.indexOf(":") + 1))) continue;
    issues.push({
      path: [...expert.path, "user_id"],
      expected: `a user on a server in federation.partners (${partners.length === 0 ? "none listed" : partners.join(", ")})`,
      found: describeValue(userId),
    });
  }
  return issues;
}

function checkOnCall(index: Index): Issue[] {
  const issues: Issue[] = [];
  for (const [specialty, value] of Object.entries(fieldsOf(index.root.oncall) ?? {})) {
    const oncall = fieldsOf(value);
    if (!oncall || !Specialty.safeParse(specialty).success) continue;
    const base = ["oncall", specialty];
    entries(oncall.weekly, [...base, "weekly"]).forEach((shift) => {
      issues.push(...checkOnCallExpert(index, specialty, shift.fields.expert, [...shift.path, "expert"]));
      const from = textOf(shift.fields.from);
      if (from !== undefined && from === shift.fields.to) {
        issues.push({
          path: [...shift.path, "to"],
          expected: `a time other than from (${from}); split a 24-hour shift into two`,
          found: describeValue(shift.fields.to),
        });
      }
    });
    issues.push(...checkOnCallExpert(index, specialty, oncall.backup, [...base, "backup"]));
    entries(oncall.overrides, [...base, "overrides"]).forEach((override) => {
      issues.push(...checkOnCallExpert(index, specialty, override.fields.expert, [...override.path, "expert"]));
      const from = textOf(override.fields.from);
      const to = textOf(override.fields.to);
      if (from !== undefined && to !== undefined && to < from) {
        issues.push({ path: [...override.path, "to"], expected: `a date on or after from (${from})`, found: describeValue(to) });
      }
    });
  }
  return issues;
}

function checkOnCallExpert(index: Index, specialty: string, reference: unknown, path: PathSegment[]): Issue[] {
  const id = textOf(reference);
  if (id === undefined) return [];
  const person = index.personById.get(id);
  const partner = index.partnerById.get(id);
  const expected = `the id of an expert in ${specialty} (a person with role expert, or a partner expert's user_id)`;
  if (!person && !partner) return [{ path, expected, found: describeValue(id) }];
  if (person) {
    const role = person.fields.role;
    if (!Role.safeParse(role).success) return [];
    if (role !== "expert") return [{ path, expected, found: `${describeValue(id)}, whose role is ${role}` }];
  }
  const own = (person ?? partner)?.fields.specialty;
  if (!Specialty.safeParse(own).success || own === specialty) return [];
  return [{ path, expected, found: `${describeValue(id)}, whose specialty is ${own}` }];
}

function checkEscalation(index: Index): Issue[] {
  const issues: Issue[] = [];
  const hasCoordinator = index.people.some((person) => person.fields.role === "coordinator");
  const partnerExperts = index.partnerExperts.length > 0;
  for (const [priority, steps] of Object.entries(fieldsOf(index.root.escalation) ?? {})) {
    if (!Priority.safeParse(priority).success) continue;
    let previous: { text: string; ms: number } | undefined;
    for (const step of entries(steps, ["escalation", priority])) {
      const after = textOf(step.fields.after);
      const ms = after === undefined ? undefined : parseDuration(after);
      issues.push(...checkDuration(after, [...step.path, "after"]));
      if (after !== undefined && ms !== undefined) {
        if (previous && ms < previous.ms) {
          issues.push({
            path: [...step.path, "after"],
            expected: `a delay no shorter than the step before (${previous.text}), since steps run in order`,
            found: describeValue(after),
          });
        } else previous = { text: after, ms };
      }
      const action = step.fields.action;
      if (action === "alert_coordinator" && !hasCoordinator) {
        issues.push({
          path: [...step.path, "action"],
          expected: "an action that can happen: no person has role coordinator",
          found: describeValue(action),
        });
      }
      if (action === "page_partner_experts" && !partnerExperts) {
        issues.push({
          path: [...step.path, "action"],
          expected: "an action that can happen: federation.partner_experts is empty",
          found: describeValue(action),
        });
      }
    }
  }
  return issues;
}

/**
 * SMS pages need the `sms` section, and a phone number in international form for everyone
 * they can reach: the rota's experts and backups for `on_call` and `backup`, every expert for
 * `all_experts`. Once the province pages by SMS, every expert's number is checked, even one no step reaches yet.
 */
function checkSms(index: Index): Issue[] {
  const issues: Issue[] = [];
  const targets = new Set<string>();
  for (const [priority, steps] of Object.entries(fieldsOf(index.root.escalation) ?? {})) {
    for (const step of entries(steps, ["escalation", priority])) {
      for (const target of listOf(step.fields.sms)) if (typeof target === "string") targets.add(target);
      if (step.fields.sms !== undefined && index.root.sms === undefined) {
        issues.push({ path: [...step.path, "sms"], expected: "an `sms` section (the gateway's address) for steps that send SMS", found: "no sms section" });
      }
    }
  }
  const needPhone = new Set<string>();
  if (targets.has("all_experts")) for (const person of index.people) if (person.fields.role === "expert") needPhone.add(textOf(person.fields.id) ?? "");
  if (targets.has("on_call") || targets.has("backup")) {
    for (const value of Object.values(fieldsOf(index.root.oncall) ?? {})) {
      const oncall = fieldsOf(value);
      if (!oncall) continue;
      if (targets.has("on_call")) for (const shift of entries(oncall.weekly, [])) needPhone.add(textOf(shift.fields.expert) ?? "");
      needPhone.add(textOf(oncall.backup) ?? "");
    }
  }
  const usesSms = index.root.sms !== undefined || targets.size > 0;
  for (const person of index.people) {
    const id = textOf(person.fields.id) ?? "";
    const phone = person.fields.phone;
    if (typeof phone === "string" && person.fields.role === "expert" && usesSms && internationalNumber(phone) === undefined) {
      issues.push({
        path: [...person.path, "phone"],
        expected: "a phone number in international form, + and country code, such as +856 20 5555 0123 (SMS pages need it)",
        found: describeValue(phone),
      });
    } else if (phone === undefined && needPhone.has(id) && index.root.sms !== undefined) {
      issues.push({ path: person.path, expected: "a `phone` such as +856 20 5555 0123: escalation steps page this expert by SMS", found: "no phone" });
    }
  }
  return issues;
}

/** Tags are matched without regard to case, so `#Urgent` and `#urgent` are the same tag. */
function checkTags(index: Index): Issue[] {
  const issues: Issue[] = [];
  const first = new Map<string, PathSegment[]>();
  for (const [priority, tags] of Object.entries(fieldsOf(index.root.tags) ?? {})) {
    listOf(tags).forEach((tag, i) => {
      if (typeof tag !== "string") return;
      const key = tag.normalize("NFC").toLowerCase();
      const path = ["tags", priority, i];
      const earlier = first.get(key);
      if (earlier) {
        issues.push({ path, expected: `a tag not already used (${formatPath(earlier)} has it)`, found: describeValue(tag) });
      } else first.set(key, path);
    });
  }
  return issues;
}

function checkRetention(index: Index): Issue[] {
  const retention = fieldsOf(index.root.retention);
  const min = textOf(retention?.min_lifetime);
  const max = textOf(retention?.max_lifetime);
  const issues = [...checkDuration(min, ["retention", "min_lifetime"]), ...checkDuration(max, ["retention", "max_lifetime"])];
  const minMs = min === undefined ? undefined : parseDuration(min);
  const maxMs = max === undefined ? undefined : parseDuration(max);
  if (minMs !== undefined && maxMs !== undefined && minMs > maxMs) {
    issues.push({
      path: ["retention", "min_lifetime"],
      expected: `a duration no longer than max_lifetime (${max})`,
      found: describeValue(min),
    });
  }
  return issues;
}

/** The schema checks a duration's form; this catches one too long to count in milliseconds. */
function checkDuration(text: string | undefined, path: PathSegment[]): Issue[] {
  if (text === undefined || !/^\d+(s|m|h|d)$/.test(text) || parseDuration(text) !== undefined) return [];
  return [{ path, expected: "a duration short enough to count (days, not millennia)", found: describeValue(text) }];
}

function checkTexts(index: Index): Issue[] {
  const issues: Issue[] = [];
  const rules = fieldsOf(index.root.rules);
  for (const item of entries(rules?.items, ["rules", "items"])) {
    issues.push(...checkPlaceholders(item, RULE_PLACEHOLDERS, false));
  }
  const district = fieldsOf(fieldsOf(index.root.rooms)?.district);
  const name = fieldsOf(district?.name);
  const topic = fieldsOf(district?.topic);
  if (name) issues.push(...checkPlaceholders({ fields: name, path: ["rooms", "district", "name"] }, DISTRICT_ROOM_PLACEHOLDERS, true));
  if (topic) issues.push(...checkPlaceholders({ fields: topic, path: ["rooms", "district", "topic"] }, DISTRICT_ROOM_PLACEHOLDERS, false));
  return issues;
}

/** Each language of a localized text uses only known placeholders, and all of them when `required`. */
function checkPlaceholders(text: Entry, known: readonly string[], required: boolean): Issue[] {
  const list = known.map((name) => `{${name}}`).join(", ");
  const issues: Issue[] = [];
  for (const language of ["en", "lo"] as const) {
    const value = textOf(text.fields[language]);
    if (value === undefined) continue;
    const used = placeholdersIn(value);
    const unknown = used.find((name) => !known.includes(name));
    const path = [...text.path, language];
    if (unknown !== undefined) {
      issues.push({ path, expected: `text whose placeholders are among ${list}`, found: describeValue(`{${unknown}}`) });
    } else if (required && known.some((name) => !used.includes(name))) {
      issues.push({ path, expected: `text containing ${list}, so that each district's room has its own name`, found: describeValue(value) });
    }
  }
  return issues;
}

function entries(value: unknown, path: PathSegment[]): Entry[] {
  return listOf(value).flatMap((item, i) => {
    const fields = fieldsOf(item);
    return fields ? [{ fields, path: [...path, i] }] : [];
  });
}

function firstById(list: Entry[], key: string): Map<string, Entry> {
  const map = new Map<string, Entry>();
  for (const entry of list) {
    const id = textOf(entry.fields[key]);
    if (id !== undefined && !map.has(id)) map.set(id, entry);
  }
  return map;
}

function fieldsOf(value: unknown): Fields | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Fields) : undefined;
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function textOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
