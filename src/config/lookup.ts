// Lookups over a loaded province. Linear scans: a province has hundreds of people, not millions.
import type { District, Facility, Person, Province, Specialty } from "./schema.ts";

export function personById(province: Province, id: string): Person | undefined {
  return province.people.find((person) => person.id === id);
}

export function facilities(province: Province): Facility[] {
  return province.districts.flatMap((district) => district.facilities);
}

export function facilityById(province: Province, id: string): Facility | undefined {
  return facilities(province).find((facility) => facility.id === id);
}

export function districtOfFacility(province: Province, facilityId: string): District | undefined {
  return province.districts.find((district) => district.facilities.some((facility) => facility.id === facilityId));
}

/** Local experts only; partner experts are in `province.federation.partner_experts`. */
export function expertsBySpecialty(province: Province, specialty: Specialty): Person[] {
  return province.people.filter((person) => person.role === "expert" && person.specialty === specialty);
}
