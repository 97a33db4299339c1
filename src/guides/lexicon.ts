// The words the matcher understands itself, so that a card's keywords never have to:
// who and when a query is about (stage and patient words, ages, weeks of pregnancy), words
// shared by many cards (bleeding, fever, fit, pain...), and filler. A query that names a
// stage never opens a card for another stage; a query that fits only through a shared word
// gets the list of candidates. English and Lao, with the misspellings nurses type.
// The Lao lists are a draft: they need a native Lao clinical speaker's review (see docs/i18n.md).

/** Whom and when a card is for; `older` is a patient no card covers (a child of 5 or more). */
export const STAGES = ["pregnancy", "labour", "postpartum", "newborn", "child"] as const;
export type Stage = (typeof STAGES)[number];
export type QueryStage = Stage | "older";

const PREGNANT: QueryStage[] = ["pregnancy", "labour"];
const LABOUR: QueryStage[] = ["labour"];
const AFTER_BIRTH: QueryStage[] = ["postpartum", "newborn"];
const POSTPARTUM: QueryStage[] = ["postpartum"];
const NEWBORN: QueryStage[] = ["newborn"];
const YOUNG: QueryStage[] = ["newborn", "child"];
const CHILD: QueryStage[] = ["child"];
const MOTHER: QueryStage[] = ["pregnancy", "labour", "postpartum"];

/** Latin stage and patient phrases (normalized words), each with the stages it allows. */
export const STAGE_PHRASES: readonly (readonly [string, readonly QueryStage[]])[] = [
  ...words(PREGNANT, "pregnant pregnancy pregnacy pregancy pregnent pregant prenant preg prego pregnat antenatal antinatal prenatal antepartum anc gestation gestational trimester expecting"),
  ...phrases(
    PREGNANT,
    "ante natal|pre natal|ante partum|before birth|before the birth|before delivery|before the delivery|before delivering|before giving birth|before labour|before labor|not yet delivered|not delivered|weeks pregnant|months pregnant|first trimester|second trimester|third trimester",
  ),
  ["early pregnancy", ["pregnancy"]],
  ...words(LABOUR, "labour labor laboring labouring intrapartum contractions pushing"),
  ...phrases(LABOUR, "in labour|in labor|during labour|during labor|during delivery|during birth|giving birth|second stage|first stage"),
  ...words(AFTER_BIRTH, "postnatal delivered"),
  ...phrases(
    AFTER_BIRTH,
    "post natal|after birth|after the birth|after delivery|after the delivery|after delivering|after giving birth|after childbirth|gave birth|just delivered|has delivered|had delivered|after baby born|after the baby was born",
  ),
  ...words(POSTPARTUM, "postpartum postpartun postpatum puerperal puerperium puerpural"),
  ...phrases(POSTPARTUM, "post partum|post delivery"),
  ...words(NEWBORN, "newborn newborns newbron newbor neonate neonates neonatal neonatl neo"),
  ...phrases(NEWBORN, "new born|young infant|new baby"),
  ...words(YOUNG, "baby babies babe bb infant infants son daughter"),
  // Nurses call a newborn "baby" or "newborn"; "child" is the sick-child age, 2 months to 5 years.
  ...words(CHILD, "child children chid chlid kid kids toddler"),
  ...phrases(CHILD, "under five|under 5|under fives"),
  ...words(MOTHER, "mother mothers mom mum mam mama woman women wife lady maternal"),
];

/** Lao stage and patient phrases, compared without spaces; longer ones are matched first. */
export const LAO_STAGE_PHRASES: readonly (readonly [string, readonly QueryStage[]])[] = [
  ["ແມ່ຍິງຖືພາ", PREGNANT],
  ["ຍິງຖືພາ", PREGNANT],
  ["ຖືພາ", PREGNANT],
  ["ມີທ້ອງ", PREGNANT],
  ["ຝາກທ້ອງ", PREGNANT],
  ["ກ່ອນເກີດລູກ", PREGNANT],
  ["ກ່ອນເກີດ", PREGNANT],
  ["ກ່ອນຄອດ", PREGNANT],
  ["ຍັງບໍ່ທັນເກີດ", PREGNANT],
  ["ເຈັບທ້ອງເກີດລູກ", LABOUR],
  ["ເຈັບທ້ອງອອກລູກ", LABOUR],
  ["ກຳລັງເກີດລູກ", LABOUR],
  ["ກຳລັງຄອດ", LABOUR],
  ["ເວລາເກີດລູກ", LABOUR],
  ["ຂະນະເກີດລູກ", LABOUR],
  ["ແມ່ຫຼັງເກີດລູກ", POSTPARTUM],
  ["ຫຼັງເກີດລູກ", AFTER_BIRTH],
  ["ຫຼັງຄອດລູກ", AFTER_BIRTH],
  ["ຫຼັງຄອດ", AFTER_BIRTH],
  ["ເກີດລູກແລ້ວ", AFTER_BIRTH],
  ["ຫຼັງເກີດ", AFTER_BIRTH],
  ["ຢູ່ກຳ", POSTPARTUM],
  ["ເດັກເກີດໃໝ່", NEWBORN],
  ["ເດັກແດງ", NEWBORN],
  ["ເກີດໃໝ່", NEWBORN],
  ["ລູກອ່ອນ", NEWBORN],
  ["ເດັກອ່ອນ", NEWBORN],
  ["ແອນ້ອຍ", YOUNG],
  ["ເດັກນ້ອຍ", YOUNG],
  ["ເດັກ", YOUNG],
  ["ແມ່ຍິງ", MOTHER],
  ["ຜູ້ຍິງ", MOTHER],
  // ແມ່ alone is "mother"; ແມ່ນ is the everyday word "is", so it is excluded where matched.
  ["ແມ່", MOTHER],
  // Giving birth without saying before or after: labour or just after.
  ["ເກີດລູກ", ["labour", "postpartum", "newborn"]],
  ["ຄອດລູກ", ["labour", "postpartum", "newborn"]],
];

