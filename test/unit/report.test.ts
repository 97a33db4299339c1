import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { parseProvince } from "../../src/config/load.ts";
import type { Priority, Province, Specialty } from "../../src/config/schema.ts";
import { reportCommand } from "../../src/consult/report-command.ts";
import { CHARTS } from "../../src/consult/report-html.ts";
import { renderReport } from "../../src/consult/report-render.ts";
import { statsHeadline } from "../../src/consult/report-stats.ts";
import { computeReport, lastDays, median, nearestRank, type ConsultReport } from "../../src/consult/report.ts";
import type { ConsultRecord, Outcome } from "../../src/consult/types.ts";
import { render } from "../../src/i18n/index.ts";

// ── The province: the small test fixture plus a third district, so that districts differ ──
// Targets (fixture): emergency 5 min, urgent 20 min, routine 240 min. Ladders: the defaults,
// five steps each (emergency 5m, 5m, 10m, 10m, 15m).

function testProvince(edit: (p: Province) => void = () => {}): Province {
  const result = parseProvince(readFileSync("test/fixtures/small-province.yaml", "utf8"), "small-province.yaml");
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join("\n"));
  const province = result.province;
  province.districts.push({
    id: "west",
    name: { en: "West", lo: "ຕາເວັນຕົກ", lo_reviewed: false },
    federate: false,
    facilities: [
      { id: "west-dh", kind: "district_hospital", name: { en: "West District Hospital (test)", lo: "ໂຮງໝໍເມືອງ ຕາເວັນຕົກ (ທົດສອບ)", lo_reviewed: false } },
      { id: "west-hc1", kind: "health_centre", name: { en: "West Health Centre 1 (test)", lo: "ສຸກສາລາ ຕາເວັນຕົກ 1 (ທົດສອບ)", lo_reviewed: false } },
    ],
  });
  edit(province);
  return province;
}

// ── The scripted month: March 2026 in Asia/Vientiane (UTC+7) ──

const MIN = 60_000;
/** An instant given as a local time in Vientiane. */
const vientiane = (date: string, time = "09:00") => Date.parse(`${date}T${time}:00+07:00`);
/** The figures are taken three minutes into April, Vientiane time. */
const NOW = vientiane("2026-04-01", "00:01");

const DISTRICT_OF: Record<string, string> = { "north-ph": "north", "north-hc1": "north", "south-hc1": "south", "west-dh": "west", "west-hc1": "west" };

interface Row {
  day: string;
  time?: string;
  facility: string;
  priority: Priority;
  specialty: Specialty;
  /** Minutes to the first expert response; null: never answered. */
  answer: number | null;
  step: number;
  outcome?: Outcome | "none";
  referredTo?: string;
}

// Status follows `outcome`: a row without one is still open; "none" is closed without an outcome.
const E = "emergency",
  U = "urgent",
  R = "routine";
const OB = "obstetrics",
  PD = "paediatrics",
  GE = "general";
const ML = "managed_locally",
  RF = "referred",
  AR = "arrived_at_referral_facility";

