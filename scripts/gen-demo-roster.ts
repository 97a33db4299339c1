// Writes config/bokeo.yaml, the Bokeo demo province, from the tables below.
//   node scripts/gen-demo-roster.ts
// Deterministic: the same script always writes the same file, and a unit test checks the
// committed file against it, so edit here and regenerate rather than editing the YAML.
//
// The districts are Bokeo's real five; everything inside them (facilities, people, phone
// numbers) is invented, because no public list of Bokeo's facilities exists, and is named
// so that nobody can mistake it for real.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DEMO_HOSPITAL_PHONE } from "../src/config/phone.ts";
import { DEFAULT_ESCALATION, Priority } from "../src/config/schema.ts";

export const BOKEO_YAML_FILE = fileURLToPath(new URL("../config/bokeo.yaml", import.meta.url));

interface DemoDistrict {
  id: string;
  code: string;
  en: string;
  lo: string;
  healthCentres: number;
}

// Lao spellings are unverified. Health-centre counts are invented.
const DISTRICTS: DemoDistrict[] = [
  { id: "houayxay", code: "hx", en: "Houayxay", lo: "ຫ້ວຍຊາຍ", healthCentres: 7 },
  { id: "tonpheung", code: "tp", en: "Tonpheung", lo: "ຕົ້ນເຜິ້ງ", healthCentres: 6 },
  { id: "meung", code: "mg", en: "Meung", lo: "ເມິງ", healthCentres: 4 },
  { id: "pha-oudom", code: "po", en: "Pha Oudom", lo: "ຜາອຸດົມ", healthCentres: 8 },
  { id: "paktha", code: "pt", en: "Paktha", lo: "ປາກທາ", healthCentres: 6 },
];

// Providers per facility: 23 + 5 × 12 + 31 × 6 = 269, the number in the Bokeo study.
const PROVIDERS_PER = { provincial_hospital: 23, district_hospital: 12, health_centre: 6 } as const;
type Kind = keyof typeof PROVIDERS_PER;

const CADRES = { nurse: "Nurse", assistantNurse: "Assistant Nurse", assistantDoctor: "Assistant Doctor" } as const;

interface DemoFacility {
  id: string;
  kind: Kind;
  en: string;
  lo: string;
  phone: string;
}

interface DemoPerson {
  id: string;
  name: string;
  role: "provider" | "expert" | "coordinator" | "admin";
  facility: string;
  specialty?: "obstetrics" | "paediatrics";
  language: "lo" | "en";
}

const PROVINCIAL_HOSPITAL = "hx-ph";

/** Synthetic numbers: see the comment above `people` in the YAML. */
const mobile = (n: number) => `+856 20 0000 ${String(n).padStart(4, "0")}`;
const landline = (n: number) => `+856 84 000 ${String(n).padStart(3, "0")}`;

function facilitiesOf(district: DemoDistrict, districtIndex: number): DemoFacility[] {
  const list: DemoFacility[] = [];
  if (district.id === "houayxay") {
    list.push({ id: PROVINCIAL_HOSPITAL, kind: "provincial_hospital", en: "Bokeo Provincial Hospital (demo)", lo: "ໂຮງໝໍແຂວງບໍ່ແກ້ວ (ສາທິດ)", phone: landline(100) });
  }
  list.push({
    id: `${district.code}-dh`,
    kind: "district_hospital",
    en: `${district.en} District Hospital (demo)`,
    lo: `ໂຮງໝໍເມືອງ${district.lo} (ສາທິດ)`,
    phone: landline(101 + districtIndex),
  });
  for (let n = 1; n <= district.healthCentres; n++) {
    list.push({
      id: `${district.code}-hc${String(n).padStart(2, "0")}`,
      kind: "health_centre",
      en: `${district.en} Health Centre ${n} (demo)`,
      lo: `ສຸກສາລາ ${district.lo} ${n} (ສາທິດ)`,
      phone: landline(200 + districtIndex * 20 + n),
    });
  }
  return list;
}

