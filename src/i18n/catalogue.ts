// Every sentence the bot and the CLI show to people, in English and Lao.
// Placeholders are `{name}` (lowercase, digits, underscore); English and Lao must
// use the same set, which the unit tests check. Keep sentences short and plain:
// a nurse reads them at a glance on a small phone, often mid-emergency.
//
// `lo_reviewed` turns true only when a native Lao clinical speaker has checked the
// Lao text. `node scripts/i18n-review.ts` lists what still needs checking.

export interface Entry {
  readonly en: string;
  readonly lo: string;
  readonly lo_reviewed: boolean;
}

export const catalogue = {
  // Errors and notices any command may produce.
  "error.permission_refused": {
    en: "You are not allowed to use {command}. Ask your coordinator if you need it.",
    lo: "ທ່ານບໍ່ມີສິດໃຊ້ {command}. ຖ້າທ່ານຕ້ອງການ, ກະລຸນາຖາມຜູ້ປະສານງານ.",
    lo_reviewed: false,
  },
  "error.unknown_command": {
    en: "I do not know the command {command}. Did you mean {suggestion}?",
    lo: "ຂ້ອຍບໍ່ຮູ້ຈັກຄຳສັ່ງ {command}. ທ່ານໝາຍເຖິງ {suggestion} ບໍ?",
    lo_reviewed: false,
  },
  "error.unknown_command_no_suggestion": {
    en: "I do not know the command {command}. Send {help} to see all commands.",
    lo: "ຂ້ອຍບໍ່ຮູ້ຈັກຄຳສັ່ງ {command}. ສົ່ງ {help} ເພື່ອເບິ່ງຄຳສັ່ງທັງໝົດ.",
    lo_reviewed: false,
  },
  "error.usage": {
    en: "Usage: {usage}",
    lo: "ວິທີໃຊ້: {usage}",
    lo_reviewed: false,
  },
  "error.input_too_long": {
    en: "Your message is too long ({length} characters). Please keep it under {max} characters.",
    lo: "ຂໍ້ຄວາມຂອງທ່ານຍາວເກີນໄປ ({length} ຕົວອັກສອນ). ກະລຸນາຂຽນໃຫ້ສັ້ນກວ່າ {max} ຕົວອັກສອນ.",
    lo_reviewed: false,
  },
  "error.internal": {
    en: "Something went wrong on my side. Please try again. If it is urgent, phone {phone}.",
    lo: "ມີບັນຫາຢູ່ຝ່າຍຂ້ອຍ. ກະລຸນາລອງໃໝ່. ຖ້າດ່ວນ, ໃຫ້ໂທຫາ {phone}.",
    lo_reviewed: false,
  },
  "notice.could_not_decrypt": {
    en: "I could not read your last message because it did not decrypt. Please send it again. If it is urgent, phone {phone}.",
    lo: "ຂ້ອຍອ່ານຂໍ້ຄວາມລ່າສຸດຂອງທ່ານບໍ່ໄດ້ ເພາະຖອດລະຫັດບໍ່ໄດ້. ກະລຸນາສົ່ງໃໝ່. ຖ້າດ່ວນ, ໃຫ້ໂທຫາ {phone}.",
    lo_reviewed: false,
  },

  // Joining a room.
  "welcome.message": {
    en: "Welcome, {name}. This room is for {room_purpose}.",
    lo: "ຍິນດີຕ້ອນຮັບ, {name}. ຫ້ອງນີ້ແມ່ນສຳລັບ {room_purpose}.",
    lo_reviewed: false,
  },
  "welcome.help_hint": {
    en: "Send {help} to see what I can do.",
    lo: "ສົ່ງ {help} ເພື່ອເບິ່ງວ່າຂ້ອຍຊ່ວຍຫຍັງໄດ້ແດ່.",
    lo_reviewed: false,
  },

  // Help.
  "help.title": {
    en: "What I can do",
    lo: "ສິ່ງທີ່ຂ້ອຍຊ່ວຍໄດ້",
    lo_reviewed: false,
  },
  "help.more": {
    en: "Send {example} to read more about one command.",
    lo: "ສົ່ງ {example} ເພື່ອອ່ານເພີ່ມກ່ຽວກັບຄຳສັ່ງໜຶ່ງ.",
    lo_reviewed: false,
  },

  // Choosing a language. Each text is said in its own language.
  "language.changed": {
    en: "From now on I will reply in English.",
    lo: "ຕໍ່ໄປນີ້ ຂ້ອຍຈະຕອບເປັນພາສາລາວ.",
    lo_reviewed: false,
  },
  "language.unknown": {
    en: "I do not know the language {language}. Choose {choices}.",
    lo: "ຂ້ອຍບໍ່ຮູ້ຈັກພາສາ {language}. ກະລຸນາເລືອກ {choices}.",
    lo_reviewed: false,
  },
  "language.name.lo": {
    en: "Lao",
    lo: "ພາສາລາວ",
    lo_reviewed: false,
  },
  "language.name.en": {
    en: "English",
    lo: "ພາສາອັງກິດ",
    lo_reviewed: false,
  },

  // Who am I.
  "whoami.title": {
    en: "Your account",
    lo: "ບັນຊີຂອງທ່ານ",
    lo_reviewed: false,
  },
  "whoami.name": {
    en: "Name: {name}",
    lo: "ຊື່: {name}",
    lo_reviewed: false,
  },
  "whoami.user_id": {
    en: "Matrix ID: {user_id}",
    lo: "ໄອດີ Matrix: {user_id}",
    lo_reviewed: false,
  },
  "whoami.role": {
    en: "Role: {role}",
    lo: "ໜ້າທີ່: {role}",
    lo_reviewed: false,
  },
  "whoami.facility": {
    en: "Facility: {facility}",
    lo: "ສະຖານບໍລິການ: {facility}",
    lo_reviewed: false,
  },
  "whoami.district": {
    en: "District: {district}",
    lo: "ເມືອງ: {district}",
    lo_reviewed: false,
  },
  "whoami.language": {
    en: "Language: {language}",
    lo: "ພາສາ: {language}",
    lo_reviewed: false,
  },
  "whoami.not_in_roster": {
    en: "You are not in the province roster yet. Ask your coordinator to add you.",
    lo: "ທ່ານຍັງບໍ່ມີຊື່ໃນລາຍຊື່ຂອງແຂວງ. ກະລຸນາຂໍໃຫ້ຜູ້ປະສານງານເພີ່ມຊື່ທ່ານ.",
    lo_reviewed: false,
  },

  // Roles, in the users' words.
  "role.provider": {
    en: "health worker",
    lo: "ພະນັກງານສາທາລະນະສຸກ",
    lo_reviewed: false,
  },
  "role.expert": {
    en: "expert doctor",
    lo: "ທ່ານໝໍຊ່ຽວຊານ",
    lo_reviewed: false,
  },
  "role.coordinator": {
    en: "coordinator",
    lo: "ຜູ້ປະສານງານ",
    lo_reviewed: false,
  },
  "role.admin": {
    en: "administrator",
    lo: "ຜູ້ດູແລລະບົບ",
    lo_reviewed: false,
  },

  // Guideline cards.
  "guide.disclaimer": {
    en: "This card supports and does not replace clinical judgement.",
    lo: "ບັດນີ້ຊ່ວຍສະໜັບສະໜູນ ແຕ່ບໍ່ແທນການຕັດສິນໃຈທາງຄລີນິກຂອງທ່ານ.",
    lo_reviewed: false,
  },
  "guide.summary_heading": {
    en: "Key points",
    lo: "ຈຸດສຳຄັນ",
    lo_reviewed: false,
  },
  "guide.steps_heading": {
    en: "What to do",
    lo: "ສິ່ງທີ່ຕ້ອງເຮັດ",
    lo_reviewed: false,
  },
  "guide.source": {
    en: "Source: {title}. {publisher}, {year}.",
    lo: "ແຫຼ່ງຂໍ້ມູນ: {title}. {publisher}, {year}.",
    lo_reviewed: false,
  },
  "guide.last_reviewed": {
    en: "Last reviewed: {date}",
    lo: "ກວດຄືນຄັ້ງລ່າສຸດ: {date}",
    lo_reviewed: false,
  },
  "guide.reviewed_by": {
    en: "Clinical review: {reviewer}",
    lo: "ການກວດທາງຄລີນິກ: {reviewer}",
    lo_reviewed: false,
  },
  "guide.lo_unreviewed": {
    en: "The Lao text of this card has not yet been checked by a clinician. If you are unsure, read the English card.",
    lo: "ຂໍ້ຄວາມພາສາລາວໃນບັດນີ້ ຍັງບໍ່ໄດ້ຖືກກວດໂດຍທ່ານໝໍ. ຖ້າບໍ່ແນ່ໃຈ, ໃຫ້ອ່ານບັດພາສາອັງກິດ.",
    lo_reviewed: false,
  },
  "guide.not_found": {
    en: "No guide card matches “{query}”.",
    lo: "ບໍ່ພົບບັດຄູ່ມືສຳລັບ “{query}”.",
    lo_reviewed: false,
  },
  "guide.topics_title": {
    en: "Guide cards",
    lo: "ບັດຄູ່ມື",
    lo_reviewed: false,
  },
  "guide.topics_hint": {
    en: "Send {example} to open a card.",
    lo: "ສົ່ງ {example} ເພື່ອເປີດບັດ.",
    lo_reviewed: false,
  },

  // The printed onboarding sheet (`mchlink apply` writes one page per facility).
  "onboarding.title": {
    en: "Your account for expert advice",
    lo: "ບັນຊີຂອງທ່ານ ສຳລັບຂໍຄຳປຶກສາຈາກແພດຊ່ຽວຊານ",
    lo_reviewed: false,
  },
  "onboarding.facility_title": {
    en: "Login sheets: {facility}",
    lo: "ໃບເຂົ້າລະບົບ: {facility}",
    lo_reviewed: false,
  },
  "onboarding.name": { en: "Name", lo: "ຊື່", lo_reviewed: false },
  "onboarding.username": { en: "Username", lo: "ຊື່ຜູ້ໃຊ້", lo_reviewed: false },
  "onboarding.password": { en: "First password", lo: "ລະຫັດຜ່ານທຳອິດ", lo_reviewed: false },
  "onboarding.homeserver": { en: "Server", lo: "ເຊີບເວີ", lo_reviewed: false },
  "onboarding.password_unknown": {
    en: "(given earlier; ask the admin for a new one)",
    lo: "(ໃຫ້ແລ້ວກ່ອນໜ້ານີ້; ຂໍລະຫັດໃໝ່ຈາກຜູ້ດູແລລະບົບ)",
    lo_reviewed: false,
  },
  "onboarding.step_install": {
    en: "Install the Element app from the Play Store.",
    lo: "ຕິດຕັ້ງແອັບ Element ຈາກ Play Store.",
    lo_reviewed: false,
  },
  "onboarding.step_server": {
    en: "Open Element and tap Sign in. Tap Edit next to the server. Type the server address above.",
    lo: "ເປີດ Element ແລ້ວກົດ Sign in. ກົດ Edit ຢູ່ຂ້າງເຊີບເວີ. ພິມທີ່ຢູ່ເຊີບເວີຂ້າງເທິງ.",
    lo_reviewed: false,
  },
  "onboarding.step_login": {
    en: "Type your username and first password. Then choose a new password in Settings.",
    lo: "ພິມຊື່ຜູ້ໃຊ້ ແລະ ລະຫັດຜ່ານທຳອິດ. ຈາກນັ້ນຕັ້ງລະຫັດຜ່ານໃໝ່ໃນ Settings.",
    lo_reviewed: false,
  },
  "onboarding.step_recovery": {
    en: "When Element shows a recovery key, write it down and keep it safe.",
    lo: "ເມື່ອ Element ສະແດງລະຫັດກູ້ຄືນ (recovery key), ໃຫ້ຂຽນໄວ້ ແລະ ເກັບໄວ້ໃຫ້ດີ.",
    lo_reviewed: false,
  },
  "onboarding.step_rooms": {
    en: "Your district room and the training room are already in your list. Say hello in the training room first.",
    lo: "ຫ້ອງເມືອງຂອງທ່ານ ແລະ ຫ້ອງຝຶກອົບຮົມ ມີຢູ່ໃນລາຍການແລ້ວ. ທົດລອງທັກທາຍໃນຫ້ອງຝຶກອົບຮົມກ່ອນ.",
    lo_reviewed: false,
  },
  "onboarding.keep_private": {
    en: "Keep this paper private. Do not take a photo of it. Destroy it after your first login.",
    lo: "ເກັບເຈ້ຍນີ້ໄວ້ເປັນຄວາມລັບ. ຢ່າຖ່າຍຮູບ. ທຳລາຍຖິ້ມຫຼັງຈາກເຂົ້າລະບົບຄັ້ງທຳອິດ.",
    lo_reviewed: false,
  },
  "rules.title": {
    en: "Rules of the {province} expert advice rooms",
    lo: "ກົດລະບຽບ ຂອງຫ້ອງຂໍຄຳປຶກສາ ແຂວງ{province}",
    lo_reviewed: false,
  },
} as const satisfies Record<string, Entry>;

export type MessageKey = keyof typeof catalogue;

/** The placeholder names in a message template, as a union of string literals. */
export type PlaceholderNames<S extends string> = S extends `${string}{${infer Name}}${infer Rest}`
  ? Name | PlaceholderNames<Rest>
  : never;

/** The values a key's placeholders need; the English text is the reference (tests keep Lao equal). */
export type Params<K extends MessageKey, V = string | number> = {
  readonly [P in PlaceholderNames<(typeof catalogue)[K]["en"]>]: V;
};