const MONTH: Row[] = [
  // Emergency: 16. Answered 1, 2, 3, 3, 4, 4⅓, 5, 5, 6, 8, 10, 12, 20; three never answered.
  { day: "2026-03-01", time: "00:00", facility: "north-hc1", priority: E, specialty: OB, answer: 1, step: -1, outcome: ML },
  { day: "2026-03-02", facility: "north-hc1", priority: E, specialty: OB, answer: 2, step: -1, outcome: RF, referredTo: "north-ph" },
  { day: "2026-03-03", facility: "south-hc1", priority: E, specialty: OB, answer: 3, step: -1, outcome: ML },
  { day: "2026-03-04", facility: "south-hc1", priority: E, specialty: PD, answer: 3, step: -1, outcome: AR, referredTo: "north-ph" },
  { day: "2026-03-05", facility: "west-hc1", priority: E, specialty: OB, answer: 4, step: -1, outcome: ML },
  { day: "2026-03-06", facility: "north-ph", priority: E, specialty: OB, answer: 4 + 20 / 60, step: -1, outcome: ML },
  { day: "2026-03-07", facility: "north-hc1", priority: E, specialty: OB, answer: 5, step: -1, outcome: RF, referredTo: "north-ph" },
  { day: "2026-03-08", facility: "south-hc1", priority: E, specialty: OB, answer: 5, step: -1, outcome: "maternal_death" },
  { day: "2026-03-09", facility: "west-hc1", priority: E, specialty: OB, answer: 6, step: 1, outcome: AR, referredTo: "west-dh" },
  { day: "2026-03-10", facility: "north-hc1", priority: E, specialty: PD, answer: 8, step: 1, outcome: "newborn_death" },
  { day: "2026-03-11", facility: "south-hc1", priority: E, specialty: OB, answer: 10, step: 1, outcome: RF, referredTo: "north-ph" },
  { day: "2026-03-12", facility: "north-hc1", priority: E, specialty: OB, answer: 12, step: 3, outcome: AR, referredTo: "north-ph" },
  { day: "2026-03-13", facility: "west-dh", priority: E, specialty: OB, answer: 20, step: 4, referredTo: "north-ph" },
  { day: "2026-03-14", facility: "south-hc1", priority: E, specialty: OB, answer: null, step: -1, outcome: ML },
  // Referred to a facility since removed from the config.
  { day: "2026-03-15", facility: "north-hc1", priority: E, specialty: OB, answer: null, step: 4, outcome: RF, referredTo: "old-hospital" },
  // Opened three minutes before NOW, unanswered: still inside its 5-minute target, so pending.
  { day: "2026-03-31", time: "23:58", facility: "north-ph", priority: E, specialty: PD, answer: null, step: -1 },

  // Urgent: 14. Answered 6, 10, 12, 15, 17¾, 20, 20, 25, 30, 45, 60, 90; two never answered.
  { day: "2026-03-01", facility: "north-hc1", priority: U, specialty: OB, answer: 6, step: -1, outcome: ML },
  { day: "2026-03-02", facility: "south-hc1", priority: U, specialty: OB, answer: 10, step: -1, outcome: ML },
  { day: "2026-03-03", facility: "north-ph", priority: U, specialty: PD, answer: 12, step: -1, outcome: ML },
  { day: "2026-03-04", facility: "west-hc1", priority: U, specialty: OB, answer: 15, step: -1, outcome: ML },
  { day: "2026-03-05", facility: "north-hc1", priority: U, specialty: OB, answer: 17.75, step: -1, outcome: RF, referredTo: "north-ph" },
  { day: "2026-03-06", facility: "south-hc1", priority: U, specialty: GE, answer: 20, step: -1, outcome: ML },
  { day: "2026-03-07", facility: "north-hc1", priority: U, specialty: PD, answer: 20, step: -1, outcome: ML },
  { day: "2026-03-08", facility: "south-hc1", priority: U, specialty: OB, answer: 25, step: 1, outcome: RF, referredTo: "west-dh" },
  { day: "2026-03-09", facility: "west-hc1", priority: U, specialty: OB, answer: 30, step: 1, outcome: AR, referredTo: "north-ph" },
  { day: "2026-03-10", facility: "north-ph", priority: U, specialty: OB, answer: 45, step: 3, outcome: ML },
  { day: "2026-03-11", facility: "south-hc1", priority: U, specialty: PD, answer: 60, step: 3, outcome: "none" },
  { day: "2026-03-12", facility: "north-hc1", priority: U, specialty: OB, answer: 90, step: 4 },
  { day: "2026-03-13", facility: "south-hc1", priority: U, specialty: GE, answer: null, step: -1, outcome: ML },
  { day: "2026-03-14", facility: "west-hc1", priority: U, specialty: OB, answer: null, step: 4 },

  // Routine: 10. Answered 30, 60, 90, 120, 200, 240, 300, 600; two never answered.
  { day: "2026-03-15", facility: "north-hc1", priority: R, specialty: OB, answer: 30, step: -1, outcome: ML },
  { day: "2026-03-16", facility: "south-hc1", priority: R, specialty: PD, answer: 60, step: -1, outcome: ML },
  { day: "2026-03-17", facility: "north-ph", priority: R, specialty: GE, answer: 90, step: -1, outcome: ML },
  { day: "2026-03-18", facility: "west-hc1", priority: R, specialty: OB, answer: 120, step: -1, outcome: ML },
  { day: "2026-03-19", facility: "north-hc1", priority: R, specialty: PD, answer: 200, step: -1, outcome: ML },
  { day: "2026-03-20", facility: "south-hc1", priority: R, specialty: OB, answer: 240, step: -1, outcome: "other" },
  { day: "2026-03-21", facility: "north-hc1", priority: R, specialty: OB, answer: 300, step: 1, outcome: RF, referredTo: "north-ph" },
  { day: "2026-03-22", facility: "south-hc1", priority: R, specialty: GE, answer: 600, step: 3, outcome: AR, referredTo: "north-ph" },
  { day: "2026-03-23", facility: "north-ph", priority: R, specialty: PD, answer: null, step: 4, outcome: "other" },
  // Open for 40 hours at NOW: past its 240-minute target, so a miss, not pending.
  { day: "2026-03-30", time: "08:00", facility: "south-hc1", priority: R, specialty: OB, answer: null, step: 4 },

  // Outside the period, both still open. 23:59 on 28 February in Vientiane; and 00:00 on
  // 1 April in Vientiane, which is still 31 March in UTC.
  { day: "2026-02-28", time: "23:59", facility: "north-hc1", priority: E, specialty: OB, answer: null, step: 4 },
  { day: "2026-04-01", time: "00:00", facility: "south-hc1", priority: E, specialty: OB, answer: null, step: -1 },
];