/** Each health centre is led by an assistant doctor; hospitals have one in four. */
function cadreOf(kind: Kind, position: number): string {
  if (kind === "health_centre") return position === 0 ? CADRES.assistantDoctor : position % 2 === 1 ? CADRES.nurse : CADRES.assistantNurse;
  return [CADRES.assistantDoctor, CADRES.nurse, CADRES.assistantNurse, CADRES.nurse][position % 4] ?? CADRES.nurse;
}

function providersOf(district: DemoDistrict, facilities: DemoFacility[], firstNumber: number): DemoPerson[] {
  const people: DemoPerson[] = [];
  let number = firstNumber;
  for (const facility of facilities) {
    for (let position = 0; position < PROVIDERS_PER[facility.kind]; position++, number++) {
      const label = `${district.code.toUpperCase()}-${String(number).padStart(3, "0")}`;
      people.push({
        id: `${district.code}-${String(number).padStart(3, "0")}`,
        name: `Demo ${cadreOf(facility.kind, position)} ${label}`,
        role: "provider",
        facility: facility.id,
        // Hospital staff in town are likelier to read English; still a small minority.
        language: facility.kind !== "health_centre" && position % 8 === 7 ? "en" : "lo",
      });
    }
  }
  return people;
}

const PROVINCIAL_STAFF: DemoPerson[] = [
  { id: "ob-1", name: "Demo Obstetrician OB-1", role: "expert", facility: PROVINCIAL_HOSPITAL, specialty: "obstetrics", language: "en" },
  { id: "ob-2", name: "Demo Obstetrician OB-2", role: "expert", facility: PROVINCIAL_HOSPITAL, specialty: "obstetrics", language: "lo" },
  { id: "pd-1", name: "Demo Paediatrician PD-1", role: "expert", facility: PROVINCIAL_HOSPITAL, specialty: "paediatrics", language: "lo" },
  { id: "pd-2", name: "Demo Paediatrician PD-2", role: "expert", facility: PROVINCIAL_HOSPITAL, specialty: "paediatrics", language: "en" },
  { id: "mch-coordinator", name: "Demo MCH Coordinator", role: "coordinator", facility: PROVINCIAL_HOSPITAL, language: "en" },
  { id: "mchlink-admin", name: "Demo Admin", role: "admin", facility: PROVINCIAL_HOSPITAL, language: "lo" },
];

/** A YAML double-quoted scalar; JSON's escapes are valid YAML and Lao stays readable. */
const q = (text: string) => JSON.stringify(text);
const localized = (en: string, lo: string) => `{ en: ${q(en)}, lo: ${q(lo)}, lo_reviewed: false }`;

function personLine(person: DemoPerson, phoneNumber: number): string {
  const fields = [`id: ${person.id}`, `name: ${q(person.name)}`, `role: ${person.role}`, `facility: ${person.facility}`];
  if (person.specialty) fields.push(`specialty: ${person.specialty}`);
  if (person.language !== "lo") fields.push(`language: ${person.language}`);
  fields.push(`phone: ${q(mobile(phoneNumber))}`);
  return `  - { ${fields.join(", ")} }`;
}

