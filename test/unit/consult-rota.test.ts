import { describe, expect, it } from "vitest";
import type { Province } from "../../src/config/schema.ts";
import { zonedInstant } from "../../src/consult/local-time.ts";
import { nameOf, onCallAt, userIdOf, type RotaOverride } from "../../src/consult/rota.ts";
import { smallProvince, uid } from "./consult-support.ts";

const PARTNER = "@dr.noy:partner.example";
const TZ = "Asia/Vientiane";
/** A local wall time in Vientiane: `at("2026-03-02", "09:00")`. */
const at = (date: string, time: string) => zonedInstant(TZ, date, Number(time.slice(0, 2)) * 60 + Number(time.slice(3)));

function rotaProvince(): Province {
  const base = smallProvince();
  return {
    ...base,
    federation: { partners: ["partner.example"], partner_experts: [{ user_id: PARTNER, name: "Dr Noy (partner)", specialty: "obstetrics", language: "en" }] },
    people: [
      ...base.people,
      { id: "ob-day", name: "Day Obstetrician", role: "expert", specialty: "obstetrics", facility: "north-ph", language: "lo" },
      { id: "ob-night", name: "Night Obstetrician", role: "expert", specialty: "obstetrics", facility: "north-ph", language: "lo" },
    ],
    oncall: {
      obstetrics: {
        weekly: [
          { days: ["mon", "tue", "wed", "thu", "fri"], from: "08:00", to: "20:00", expert: "ob-day" },
          { days: ["mon", "tue", "wed", "thu"], from: "20:00", to: "08:00", expert: "ob-night" },
          { days: ["fri"], from: "20:00", to: "08:00", expert: PARTNER },
        ],
        backup: "obstetrician",
        overrides: [{ from: "2026-04-13", to: "2026-04-16", expert: "ob-night" }],
      },
    },
  };
}

const province = rotaProvince();
const obs = (instant: number, overrides: RotaOverride[] = []) => onCallAt(province, "obstetrics", instant, overrides);

describe("on-call rota", () => {
  it("follows the weekly pattern in local time, with the shift's end", () => {
    // 2026-03-02 is a Monday.
    expect(obs(at("2026-03-02", "09:00"))).toEqual({ expert: uid("ob-day"), backup: uid("obstetrician"), until: at("2026-03-02", "20:00") });
    expect(obs(at("2026-03-02", "08:00")).expert).toBe(uid("ob-day"));
    expect(obs(at("2026-03-02", "19:59")).expert).toBe(uid("ob-day"));
  });

  it("runs a night shift past midnight into the next day", () => {
    expect(obs(at("2026-03-02", "20:00"))).toMatchObject({ expert: uid("ob-night"), until: at("2026-03-03", "08:00") });
    expect(obs(at("2026-03-03", "03:30"))).toMatchObject({ expert: uid("ob-night"), until: at("2026-03-03", "08:00") });
    // Friday's night shift (a partner expert) covers Saturday morning.
    expect(obs(at("2026-03-07", "07:59"))).toMatchObject({ expert: PARTNER, until: at("2026-03-07", "08:00") });
    // Sunday night has no shift (only mon-thu nights), so Monday 07:00 is a gap.
    expect(obs(at("2026-03-09", "07:00")).expert).toBeUndefined();
  });

  it("leaves a gap in the pattern to the backup", () => {
    expect(obs(at("2026-03-07", "09:00"))).toEqual({ backup: uid("obstetrician") });
  });

  it("reads the day and hour in the province's time zone, not UTC", () => {
    // Friday 13:30 UTC is Friday 20:30 in Vientiane: the night shift, not the day one.
    expect(obs(Date.UTC(2026, 2, 6, 13, 30)).expert).toBe(PARTNER);
    // Monday 20:30 UTC is Tuesday 03:30 in Vientiane: Monday's night shift.
    expect(obs(Date.UTC(2026, 2, 2, 20, 30)).expert).toBe(uid("ob-night"));
    // Sunday 18:00 UTC is Monday 01:00: no shift started on Sunday night.
    expect(obs(Date.UTC(2026, 2, 1, 18, 0)).expert).toBeUndefined();
  });

  it("replaces whole local days with the config's dated overrides, both ends included", () => {
    expect(obs(at("2026-04-13", "00:00"))).toMatchObject({ expert: uid("ob-night"), until: at("2026-04-17", "00:00") });
    expect(obs(at("2026-04-14", "10:00")).expert).toBe(uid("ob-night"));
    expect(obs(at("2026-04-16", "23:59")).expert).toBe(uid("ob-night"));
    expect(obs(at("2026-04-17", "09:00")).expert).toBe(uid("ob-day"));
    expect(obs(at("2026-04-12", "23:59")).expert).toBeUndefined();
  });

  it("puts a coordinator's override above everything, the latest one first", () => {
    const base = { specialty: "obstetrics", setBy: uid("coordinator") } as const;
    const overrides: RotaOverride[] = [
      { ...base, slot: "expert", userId: uid("obstetrician"), from: at("2026-04-14", "10:00"), to: at("2026-04-14", "14:00"), setAt: 1 },
      { ...base, slot: "expert", userId: PARTNER, from: at("2026-04-14", "12:00"), to: at("2026-04-14", "13:00"), setAt: 2 },
      { ...base, slot: "backup", userId: uid("ob-day"), from: at("2026-04-14", "00:00"), to: at("2026-04-15", "00:00"), setAt: 3 },
    ];
    expect(obs(at("2026-04-14", "11:00"), overrides)).toEqual({ expert: uid("obstetrician"), backup: uid("ob-day"), until: at("2026-04-14", "14:00") });
    expect(obs(at("2026-04-14", "12:30"), overrides).expert).toBe(PARTNER);
    expect(obs(at("2026-04-14", "14:00"), overrides)).toMatchObject({ expert: uid("ob-night"), backup: uid("ob-day") });
    expect(obs(at("2026-04-15", "00:00"), overrides).backup).toBe(uid("obstetrician"));
    // Another specialty's override changes nothing here.
    expect(obs(at("2026-04-14", "11:00"), [{ ...overrides[0]!, specialty: "paediatrics" }]).expert).toBe(uid("ob-night"));
  });

  it("has nobody for a specialty without a rota, unless a coordinator sets one", () => {
    expect(onCallAt(province, "general", at("2026-03-02", "09:00"), [])).toEqual({});
    const set: RotaOverride = { specialty: "general", slot: "expert", userId: uid("obstetrician"), from: 0, to: Number.MAX_SAFE_INTEGER, setBy: uid("coordinator"), setAt: 1 };
    expect(onCallAt(province, "general", at("2026-03-02", "09:00"), [set])).toEqual({ expert: uid("obstetrician"), until: Number.MAX_SAFE_INTEGER });
  });

  it("names people by Matrix ID, local or partner", () => {
    expect(userIdOf(province, "ob-day")).toBe("@ob-day:mchlink.test");
    expect(userIdOf(province, PARTNER)).toBe(PARTNER);
    expect(nameOf(province, uid("ob-day"))).toBe("Day Obstetrician");
    expect(nameOf(province, PARTNER)).toBe("Dr Noy (partner)");
    expect(nameOf(province, "@stranger:elsewhere")).toBe("@stranger:elsewhere");
  });
});