function consult(row: Row, i: number): ConsultRecord {
  const openedAt = vientiane(row.day, row.time);
  const closed = row.outcome !== undefined;
  return {
    caseId: `TL-${String(i + 1).padStart(4, "0")}`,
    requestEventId: `$request${i}`,
    roomId: `!${DISTRICT_OF[row.facility]}:mchlink.test`,
    districtId: DISTRICT_OF[row.facility] as string,
    facilityId: row.facility,
    requester: "@nurse-n1:mchlink.test",
    priority: row.priority,
    specialty: row.specialty,
    openedBy: i % 2 === 0 ? "command" : "tag",
    openedAt,
    ...(row.answer === null ? {} : { firstResponseAt: openedAt + Math.round(row.answer * MIN), firstResponder: "@obstetrician:mchlink.test" }),
    escalationStep: row.step,
    status: closed ? "closed" : "open",
    ...(closed ? { closedAt: openedAt + 24 * 60 * MIN } : {}),
    ...(row.outcome !== undefined && row.outcome !== "none" ? { outcome: row.outcome } : {}),
    ...(row.referredTo === undefined ? {} : { referredTo: row.referredTo, referredAt: openedAt + 30 * MIN }),
  };
}

const CONSULTS = MONTH.map(consult);
const MARCH = { from: "2026-03-01", to: "2026-03-31", now: NOW };

describe("percentiles", () => {
  it("median is the middle value, or the mean of the two middle ones", () => {
    expect(median([])).toBeUndefined();
    expect(median([7])).toBe(7);
    expect(median([1, 2, 3])).toBe(2);
    expect(median([1, 2, 3, 10])).toBe(2.5);
  });

  it("90th percentile by nearest rank: the value at rank ceil(0.9 n)", () => {
    const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    expect(nearestRank([], 90)).toBeUndefined();
    expect(nearestRank([42], 90)).toBe(42);
    expect(nearestRank(upTo(10), 90)).toBe(9);
    expect(nearestRank(upTo(11), 90)).toBe(10);
    expect(nearestRank(upTo(13), 90)).toBe(12);
    expect(nearestRank(upTo(70), 90)).toBe(63);
    // (7 / 100) × 100 is 7.000000000000001 in floating point: the rank must still be 7.
    expect(nearestRank(upTo(100), 7)).toBe(7);
    expect(nearestRank(upTo(5), 100)).toBe(5);
  });
});