export function demoProvinceYaml(): string {
  const districts = DISTRICTS.map((district, i) => ({ district, facilities: facilitiesOf(district, i) }));
  const out: string[] = [];
  const line = (text = "") => out.push(text);

  line("# yaml-language-server: $schema=./province.schema.json");
  line("#");
  line("# Bokeo demo province for mchlink. The five districts and the provincial hospital are real;");
  line("# EVERYTHING ELSE IS INVENTED: the other facilities, all people, all phone numbers. No public");
  line("# list of Bokeo's facilities exists. For demos, tests and training only.");
  line("#");
  line("# Generated by scripts/gen-demo-roster.ts: edit the script, then run");
  line("#   node scripts/gen-demo-roster.ts");
  line("# A unit test fails when this file and the script disagree.");
  line("#");
  line("# Lao text has not been checked by a native clinical speaker, so every Lao string says");
  line("# lo_reviewed: false. Set it to true only after such a review.");
  line("version: 1");
  line();
  line("province:");
  line("  id: bokeo");
  line(`  name: ${localized("Bokeo", "ບໍ່ແກ້ວ")}`);
  line("  case_prefix: BK");
  line("  timezone: Asia/Vientiane");
  line();
  line("homeserver:");
  line("  server_name: bokeo.mchlink.test");
  line();
  line("# Closed federation: only servers listed here may join, and the demo lists none.");
  line("federation:");
  line("  partners: []");
  line("  partner_experts: []");
  line();
  line("# Pregnancy cases run 9-24 months, from first antenatal visit to the child's first year,");
  line("# so messages are kept two years: TI-Messenger's 6-month default would delete a case's");
  line("# beginning while it is still open. The minimum stops accidental instant deletion.");
  line("retention:");
  line("  min_lifetime: 1d");
  line("  max_lifetime: 730d");
  line();
  line("bot:");
  line("  id: mchlink-bot");
  line('  name: "mchlink bot"');
  line('  command_prefix: "!"');
  line();
  line("# Shown to everyone on joining and with !rules. {hospital_phone}, {emergency}, {urgent} and");
  line("# {routine} are filled in from the fields below, so each number is written once.");
  line("rules:");
  line("  # Invented: a real deployment puts the provincial hospital's 24-hour number here;");
  line(`  # \`mchlink apply\` warns loudly while it is still this demo number (${DEMO_HOSPITAL_PHONE}).`);
  line(`  hospital_phone: ${q(DEMO_HOSPITAL_PHONE)}`);
  line("  # Matches the first escalation step of each priority.");
  line("  expected_answer_minutes: { emergency: 5, urgent: 20, routine: 240 }");
  line("  items:");
  for (const [en, lo] of RULES) {
    line(`    - en: ${q(en)}`);
    line(`      lo: ${q(lo)}`);
    line("      lo_reviewed: false");
  }
  line();
  line("# Room names and topics are NOT end-to-end encrypted: never any patient data in them.");
  line("rooms:");
  for (const [key, room] of Object.entries(ROOMS)) {
    line(`  ${key}:`);
    if (key === "district") line("    # {district} becomes the district's name.");
    line(`    name: ${localized(room.name[0], room.name[1])}`);
    line(`    topic: ${localized(room.topic[0], room.topic[1])}`);
  }
  line();
  line("districts:");
  for (const { district, facilities } of districts) {
    line(`  - id: ${district.id}`);
    line(`    name: ${localized(district.en, district.lo)}`);
    line("    facilities:");
    for (const facility of facilities) {
      line(`      - id: ${facility.id}`);
      line(`        kind: ${facility.kind}`);
      line(`        name: ${localized(facility.en, facility.lo)}`);
      line(`        phone: ${q(facility.phone)}`);
    }
  }
  line();
  line("# Every name says Demo and every number is invented. Mobile numbers are +856 20 0000 xxxx:");
  line("# a Lao mobile prefix followed by a subscriber number starting 0000, which we believe no");
  line("# operator issues (unverified). Facility numbers are +856 84 000 xxx in the same spirit.");
  line("# Never dial them. `language` is lo unless given.");
  line("people:");
  line("  # Provincial experts, coordinator and admin, all at the provincial hospital.");
  let phoneNumber = 1;
  for (const person of PROVINCIAL_STAFF) line(personLine(person, phoneNumber++));
  for (const { district, facilities } of districts) {
    let number = 1;
    for (const facility of facilities) {
      line(`  # ${facility.en}`);
      for (const person of providersOf(district, [facility], number)) {
        line(personLine(person, phoneNumber++));
        number++;
      }
    }
  }
  line();
  line("# Weekly rota in the province's time zone: days 08:00-20:00, nights 20:00-08:00 (a shift");
  line("# whose end is before its start runs past midnight). In Bangladesh about two thirds of");
  line("# urgent calls came between 20:00 and 08:00, so nights matter as much as days.");
  line("oncall:");
  for (const [specialty, [first, second]] of [
    ["obstetrics", ["ob-1", "ob-2"]],
    ["paediatrics", ["pd-1", "pd-2"]],
  ] as const) {
    line(`  ${specialty}:`);
    line("    weekly:");
    line(`      - { days: [mon, tue, wed, thu, fri], from: "08:00", to: "20:00", expert: ${first} }`);
    line(`      - { days: [mon, tue, wed, thu, fri], from: "20:00", to: "08:00", expert: ${second} }`);
    line(`      - { days: [sat, sun], from: "08:00", to: "20:00", expert: ${second} }`);
    line(`      - { days: [sat, sun], from: "20:00", to: "08:00", expert: ${first} }`);
    line(`    backup: ${second}`);
    if (specialty === "obstetrics") {
      line("    # Example: Lao New Year (Pi Mai), when ob-1 is away; both days included.");
      line("    overrides:");
      line(`      - { from: "2026-04-13", to: "2026-04-16", expert: ${second} }`);
    }
  }
  line();
  line("# What happens while a consult has no answer, counted from when it was asked. Two actions");
  line("# at the same moment are two steps with the same `after`.");
  line("escalation:");
  for (const priority of Priority.options) {
    line(`  ${priority}:`);
    for (const step of DEFAULT_ESCALATION[priority]) line(`    - { after: ${step.after}, action: ${step.action} }`);
  }
  line();
  line('# SMS paging through Kannel, for experts with data off (docs/deployment.md, "SMS paging"): add');
  line("# an `sms` section and `sms: [on_call]` (or backup, all_experts) to the steps that should also");
  line("# page by SMS. `npm run up` then starts a local Kannel with a fake SMS centre.");
  line("#   sms: { gateway: http://127.0.0.1:13013, listen: 127.0.0.1:13080 }");
  line("#   escalation: emergency: - { after: 5m, action: page_backup, sms: [on_call, backup] }");
  line();
  line("# A tag in a message sets the consult's priority; case does not matter.");
  line("# The Lao tags are unverified translations.");
  line("tags:");
  line('  emergency: ["#emergency", "#ສຸກເສີນ"]');
  line('  urgent: ["#urgent", "#ດ່ວນ"]');
  line('  routine: ["#routine", "#ທົ່ວໄປ"]');
  return `${out.join("\n")}\n`;
}