/** Words shared by many cards. A query that fits a card only through these lists the candidates. */
export const GENERIC: Readonly<Record<string, { readonly en: readonly string[]; readonly lo: readonly string[]; readonly inSteps?: boolean }>> = {
  bleeding: {
    en: split("bleeding bleed bleeds bled bleding bleeing blood bloody haemorrhage hemorrhage hemorrage haemorrage haemorhage hemorhage hemmorhage hemmorrhage haemorrhaging hemorrhaging spotting"),
    lo: ["ເລືອດອອກ", "ຕົກເລືອດ", "ເສຍເລືອດ", "ເລືອດ"],
  },
  fever: { en: split("fever fevers feverish febrile temperature temp hot pyrexia fevre fver"), lo: ["ເປັນໄຂ້", "ໄຂ້", "ຕົວຮ້ອນ", "ອຸນຫະພູມ"] },
  fit: {
    en: split("fit fits fitting seizure seizures seizing siezure seziure convulsion convulsions convulsing convulse convulsed jerking shaking"),
    lo: ["ຊັກກະຕຸກ", "ຊັກ", "ກະຕຸກ"],
  },
  pain: { en: split("pain pains painful ache aches aching hurt hurts hurting cramp cramps cramping headache"), lo: ["ເຈັບທ້ອງ", "ປວດທ້ອງ", "ເຈັບ", "ປວດ"] },
  danger: {
    en: split("danger dangerous warning sign signs symptom symptoms emergency urgent problem problems complication complications"),
    lo: ["ອັນຕະລາຍ", "ອາການ", "ສັນຍານ", "ສຸກເສີນ", "ດ່ວນ"],
  },
  sick: { en: split("sick ill unwell infection infected weak poorly"), lo: ["ເຈັບປ່ວຍ", "ບໍ່ສະບາຍ", "ຕິດເຊື້ອ", "ປ່ວຍ"] },
  breathing: { en: split("breathing breath breathe breaths respiration respiratory"), lo: ["ຫາຍໃຈ"] },
  unconscious: { en: split("unconscious unresponsive lethargic lethargy drowsy coma collapsed collapse fainted fainting"), lo: ["ບໍ່ຮູ້ສຶກຕົວ", "ບໍ່ຮູ້ຕົວ", "ສະຫຼົບ", "ເປັນລົມ"] },
  shock: { en: split("shock shocked"), lo: ["ຊ໊ອກ", "ຊັອກ"] },
  // Drugs given at several stages: oxytocin in labour, after birth, for a retained placenta;
  // misoprostol after birth and in early pregnancy loss.
  // A card is about a drug when its steps give it (or forbid it), hence inSteps.
  uterotonic: { en: split("oxytocin oxytocics oxytocic misoprostol misoprostal ergometrine syntometrine uterotonic uterotonics"), lo: ["ອົກຊີໂຕຊິນ", "ມີໂຊໂປຣສໂຕນ"], inSteps: true },
};

/** Filler: carries no meaning for choosing a card. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  split(
    "a an the is are was were be been has have had having with without at in on of for to and or my her his she he it its this that our their lot lots very much many heavy severe bad what how do does i we you patient case help guide card please pls now after before during since ago old age aged weeks week wks wk w days day d months month mo mos mth mths years year yrs yr yo y m g about from by who which when there here just still first second third last other every some again also very much more less will would should could being than then where",
  ),
);

export const LAO_STOP_WORDS: readonly string[] = [
  "ຫຼາຍໆ",
  "ຫຼາຍ",
  "ແລ້ວ",
  "ແມ່ນ",
  "ມີ",
  "ຢູ່",
  "ແລະ",
  "ຂອງ",
  "ໃຫ້",
  "ເປັນ",
  "ຄົນ",
  "ໄດ້",
  "ຍັງ",
  "ນາງ",
  "ທີ່",
  "ໃນ",
  "ກັບ",
  "ຫຼື",
  "ຈະ",
  "ອາຍຸ",
  "ປີ",
  "ເດືອນ",
  "ອາທິດ",
  "ມື້",
  "ຕອນ",
  "ໜັກ",
  "ຂ້ອຍ",
  "ຊ່ວຍ",
  "ແນວໃດ",
  "ຫຍັງ",
  "ເຮັດ",
  "ຄື",
];

function split(text: string): string[] {
  return text.split(" ").filter((w) => w !== "");
}

function words(stages: readonly QueryStage[], text: string): [string, readonly QueryStage[]][] {
  return split(text).map((w) => [w, stages]);
}

function phrases(stages: readonly QueryStage[], text: string): [string, readonly QueryStage[]][] {
  return text.split("|").map((p) => [p, stages]);
}