describe("a scripted month of consults", () => {
  let report: ConsultReport;
  beforeAll(() => {
    report = computeReport(CONSULTS, testProvince(), MARCH);
  });

  it("takes the consults opened in the period by the Vientiane calendar", () => {
    expect(report.period).toEqual({ from: "2026-03-01", to: "2026-03-31" });
    expect(report.all.consults).toBe(40);
    expect(report.status).toEqual({ open: 5, closed: 35 });
    // Open now counts the two open consults outside the period too.
    expect(report.openNow).toBe(7);
    // Moving the period by a day moves the boundary consults.
    const shifted = computeReport(CONSULTS, testProvince(), { from: "2026-03-02", to: "2026-04-01", now: NOW });
    expect(shifted.all.consults).toBe(40 - 2 + 1);
  });

  it("response times overall: median, nearest-rank 90th percentile, unanswered apart", () => {
    expect(report.all).toEqual({
      consults: 40,
      answered: 33,
      unanswered: 7,
      // 33 answered times: the 17th is 17¾ min, rounded half up; the 30th (ceil 29.7) is 200.
      medianMinutes: 17.8,
      p90Minutes: 200,
      withinTarget: 21,
      pending: 1,
      // 21 of the 39 decided consults.
      percentWithinTarget: 53.8,
    });
  });

  it("per priority, each against its own target", () => {
    const [emergency, urgent, routine] = report.priorities;
    expect(emergency).toEqual({
      id: "emergency",
      targetMinutes: 5,
      consults: 16,
      answered: 13,
      unanswered: 3,
      medianMinutes: 5,
      p90Minutes: 12,
      withinTarget: 8,
      pending: 1,
      percentWithinTarget: 53.3,
    });
    expect(urgent).toEqual({
      id: "urgent",
      targetMinutes: 20,
      consults: 14,
      answered: 12,
      unanswered: 2,
      medianMinutes: 20,
      p90Minutes: 60,
      withinTarget: 7,
      pending: 0,
      percentWithinTarget: 50,
    });
    expect(routine).toEqual({
      id: "routine",
      targetMinutes: 240,
      consults: 10,
      answered: 8,
      unanswered: 2,
      medianMinutes: 160,
      p90Minutes: 600,
      withinTarget: 6,
      pending: 0,
      percentWithinTarget: 60,
    });
  });

  it("per district, every district of the config in its order", () => {
    expect(report.districts.map((d) => [d.id, d.consults, d.answered, d.medianMinutes, d.p90Minutes, d.withinTarget, d.percentWithinTarget])).toEqual([
      ["north", 19, 16, 14.9, 200, 11, 61.1],
      ["south", 14, 11, 20, 240, 7, 50],
      ["west", 7, 6, 17.5, 120, 3, 42.9],
    ]);
    expect(report.districts[0]?.consultsByPriority).toEqual({ emergency: 8, urgent: 6, routine: 5 });
    expect(report.districts[0]?.name).toEqual({ en: "North", lo: "ເໜືອ" });
  });

  it("per facility and specialty", () => {
    expect(report.facilities.map((f) => [f.id, f.districtId, f.consults])).toEqual([
      ["north-ph", "north", 6],
      ["north-hc1", "north", 13],
      ["south-hc1", "south", 14],
      ["west-dh", "west", 1],
      ["west-hc1", "west", 6],
    ]);
    expect(report.specialties.map((s) => [s.id, s.consults])).toEqual([
      ["obstetrics", 27],
      ["paediatrics", 9],
      ["general", 4],
    ]);
  });

  it("response-time bands over answered consults", () => {
    expect(report.responseBands).toEqual([
      { upToMinutes: 5, consults: 8 },
      { upToMinutes: 10, consults: 5 },
      { upToMinutes: 15, consults: 3 },
      { upToMinutes: 30, consults: 7 },
      { upToMinutes: 60, consults: 3 },
      { upToMinutes: 240, consults: 5 },
      { upToMinutes: null, consults: 2 },
    ]);
  });

  it("escalation steps reached, by priority", () => {
    const reached = report.escalation.map((row) => [row.priority, row.consults, row.noStep, row.steps.map((s) => s.reached)]);
    expect(reached).toEqual([
      ["emergency", 16, 10, [6, 6, 3, 3, 2]],
      ["urgent", 14, 8, [6, 6, 4, 4, 2]],
      ["routine", 10, 6, [4, 4, 3, 3, 2]],
    ]);
    expect(report.escalation[0]?.steps.map((s) => [s.afterMinutes, s.action])).toEqual([
      [5, "page_backup"],
      [5, "post_experts_room"],
      [10, "page_all_experts"],
      [10, "alert_coordinator"],
      [15, "advise_phone_and_referral"],
    ]);
  });

  it("referrals by receiving facility, and outcomes of closed consults", () => {
    expect(report.referrals).toEqual({
      count: 13,
      byFacility: [
        { id: "north-ph", name: { en: "North Provincial Hospital (test)", lo: "ໂຮງໝໍແຂວງ ເໜືອ (ທົດສອບ)" }, count: 10 },
        { id: "west-dh", name: { en: "West District Hospital (test)", lo: "ໂຮງໝໍເມືອງ ຕາເວັນຕົກ (ທົດສອບ)" }, count: 2 },
        { id: "old-hospital", name: { en: "old-hospital", lo: "old-hospital" }, count: 1 },
      ],
    });
    expect(report.outcomes).toEqual({
      managed_locally: 18,
      referred: 7,
      arrived_at_referral_facility: 5,
      maternal_death: 1,
      newborn_death: 1,
      other: 2,
    });
    expect(report.closedWithoutOutcome).toBe(1);
  });

  it("shows the published Ghana median as a reference", () => {
    expect(report.reference.medianResponseMinutes).toBe(17);
  });

  it("the !stats headline carries the same figures", () => {
    const en = render(statsHeadline(report, "en")).body;
    expect(en).toBe(
      [
        "Consults from 2026-03-01 to 2026-03-31",
        "• Consults: 40",
        "• Median response: 17.8 min · 90th percentile response: 200.0 min (7 never answered)",
        "• Answered within target: 53.8% (21 of 39)",
        "• Referrals: 13",
        "• Open now (opened on any date): 7",
        "",
        "For comparison only, not a target: an obstetric WhatsApp teleconsultation network in Ghana (13 sites) published a median expert response of 17 min (PLoS One, 2022).",
      ].join("\n"),
    );
    const lo = render(statsHeadline(report, "lo")).body;
    expect(lo).toContain("17.8 ນາທີ");
    expect(lo).toContain("53.8% (21 ໃນ 39)");
  });
});