const RULES: [en: string, lo: string][] = [
  ["Never delay treatment or referral while you wait for a reply. If it is urgent, phone {hospital_phone}.", "ຢ່າຊັກຊ້າການປິ່ນປົວ ຫຼື ການສົ່ງຕໍ່ ເພື່ອລໍຖ້າຄຳຕອບ. ຖ້າດ່ວນ, ໃຫ້ໂທຫາ {hospital_phone}."],
  [
    "Privacy: never post anything that tells who a patient is: name, village, date of birth, ID or record numbers, phone number, face, intimate images. Use the case number.",
    "ຄວາມເປັນສ່ວນຕົວ: ຫ້າມສົ່ງສິ່ງທີ່ບອກໄດ້ວ່າຄົນເຈັບແມ່ນໃຜ: ຊື່, ບ້ານ, ວັນເດືອນປີເກີດ, ເລກບັດ ຫຼື ເລກແຟ້ມຄົນເຈັບ, ເບີໂທລະສັບ, ໃບໜ້າ, ຮູບພາບສ່ວນລັບ. ໃຫ້ໃຊ້ເລກກໍລະນີ.",
  ],
  ["Photos: only with the patient's consent, and cropped so that no face, name tag or document shows.", "ຮູບພາບ: ຖ່າຍສະເພາະເມື່ອຄົນເຈັບຍິນຍອມ, ແລະ ຕັດຮູບບໍ່ໃຫ້ເຫັນໃບໜ້າ, ປ້າຍຊື່ ຫຼື ເອກະສານ."],
  [
    "Never save a patient's photo on your phone or send it anywhere outside these rooms. Delete it from your gallery once sent.",
    "ຫ້າມບັນທຶກຮູບຄົນເຈັບໄວ້ໃນໂທລະສັບ ຫຼື ສົ່ງຮູບອອກໄປນອກຫ້ອງເຫຼົ່ານີ້. ລຶບອອກຈາກຄັງຮູບເມື່ອສົ່ງແລ້ວ.",
  ],
  ["Be professional and courteous: greet, describe the case clearly, thank whoever answers.", "ໃຫ້ສຸພາບ ແລະ ເປັນມືອາຊີບ: ທັກທາຍ, ອະທິບາຍກໍລະນີໃຫ້ຊັດເຈນ, ຂອບໃຈຜູ້ທີ່ຕອບ."],
  [
    "Expect an answer within {emergency} minutes for an emergency, {urgent} minutes if urgent, {routine} minutes if routine.",
    "ຄາດວ່າຈະໄດ້ຮັບຄຳຕອບ ພາຍໃນ {emergency} ນາທີ ສຳລັບກໍລະນີສຸກເສີນ, {urgent} ນາທີ ຖ້າດ່ວນ, {routine} ນາທີ ຖ້າທົ່ວໄປ.",
  ],
  [
    "If the network fails or nobody answers, phone the provincial hospital at {hospital_phone} and start the referral.",
    "ຖ້າເຄືອຂ່າຍຂັດຂ້ອງ ຫຼື ບໍ່ມີຜູ້ຕອບ, ໃຫ້ໂທຫາໂຮງໝໍແຂວງທີ່ເບີ {hospital_phone} ແລະ ເລີ່ມການສົ່ງຕໍ່ຄົນເຈັບ.",
  ],
  [
    "New here? Ask your coordinator for training, and practise with !practice in the training room: no real patients there.",
    "ຫາກທ່ານຫາກໍເລີ່ມໃຊ້: ຂໍການຝຶກອົບຮົມຈາກຜູ້ປະສານງານ, ແລະ ຝຶກຫັດດ້ວຍ !practice ໃນຫ້ອງຝຶກອົບຮົມ: ບໍ່ມີຄົນເຈັບແທ້ຢູ່ຫັ້ນ.",
  ],
  ["Advice here supports your clinical judgement; it does not replace it.", "ຄຳແນະນຳຢູ່ນີ້ແມ່ນເພື່ອຊ່ວຍການຕັດສິນໃຈທາງຄລີນິກຂອງທ່ານ, ບໍ່ແມ່ນແທນ."],
];