describe("edge cases", () => {
  it("no consults: zeros, no medians, no share", () => {
    const report = computeReport([], testProvince(), MARCH);
    expect(report.all).toEqual({ consults: 0, answered: 0, unanswered: 0, medianMinutes: null, p90Minutes: null, withinTarget: 0, pending: 0, percentWithinTarget: null });
    expect(report.districts.map((d) => d.consults)).toEqual([0, 0, 0]);
    expect(report.escalation.map((r) => r.steps.map((s) => s.reached))).toEqual([
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
    ]);
    expect(report.referrals).toEqual({ count: 0, byFacility: [] });
    for (const format of ["md", "csv", "json", "html"] as const) expect(renderReport(report, format, "lo")).not.toBe("");
    expect(renderReport(report, "md", "en")).toContain("No consults were opened in this period.");
    expect(render(statsHeadline(report, "en")).body).toContain("Median response: – · 90th percentile response: –");
  });

  it("all unanswered: counted apart, never as a time, and every one a miss", () => {
    const unanswered = CONSULTS.filter((c) => c.firstResponseAt === undefined && c.openedAt < vientiane("2026-03-31"));
    const report = computeReport(unanswered, testProvince(), MARCH);
    expect(report.all).toEqual({ consults: 6, answered: 0, unanswered: 6, medianMinutes: null, p90Minutes: null, withinTarget: 0, pending: 0, percentWithinTarget: 0 });
  });

  it("one consult: median and 90th percentile are its time", () => {
    const one = consult({ day: "2026-03-10", facility: "west-hc1", priority: "urgent", specialty: "obstetrics", answer: 7.5, step: -1, outcome: "managed_locally" }, 0);
    const report = computeReport([one], testProvince(), MARCH);
    expect(report.all).toMatchObject({ consults: 1, answered: 1, medianMinutes: 7.5, p90Minutes: 7.5, withinTarget: 1, percentWithinTarget: 100 });
    expect(report.districts.map((d) => d.consults)).toEqual([0, 0, 1]);
  });

  it("an answer exactly at the target is within it, a second later is not", () => {
    const at = (seconds: number) =>
      consult({ day: "2026-03-10", facility: "north-hc1", priority: "emergency", specialty: "obstetrics", answer: seconds / 60, step: -1, outcome: "managed_locally" }, 0);
    expect(computeReport([at(300)], testProvince(), MARCH).all.withinTarget).toBe(1);
    expect(computeReport([at(301)], testProvince(), MARCH).all.withinTarget).toBe(0);
  });

  it("targets come from the config", () => {
    const strict = testProvince((p) => (p.rules.expected_answer_minutes.emergency = 3));
    // 1, 2, 3, 3 are within 3 minutes. The consult opened 3 minutes before NOW has waited
    // its whole target: no longer pending, it is a miss.
    expect(computeReport(CONSULTS, strict, MARCH).priorities[0]).toMatchObject({ targetMinutes: 3, withinTarget: 4, pending: 0, percentWithinTarget: 25 });
  });

  it("lastDays counts today as the last day, in the province's calendar", () => {
    expect(lastDays(NOW, 7, "Asia/Vientiane")).toEqual({ from: "2026-03-26", to: "2026-04-01" });
    expect(lastDays(NOW, 1, "UTC")).toEqual({ from: "2026-03-31", to: "2026-03-31" });
  });
});

describe("renderings", () => {
  const province = testProvince();
  const report = computeReport(CONSULTS, province, MARCH);

  it("JSON round-trips to the same report", () => {
    expect(JSON.parse(renderReport(report, "json", "en"))).toEqual(report);
  });

  it("CSV: a header, six quoted-or-numeric fields per row, and the figures", () => {
    const csv = renderReport(report, "csv", "lo");
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(csv.endsWith("\r\n")).toBe(true);
    const rows = parseCsv(csv.slice(1));
    expect(rows[0]).toEqual(["section", "id", "name_en", "name_lo", "metric", "value"]);
    for (const row of rows) expect(row).toHaveLength(6);
    const value = (section: string, id: string, metric: string) => rows.find((r) => r[0] === section && r[1] === id && r[4] === metric)?.[5];
    expect(value("all", "", "median_response_minutes")).toBe("17.8");
    expect(value("all", "", "p90_response_minutes")).toBe("200");
    expect(value("district", "north", "consults")).toBe("19");
    expect(value("district", "west", "consults_emergency")).toBe("3");
    expect(value("priority", "emergency", "percent_within_target")).toBe("53.3");
    expect(value("escalation", "urgent.4.advise_phone_and_referral", "reached")).toBe("2");
    expect(value("outcome", "maternal_death", "consults")).toBe("1");
    expect(value("referral_facility", "north-ph", "referrals")).toBe("10");
    expect(value("reference", "ghana_obstetric_whatsapp_2022", "median_response_minutes")).toBe("17");
    expect(rows.find((r) => r[1] === "north")?.slice(2, 4)).toEqual(["North", "ເໜືອ"]);
    // Every text field is quoted; numbers and empty figures are bare.
    for (const line of csv.slice(1).trimEnd().split("\r\n").slice(1)) expect(line).toMatch(/^"[^"]*",("[^"]*"|""),/);
  });

  it("CSV quotes commas, quotes and line breaks, and defuses formulas", () => {
    const tricky = testProvince((p) => {
      const facility = p.districts[2]?.facilities[1];
      if (facility) facility.name = { en: 'West "HC", 1\nannex', lo: "=HYPERLINK(1)", lo_reviewed: false };
    });
    const rows = parseCsv(renderReport(computeReport(CONSULTS, tricky, MARCH), "csv", "en").slice(1));
    const row = rows.find((r) => r[0] === "facility" && r[1] === "west-hc1");
    expect(row?.slice(2, 4)).toEqual(['West "HC", 1\nannex', "'=HYPERLINK(1)"]);
    for (const r of rows) expect(r).toHaveLength(6);
  });

  it("Markdown: bilingual headings, a table per breakdown, the reference beside ours", () => {
    const md = renderReport(report, "md", "lo");
    expect(md).toContain("# ລາຍງານການປຶກສາ: ເທສແລນ / Consult report: Testland");
    expect(md).toContain("## ການປຶກສາ ຕາມເມືອງ / Consults by district");
    expect(md).toMatch(/\| ເໜືອ \/ North \| 19 \| 3 \| 14\.9 ນາທີ \| 200\.0 ນາທີ \| 61\.1% \(11 ໃນ 18\) \|/);
    expect(md).toContain("17.8 ນາທີ");
    expect(md).toContain("(13 sites) published a median expert response of 17 min");
  });

  describe("HTML", () => {
    const html = renderReport(report, "html", "lo");

    it("has one <svg> per chart", () => {
      expect(Array.from(html.matchAll(/<svg data-chart="([a-z_]+)"/g), (m) => m[1])).toEqual([...CHARTS]);
      expect(html.match(/<svg\b/g)).toHaveLength(CHARTS.length);
    });

    it("is self-contained: nothing is fetched", () => {
      expect(html).not.toMatch(/https?:|url\(|@import|<link|<script|<img|<iframe|\bsrc=|\bhref=/i);
    });

    it("draws bars to scale and shows the Ghana reference beside our median", () => {
      const chart = svg(html, "median_by_district");
      expect(chart).toContain("ທຸກເມືອງ");
      expect(chart).toContain("17.8 ນາທີ");
      expect(chart).toContain('class="reference"');
      expect(chart).toContain("Ghana network, published (not a target)");
      const widths = Array.from(svg(html, "by_district").matchAll(/width="([\d.]+)" height="20"/g), (m) => Number(m[1]));
      // North's three segments (8, 6, 5 consults) against South's (5, 5, 4).
      const north = (widths[0] ?? 0) + (widths[1] ?? 0) + (widths[2] ?? 0);
      const south = (widths[3] ?? 0) + (widths[4] ?? 0) + (widths[5] ?? 0);
      expect(south / north).toBeCloseTo(14 / 19, 2);
    });

    it("escapes every name from the config", () => {
      const hostile = testProvince((p) => {
        const district = p.districts[0];
        if (district) district.name = { en: `<script>alert("d")</script>`, lo: `</svg><img src=x onerror=alert(1)>`, lo_reviewed: false };
        const facility = p.districts[1]?.facilities[0];
        if (facility) facility.name = { en: `A & B <b>"hc"</b>`, lo: `' onmouseover='x`, lo_reviewed: false };
        p.province.name = { en: "<i>Testland</i>", lo: "ເທສແລນ", lo_reviewed: false };
      });
      const page = renderReport(computeReport(CONSULTS, hostile, MARCH), "html", "en");
      expect(page).not.toContain("<script");
      expect(page).not.toContain("<img");
      expect(page).not.toContain("<b>");
      expect(page).not.toContain("<i>Testland");
      expect(page).toContain("&lt;script&gt;alert(&quot;d&quot;)&lt;/script&gt;");
      expect(page).toContain("A &amp; B &lt;b&gt;&quot;hc&quot;&lt;/b&gt;");
      expect(page).toContain("&#39; onmouseover=&#39;x");
      const tags = new Set(Array.from(page.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g), (m) => (m[1] as string).toLowerCase()));
      expect([...tags].filter((tag) => !PAGE_TAGS.has(tag))).toEqual([]);
      expect(page.match(/<svg\b/g)).toHaveLength(CHARTS.length);
    });
  });
});