type Pair = [en: string, lo: string];
const ROOMS: Record<string, { name: Pair; topic: Pair }> = {
  space: {
    name: ["Bokeo MCH Link", "ບໍ່ແກ້ວ ສຸຂະພາບແມ່ ແລະ ເດັກ"],
    topic: ["Expert advice on maternal and child health for Bokeo's health workers.", "ຄຳປຶກສາຈາກແພດຊ່ຽວຊານ ດ້ານສຸຂະພາບແມ່ ແລະ ເດັກ ສຳລັບພະນັກງານສາທາລະນະສຸກ ແຂວງບໍ່ແກ້ວ."],
  },
  experts: {
    name: ["Experts", "ແພດຊ່ຽວຊານ"],
    topic: ["Experts on call coordinate here.", "ແພດຊ່ຽວຊານປະຈຳການ ປະສານງານກັນຢູ່ນີ້."],
  },
  announcements: {
    name: ["Announcements", "ແຈ້ງການ"],
    topic: ["Notices from the provincial MCH coordinator.", "ແຈ້ງການຈາກຜູ້ປະສານງານ ສຸຂະພາບແມ່ ແລະ ເດັກ ຂັ້ນແຂວງ."],
  },
  training: {
    name: ["Training", "ຝຶກອົບຮົມ"],
    topic: ["Practice cases and questions about using mchlink. Practice only: no real patients.", "ກໍລະນີຝຶກຫັດ ແລະ ຄຳຖາມກ່ຽວກັບການໃຊ້ mchlink. ສຳລັບຝຶກຫັດເທົ່ານັ້ນ: ບໍ່ແມ່ນຄົນເຈັບແທ້."],
  },
  district: {
    name: ["{district} consults", "ປຶກສາ {district}"],
    topic: ["Ask the experts about cases from {district}. Use case numbers, never patients' names.", "ຖາມແພດຊ່ຽວຊານກ່ຽວກັບກໍລະນີຈາກເມືອງ{district}. ໃຊ້ເລກກໍລະນີ, ຫ້າມໃຊ້ຊື່ຄົນເຈັບ."],
  },
};

if (import.meta.main) writeFileSync(BOKEO_YAML_FILE, demoProvinceYaml());