describe("reportCommand", () => {
  const province = testProvince();

  it("renders the asked period and format", () => {
    const result = reportCommand(CONSULTS, province, { from: "2026-03-01", to: "2026-03-31", format: "json", now: NOW });
    expect(result.ok).toBe(true);
    if (result.ok) expect(JSON.parse(result.output).all.consults).toBe(40);
  });

  it("defaults to the last 30 days up to today, as Markdown", () => {
    const result = reportCommand(CONSULTS, province, { now: NOW, lang: "en" });
    expect(result.ok && result.output).toContain("Consults opened from 2026-03-03 to 2026-04-01 (Asia/Vientiane time)");
  });

  it("answers a wrong option with what to do", () => {
    expect(reportCommand(CONSULTS, province, { from: "2026-02-30", now: NOW, lang: "en" })).toEqual({
      ok: false,
      error: "--from needs a date such as 2026-03-31, not 2026-02-30.\n--from ຕ້ອງເປັນວັນທີ ເຊັ່ນ 2026-03-31, ບໍ່ແມ່ນ 2026-02-30.",
    });
    expect(reportCommand(CONSULTS, province, { to: "31/03/2026", now: NOW, lang: "en" })).toMatchObject({ ok: false, error: expect.stringContaining("--to needs a date") });
    expect(reportCommand(CONSULTS, province, { from: "2026-04-02", to: "2026-03-01", now: NOW, lang: "en" })).toMatchObject({ ok: false, error: expect.stringContaining("Swap --from and --to") });
    expect(reportCommand(CONSULTS, province, { format: "pdf", now: NOW, lang: "en" })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^Unknown report format pdf\. Choose one of: md, csv, json, html\.\n/),
    });
  });
});

/** Tags a report page may contain; anything else came from text that was not escaped. */
const PAGE_TAGS = new Set([
  "html",
  "head",
  "meta",
  "title",
  "style",
  "body",
  "header",
  "footer",
  "section",
  "div",
  "h1",
  "h2",
  "p",
  "span",
  "i",
  "ul",
  "li",
  "table",
  "thead",
  "tbody",
  "tr",
  "th",
  "td",
  "svg",
  "text",
  "rect",
  "line",
]);

function svg(html: string, chart: string): string {
  const start = html.indexOf(`<svg data-chart="${chart}"`);
  return html.slice(start, html.indexOf("</svg>", start));
}

/** A strict RFC 4180 reader, written apart from the renderer so that it can disagree. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), (i += 2);
      else if (c === '"') (quoted = false), i++;
      else (field += c), i++;
    } else if (c === '"') {
      if (field !== "") throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
      i++;
    } else if (c === ",") row.push(field), (field = ""), i++;
    else if (c === "\r" && text[i + 1] === "\n") row.push(field), rows.push(row), (row = []), (field = ""), (i += 2);
    else if (c === "\n" || c === "\r") throw new Error(`bare line break outside quotes at ${i}`);
    else (field += c), i++;
  }
  if (quoted) throw new Error("unterminated quoted field");
  if (field !== "" || row.length > 0) throw new Error("last line without CRLF");
  return rows;
}
