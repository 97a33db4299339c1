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
  "federation.unreachable": {
    en: "This did not reach {names}: their hospital's server ({server}) is not answering. It will reach them when the server is back; the escalation goes on meanwhile.",
    lo: "ຂໍ້ຄວາມນີ້ບໍ່ໄປຮອດ {names}: ເຊີບເວີຂອງໂຮງໝໍເຂົາເຈົ້າ ({server}) ບໍ່ຕອບ. ມັນຈະໄປຮອດເມື່ອເຊີບເວີກັບມາ; ໃນລະຫວ່າງນີ້ ການສົ່ງຕໍ່ຂັ້ນຕອນຕໍ່ໄປຍັງດຳເນີນໄປ.",
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
    en: "Open Element and tap Sign in manually. In Account provider, type the server address above. Tap Continue.",
    lo: "ເປີດ Element ແລ້ວກົດ Sign in manually. ໃນຊ່ອງ Account provider ໃຫ້ພິມທີ່ຢູ່ເຊີບເວີຂ້າງເທິງ. ກົດ Continue.",
    lo_reviewed: false,
  },
  "onboarding.step_login": {
    en: "Type your username and first password, then tap Continue. Keep the password secret.",
    lo: "ພິມຊື່ຜູ້ໃຊ້ ແລະ ລະຫັດຜ່ານທຳອິດ, ແລ້ວກົດ Continue. ເກັບລະຫັດຜ່ານໄວ້ເປັນຄວາມລັບ.",
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
  // ── Command framework, !help/!rules/!guide/!lang/!whoami/!practice and welcome (src/bot/commands*, src/bot/welcome.ts) ──
  "error.malformed": {
    en: "I could not read that command: it has characters I cannot use. Please type it again.",
    lo: "ຂ້ອຍອ່ານຄຳສັ່ງນັ້ນບໍ່ໄດ້: ມີຕົວອັກສອນທີ່ຂ້ອຍໃຊ້ບໍ່ໄດ້. ກະລຸນາພິມໃໝ່.",
    lo_reviewed: false,
  },
  "error.missing_argument": {
    en: "Please add the {argument}.",
    lo: "ກະລຸນາໃສ່ {argument}.",
    lo_reviewed: false,
  },
  "error.missing_choice": {
    en: "Please add one of: {choices}.",
    lo: "ກະລຸນາໃສ່ໜຶ່ງໃນ: {choices}.",
    lo_reviewed: false,
  },
  "error.too_many_arguments": {
    en: "I did not expect “{extra}” after the command.",
    lo: "ຂ້ອຍບໍ່ໄດ້ຄາດວ່າຈະມີ “{extra}” ຫຼັງຄຳສັ່ງ.",
    lo_reviewed: false,
  },
  "error.invalid_choice": {
    en: "I do not understand “{value}”. Choose one of: {choices}.",
    lo: "ຂ້ອຍບໍ່ເຂົ້າໃຈ “{value}”. ກະລຸນາເລືອກໜຶ່ງໃນ: {choices}.",
    lo_reviewed: false,
  },
  "error.allowed_roles": {
    en: "It is for: {roles}.",
    lo: "ຄຳສັ່ງນີ້ສຳລັບ: {roles}.",
    lo_reviewed: false,
  },
  "error.wrong_room": {
    en: "{command} works only in: {rooms}.",
    lo: "{command} ໃຊ້ໄດ້ສະເພາະໃນ: {rooms}.",
    lo_reviewed: false,
  },
  "help.read_more": {
    en: "Send {help} to read more.",
    lo: "ສົ່ງ {help} ເພື່ອອ່ານເພີ່ມ.",
    lo_reviewed: false,
  },
  "help.aliases": {
    en: "Also: {aliases}",
    lo: "ຫຼື: {aliases}",
    lo_reviewed: false,
  },
  "help.who": {
    en: "For: {roles}",
    lo: "ສຳລັບ: {roles}",
    lo_reviewed: false,
  },
  "help.where": {
    en: "Where: {rooms}",
    lo: "ບ່ອນໃຊ້: {rooms}",
    lo_reviewed: false,
  },
  "help.only_in": {
    en: "only in: {rooms}",
    lo: "ສະເພາະໃນ: {rooms}",
    lo_reviewed: false,
  },
  "help.everyone": { en: "everyone", lo: "ທຸກຄົນ", lo_reviewed: false },
  "help.any_room": { en: "any room", lo: "ທຸກຫ້ອງ", lo_reviewed: false },
  "room_kind.space": { en: "the Space", lo: "Space (ກຸ່ມຫ້ອງ)", lo_reviewed: false },
  "room_kind.district": { en: "a district consult room", lo: "ຫ້ອງປຶກສາຂອງເມືອງ", lo_reviewed: false },
  "room_kind.experts": { en: "the experts' room", lo: "ຫ້ອງຜູ້ຊ່ຽວຊານ", lo_reviewed: false },
  "room_kind.announcements": { en: "the announcements room", lo: "ຫ້ອງແຈ້ງການ", lo_reviewed: false },
  "room_kind.training": { en: "the training room", lo: "ຫ້ອງຝຶກອົບຮົມ", lo_reviewed: false },
  "argument.command": { en: "command", lo: "ຄຳສັ່ງ", lo_reviewed: false },
  "argument.topic": { en: "topic", lo: "ຫົວຂໍ້", lo_reviewed: false },
  "command.help.summary": {
    en: "Show what I can do, or how to use one command.",
    lo: "ສະແດງສິ່ງທີ່ຂ້ອຍຊ່ວຍໄດ້ ຫຼື ວິທີໃຊ້ຄຳສັ່ງໜຶ່ງ.",
    lo_reviewed: false,
  },
  "command.rules.summary": {
    en: "Show the rules of these rooms.",
    lo: "ສະແດງກົດລະບຽບຂອງຫ້ອງເຫຼົ່ານີ້.",
    lo_reviewed: false,
  },
  "command.guide.summary": {
    en: "Show a guideline card, or the list of cards.",
    lo: "ສະແດງບັດຄູ່ມື ຫຼື ລາຍຊື່ບັດ.",
    lo_reviewed: false,
  },
  "command.lang.summary": {
    en: "Choose the language I answer you in.",
    lo: "ເລືອກພາສາທີ່ຂ້ອຍຈະຕອບທ່ານ.",
    lo_reviewed: false,
  },
  "command.whoami.summary": {
    en: "Show your role, facility and rooms.",
    lo: "ສະແດງໜ້າທີ່, ສະຖານບໍລິການ ແລະ ຫ້ອງຂອງທ່ານ.",
    lo_reviewed: false,
  },
  "command.practice.summary": {
    en: "Practise the commands with a simulated case.",
    lo: "ຝຶກໃຊ້ຄຳສັ່ງ ດ້ວຍກໍລະນີສົມມຸດ.",
    lo_reviewed: false,
  },
  "whoami.partner_server": {
    en: "Partner hospital server: {server}",
    lo: "ເຊີບເວີຂອງໂຮງໝໍຄູ່ຮ່ວມມື: {server}",
    lo_reviewed: false,
  },
  "whoami.rooms_heading": { en: "Your rooms", lo: "ຫ້ອງຂອງທ່ານ", lo_reviewed: false },
  "whoami.no_rooms": {
    en: "You are not in any province room yet.",
    lo: "ທ່ານຍັງບໍ່ໄດ້ຢູ່ໃນຫ້ອງໃດຂອງແຂວງ.",
    lo_reviewed: false,
  },
  "welcome.purpose.district": {
    en: "asking the expert doctors about cases from {district}",
    lo: "ຖາມທ່ານໝໍຊ່ຽວຊານ ກ່ຽວກັບກໍລະນີຈາກ {district}",
    lo_reviewed: false,
  },
  "welcome.purpose.experts": {
    en: "the expert doctors: requests that need more help are posted here",
    lo: "ທ່ານໝໍຊ່ຽວຊານ: ຄຳຂໍທີ່ຕ້ອງການຄວາມຊ່ວຍເຫຼືອເພີ່ມ ຈະຖືກສົ່ງມາບ່ອນນີ້",
    lo_reviewed: false,
  },
  "welcome.purpose.announcements": {
    en: "notices from the coordinator",
    lo: "ແຈ້ງການຈາກຜູ້ປະສານງານ",
    lo_reviewed: false,
  },
  "welcome.purpose.training": {
    en: "practice: nothing here is a real case",
    lo: "ການຝຶກຫັດ: ບໍ່ມີກໍລະນີແທ້ຢູ່ບ່ອນນີ້",
    lo_reviewed: false,
  },
  "welcome.how_to_ask_here": {
    en: "To ask an expert for help, write the case here and add {tag}. Or send {consult}.",
    lo: "ເພື່ອຂໍຄວາມຊ່ວຍເຫຼືອຈາກຜູ້ຊ່ຽວຊານ, ໃຫ້ຂຽນກໍລະນີຢູ່ບ່ອນນີ້ ແລະ ໃສ່ {tag}. ຫຼື ສົ່ງ {consult}.",
    lo_reviewed: false,
  },
  "welcome.how_to_ask": {
    en: "To ask an expert for help, write the case in your district room and add {tag}. Or send {consult} there.",
    lo: "ເພື່ອຂໍຄວາມຊ່ວຍເຫຼືອຈາກຜູ້ຊ່ຽວຊານ, ໃຫ້ຂຽນກໍລະນີໃນຫ້ອງເມືອງຂອງທ່ານ ແລະ ໃສ່ {tag}. ຫຼື ສົ່ງ {consult} ຢູ່ຫັ້ນ.",
    lo_reviewed: false,
  },
  "welcome.expert_paged": {
    en: "When a health worker asks for help, I call the expert on call by name. Please answer in the thread of the request.",
    lo: "ເມື່ອພະນັກງານສາທາລະນະສຸກຂໍຄວາມຊ່ວຍເຫຼືອ, ຂ້ອຍຈະເອີ້ນຊື່ທ່ານໝໍຊ່ຽວຊານທີ່ປະຈຳການ. ກະລຸນາຕອບໃນກະທູ້ຂອງຄຳຂໍນັ້ນ.",
    lo_reviewed: false,
  },
  "welcome.practice_hint": {
    en: "Send {practice} to try a short drill with a simulated case.",
    lo: "ສົ່ງ {practice} ເພື່ອທົດລອງຝຶກຫັດສັ້ນໆ ດ້ວຍກໍລະນີສົມມຸດ.",
    lo_reviewed: false,
  },
  "welcome.rules_pinned": {
    en: "These rules are pinned in the room. Send {rules} to see them again.",
    lo: "ກົດລະບຽບເຫຼົ່ານີ້ຖືກປັກໝຸດໄວ້ໃນຫ້ອງ. ສົ່ງ {rules} ເພື່ອເບິ່ງອີກຄັ້ງ.",
    lo_reviewed: false,
  },
  "practice.step_title": {
    en: "Practice drill: step {step} of {total}",
    lo: "ຝຶກຫັດ: ຂັ້ນຕອນທີ {step} ຈາກ {total}",
    lo_reviewed: false,
  },
  "practice.simulated": {
    en: "SIMULATED CASE, for practice only. This is not a real patient.",
    lo: "ກໍລະນີສົມມຸດ, ສຳລັບຝຶກຫັດເທົ່ານັ້ນ. ບໍ່ແມ່ນຄົນເຈັບແທ້.",
    lo_reviewed: false,
  },
  "practice.case": {
    en: "A woman, 26 years old, had her second baby at the health centre 20 minutes ago. The placenta is out. She is bleeding heavily: a pad is soaked in 5 minutes. Pulse 112, blood pressure 90/60. She feels dizzy.",
    lo: "ແມ່ຍິງອາຍຸ 26 ປີ ເກີດລູກຄົນທີສອງ ຢູ່ສຸກສາລາ ເມື່ອ 20 ນາທີກ່ອນ. ແຮ່ອອກແລ້ວ. ດຽວນີ້ເລືອດອອກຫຼາຍ: ຜ້າອະນາໄມຊຸ່ມໝົດພາຍໃນ 5 ນາທີ. ຊີບພະຈອນ 112, ຄວາມດັນເລືອດ 90/60. ນາງຮູ້ສຶກວິນຫົວ.",
    lo_reviewed: false,
  },
  "practice.step.guide": {
    en: "Read the case. Then look up what to do: send {guide}.",
    lo: "ອ່ານກໍລະນີ. ຈາກນັ້ນ ຊອກເບິ່ງວ່າຕ້ອງເຮັດຫຍັງ: ສົ່ງ {guide}.",
    lo_reviewed: false,
  },
  "practice.step.consult": {
    en: "Now ask for expert help, as you would in your district room. Write it here in the training room, never in a real room, and begin with PRACTICE. For example: {example}",
    lo: "ດຽວນີ້ ໃຫ້ຂໍຄວາມຊ່ວຍເຫຼືອຈາກຜູ້ຊ່ຽວຊານ ຄືກັບທີ່ທ່ານເຮັດໃນຫ້ອງເມືອງ. ຂຽນຢູ່ບ່ອນນີ້ໃນຫ້ອງຝຶກອົບຮົມ, ຢ່າຂຽນໃນຫ້ອງແທ້, ແລະ ເລີ່ມດ້ວຍຄຳວ່າ PRACTICE. ຕົວຢ່າງ: {example}",
    lo_reviewed: false,
  },
  "practice.consult_example": {
    en: "PRACTICE bleeding after birth, pulse 112",
    lo: "PRACTICE ເລືອດອອກຫຼາຍຫຼັງເກີດລູກ, ຊີບພະຈອນ 112",
    lo_reviewed: false,
  },
  "practice.step.rules": {
    en: "Last step: read the rules everyone follows here. Send {rules}.",
    lo: "ຂັ້ນຕອນສຸດທ້າຍ: ອ່ານກົດລະບຽບທີ່ທຸກຄົນປະຕິບັດຢູ່ບ່ອນນີ້. ສົ່ງ {rules}.",
    lo_reviewed: false,
  },
  "practice.next_hint": {
    en: "When you are done, send {next}. To stop, send {stop}.",
    lo: "ເມື່ອເຮັດແລ້ວ, ສົ່ງ {next}. ເພື່ອຢຸດ, ສົ່ງ {stop}.",
    lo_reviewed: false,
  },
  "practice.done": {
    en: "Well done: you finished the drill. In a real emergency, write the case in your district room and add {tag}. If nobody answers, phone {phone}.",
    lo: "ເກັ່ງຫຼາຍ: ທ່ານຝຶກຫັດສຳເລັດແລ້ວ. ໃນກໍລະນີສຸກເສີນແທ້, ໃຫ້ຂຽນກໍລະນີໃນຫ້ອງເມືອງຂອງທ່ານ ແລະ ໃສ່ {tag}. ຖ້າບໍ່ມີຜູ້ຕອບ, ໃຫ້ໂທຫາ {phone}.",
    lo_reviewed: false,
  },
  "practice.stopped": {
    en: "Practice stopped. Send {start} to start again.",
    lo: "ຢຸດການຝຶກຫັດແລ້ວ. ສົ່ງ {start} ເພື່ອເລີ່ມໃໝ່.",
    lo_reviewed: false,
  },
  "practice.not_started": {
    en: "No practice drill is running. Send {start} to start one.",
    lo: "ບໍ່ມີການຝຶກຫັດທີ່ກຳລັງດຳເນີນຢູ່. ສົ່ງ {start} ເພື່ອເລີ່ມ.",
    lo_reviewed: false,
  },
  // ── end of the command section ──
  // ── Reports: `mchlink report` and `!stats` (src/consult/report*.ts) ──
  "report.title": { en: "Consult report: {province}", lo: "ລາຍງານການປຶກສາ: {province}", lo_reviewed: false },
  "report.period": {
    en: "Consults opened from {from} to {to} ({timezone} time)",
    lo: "ການປຶກສາທີ່ເປີດແຕ່ວັນທີ {from} ຫາ {to} (ເວລາ {timezone})",
    lo_reviewed: false,
  },
  "report.as_of": { en: "Figures as of {time}", lo: "ຕົວເລກນັບຮອດ {time}", lo_reviewed: false },
  "report.summary": { en: "Summary", lo: "ສະຫຼຸບ", lo_reviewed: false },
  "report.consults": { en: "Consults", lo: "ການປຶກສາ", lo_reviewed: false },
  "report.answered": { en: "Answered by an expert", lo: "ແພດຊ່ຽວຊານຕອບແລ້ວ", lo_reviewed: false },
  "report.unanswered": { en: "Never answered", lo: "ບໍ່ມີແພດຊ່ຽວຊານຕອບ", lo_reviewed: false },
  "report.pending": { en: "Waiting, still within target", lo: "ກຳລັງລໍຖ້າ, ຍັງຢູ່ໃນເວລາເປົ້າໝາຍ", lo_reviewed: false },
  "report.median": { en: "Median response", lo: "ເວລາຕອບ ຄ່າກາງ (median)", lo_reviewed: false },
  "report.ninetieth_percentile": { en: "90th percentile response", lo: "ເວລາຕອບ ເປີເຊັນໄທລ໌ທີ 90", lo_reviewed: false },
  "report.within_target": { en: "Answered within target", lo: "ຕອບທັນເວລາເປົ້າໝາຍ", lo_reviewed: false },
  "report.target": { en: "Target", lo: "ເປົ້າໝາຍ", lo_reviewed: false },
  "report.referrals": { en: "Referrals", lo: "ການສົ່ງຕໍ່", lo_reviewed: false },
  "report.open": { en: "Open", lo: "ຍັງເປີດຢູ່", lo_reviewed: false },
  "report.closed": { en: "Closed", lo: "ປິດແລ້ວ", lo_reviewed: false },
  "report.open_now": { en: "Open now (opened on any date)", lo: "ຍັງເປີດຢູ່ດຽວນີ້ (ເປີດວັນໃດກໍໄດ້)", lo_reviewed: false },
  "report.count": { en: "Count", lo: "ຈຳນວນ", lo_reviewed: false },
  "report.district": { en: "District", lo: "ເມືອງ", lo_reviewed: false },
  "report.facility": { en: "Facility", lo: "ສະຖານທີ່ບໍລິການ", lo_reviewed: false },
  "report.priority": { en: "Priority", lo: "ລະດັບຄວາມດ່ວນ", lo_reviewed: false },
  "report.specialty": { en: "Specialty", lo: "ສາຂາ", lo_reviewed: false },
  "report.by_district": { en: "Consults by district", lo: "ການປຶກສາ ຕາມເມືອງ", lo_reviewed: false },
  "report.by_facility": { en: "Consults by facility", lo: "ການປຶກສາ ຕາມສະຖານທີ່ບໍລິການ", lo_reviewed: false },
  "report.by_priority": { en: "Response by priority", lo: "ການຕອບ ຕາມລະດັບຄວາມດ່ວນ", lo_reviewed: false },
  "report.by_specialty": { en: "Consults by specialty", lo: "ການປຶກສາ ຕາມສາຂາ", lo_reviewed: false },
  "report.status": { en: "Open and closed", lo: "ຍັງເປີດ ແລະ ປິດແລ້ວ", lo_reviewed: false },
  "report.silent_facilities": {
    en: "Facilities with no consults in this period ({count}): {names}",
    lo: "ສະຖານທີ່ບໍລິການ ທີ່ບໍ່ມີການປຶກສາໃນໄລຍະນີ້ ({count}): {names}",
    lo_reviewed: false,
  },
  "report.response_distribution": { en: "Time to first expert response", lo: "ເວລາກ່ອນແພດຊ່ຽວຊານຕອບຄັ້ງທຳອິດ", lo_reviewed: false },
  "report.band_first": { en: "up to {high} min", lo: "ບໍ່ເກີນ {high} ນາທີ", lo_reviewed: false },
  "report.band": { en: "{low} to {high} min", lo: "{low} ຫາ {high} ນາທີ", lo_reviewed: false },
  "report.band_last": { en: "over {low} min", lo: "ເກີນ {low} ນາທີ", lo_reviewed: false },
  "report.median_by_district": { en: "Median response by district", lo: "ເວລາຕອບ ຄ່າກາງ ຕາມເມືອງ", lo_reviewed: false },
  "report.all_districts": { en: "All districts", lo: "ທຸກເມືອງ", lo_reviewed: false },
  "report.reference_label": { en: "Ghana network, published (not a target)", lo: "ເຄືອຂ່າຍປະເທດການາ, ທີ່ຕີພິມ (ບໍ່ແມ່ນເປົ້າໝາຍ)", lo_reviewed: false },
  "report.reference_note": {
    en: "For comparison only, not a target: an obstetric WhatsApp teleconsultation network in Ghana ({sites} sites) published a median expert response of {minutes} min ({source}).",
    lo: "ເພື່ອປຽບທຽບເທົ່ານັ້ນ, ບໍ່ແມ່ນເປົ້າໝາຍ: ເຄືອຂ່າຍປຶກສາທາງໄກດ້ານສູຕິກຳ ຜ່ານ WhatsApp ໃນປະເທດການາ ({sites} ແຫ່ງ) ໄດ້ຕີພິມວ່າ ເວລາຕອບຂອງແພດຊ່ຽວຊານ ຄ່າກາງແມ່ນ {minutes} ນາທີ ({source}).",
    lo_reviewed: false,
  },
  "report.within_target_by_priority": { en: "Answered within target, by priority", lo: "ຕອບທັນເວລາເປົ້າໝາຍ ຕາມລະດັບຄວາມດ່ວນ", lo_reviewed: false },
  "report.escalation": { en: "Escalation steps reached", lo: "ຂັ້ນຕອນການຍົກລະດັບ ທີ່ໄປເຖິງ", lo_reviewed: false },
  "report.no_step": { en: "No step (answered or closed in time)", lo: "ບໍ່ມີຂັ້ນຕອນ (ຕອບ ຫຼື ປິດທັນເວລາ)", lo_reviewed: false },
  "report.step": { en: "{after}: {action}", lo: "{after}: {action}", lo_reviewed: false },
  "report.after_minutes": { en: "after {minutes} min", lo: "ຫຼັງ {minutes} ນາທີ", lo_reviewed: false },
  "report.after_hours": { en: "after {hours} h", lo: "ຫຼັງ {hours} ຊົ່ວໂມງ", lo_reviewed: false },
  "report.minutes": { en: "{minutes} min", lo: "{minutes} ນາທີ", lo_reviewed: false },
  "report.target_minutes": { en: "target {minutes} min", lo: "ເປົ້າໝາຍ {minutes} ນາທີ", lo_reviewed: false },
  "report.of": { en: "{part} of {whole}", lo: "{part} ໃນ {whole}", lo_reviewed: false },
  "report.action.page_backup": { en: "page the backup expert", lo: "ເອີ້ນແພດຊ່ຽວຊານສຳຮອງ", lo_reviewed: false },
  "report.action.post_experts_room": { en: "post in the experts' room", lo: "ແຈ້ງໃນຫ້ອງແພດຊ່ຽວຊານ", lo_reviewed: false },
  "report.action.page_all_experts": { en: "page all experts", lo: "ເອີ້ນແພດຊ່ຽວຊານທຸກຄົນ", lo_reviewed: false },
  "report.action.alert_coordinator": { en: "alert the coordinator", lo: "ແຈ້ງຜູ້ປະສານງານ", lo_reviewed: false },
  "report.action.page_partner_experts": { en: "page partner experts", lo: "ເອີ້ນແພດຊ່ຽວຊານຈາກໂຮງໝໍຮ່ວມມື", lo_reviewed: false },
  "report.action.advise_phone_and_referral": {
    en: "advise phoning the hospital and preparing referral",
    lo: "ແນະນຳໃຫ້ໂທຫາໂຮງໝໍ ແລະ ກຽມສົ່ງຕໍ່",
    lo_reviewed: false,
  },
  "report.priority.emergency": { en: "Emergency", lo: "ສຸກເສີນ", lo_reviewed: false },
  "report.priority.urgent": { en: "Urgent", lo: "ດ່ວນ", lo_reviewed: false },
  "report.priority.routine": { en: "Routine", lo: "ທຳມະດາ", lo_reviewed: false },
  "report.specialty.obstetrics": { en: "Obstetrics", lo: "ສູຕິກຳ", lo_reviewed: false },
  "report.specialty.paediatrics": { en: "Paediatrics", lo: "ກຸມານເວດ", lo_reviewed: false },
  "report.specialty.general": { en: "General", lo: "ທົ່ວໄປ", lo_reviewed: false },
  "report.outcomes": { en: "Outcomes of closed consults", lo: "ຜົນຂອງການປຶກສາທີ່ປິດແລ້ວ", lo_reviewed: false },
  "report.outcome.managed_locally": { en: "Managed locally", lo: "ປິ່ນປົວຢູ່ບ່ອນ", lo_reviewed: false },
  "report.outcome.referred": { en: "Referred", lo: "ສົ່ງຕໍ່", lo_reviewed: false },
  "report.outcome.arrived_at_referral_facility": { en: "Arrived at referral facility", lo: "ໄປຮອດບ່ອນສົ່ງຕໍ່ແລ້ວ", lo_reviewed: false },
  "report.outcome.maternal_death": { en: "Maternal death", lo: "ແມ່ເສຍຊີວິດ", lo_reviewed: false },
  "report.outcome.newborn_death": { en: "Newborn death", lo: "ເດັກເກີດໃໝ່ເສຍຊີວິດ", lo_reviewed: false },
  "report.outcome.other": { en: "Other", lo: "ອື່ນໆ", lo_reviewed: false },
  "report.outcome_not_recorded": { en: "Closed, no outcome recorded", lo: "ປິດແລ້ວ, ບໍ່ໄດ້ບັນທຶກຜົນ", lo_reviewed: false },
  "report.referrals_by_facility": { en: "Referrals by receiving facility", lo: "ການສົ່ງຕໍ່ ຕາມສະຖານທີ່ຮັບ", lo_reviewed: false },
  "report.no_referrals": { en: "No referrals.", lo: "ບໍ່ມີການສົ່ງຕໍ່.", lo_reviewed: false },
  "report.no_consults": { en: "No consults were opened in this period.", lo: "ບໍ່ມີການປຶກສາທີ່ເປີດໃນໄລຍະນີ້.", lo_reviewed: false },
  "report.no_answers": { en: "No consult was answered in this period.", lo: "ບໍ່ມີການປຶກສາໃດໄດ້ຮັບຄຳຕອບໃນໄລຍະນີ້.", lo_reviewed: false },
  "report.method": { en: "How the figures are counted", lo: "ວິທີນັບຕົວເລກ", lo_reviewed: false },
  "report.method_period": {
    en: "A consult counts in the period when the day it was opened, in {timezone} time, is in it.",
    lo: "ການປຶກສາຖືກນັບໃນໄລຍະນີ້ ເມື່ອວັນທີ່ເປີດ (ເວລາ {timezone}) ຢູ່ໃນໄລຍະນີ້.",
    lo_reviewed: false,
  },
  "report.method_unanswered": {
    en: "Response time runs from the request to the first expert acknowledgement. Median and 90th percentile cover answered consults only; consults never answered are counted apart, not as zero.",
    lo: "ເວລາຕອບ ນັບແຕ່ຄຳຂໍ ຫາ ການຮັບຮູ້ຄັ້ງທຳອິດຂອງແພດຊ່ຽວຊານ. ຄ່າກາງ ແລະ ເປີເຊັນໄທລ໌ທີ 90 ນັບສະເພາະການປຶກສາທີ່ມີຜູ້ຕອບ; ການປຶກສາທີ່ບໍ່ມີຜູ້ຕອບ ນັບແຍກຕ່າງຫາກ, ບໍ່ນັບເປັນສູນ.",
    lo_reviewed: false,
  },
  "report.method_percentile": {
    en: "90th percentile by nearest rank: of n answered times in order, the one at position 0.9 × n rounded up. With an even number of times, the median is the mean of the two middle ones. Minutes are rounded to one decimal.",
    lo: "ເປີເຊັນໄທລ໌ທີ 90 ແບບອັນດັບໃກ້ທີ່ສຸດ: ຈາກເວລາຕອບ n ອັນທີ່ລຽງກັນ, ແມ່ນອັນທີ່ຢູ່ອັນດັບ 0.9 × n ປັດຂຶ້ນ. ຖ້າຈຳນວນເປັນເລກຄູ່, ຄ່າກາງແມ່ນຄ່າສະເລ່ຍຂອງສອງອັນກາງ. ນາທີປັດເປັນທົດສະນິຍົມໜຶ່ງຕຳແໜ່ງ.",
    lo_reviewed: false,
  },
  "report.method_target": {
    en: "Within target: first expert response no later than the target of the consult's priority. A consult still waiting inside its target time is left out until it is decided.",
    lo: "ທັນເວລາເປົ້າໝາຍ: ແພດຊ່ຽວຊານຕອບຄັ້ງທຳອິດ ບໍ່ຊ້າກວ່າເວລາເປົ້າໝາຍຂອງລະດັບຄວາມດ່ວນ. ການປຶກສາທີ່ຍັງລໍຖ້າ ແລະ ຍັງຢູ່ໃນເວລາເປົ້າໝາຍ ບໍ່ຖືກນັບ ຈົນກວ່າຈະຮູ້ຜົນ.",
    lo_reviewed: false,
  },
  "report.metadata_only": {
    en: "Built from consult metadata only: no clinical text is stored or shown.",
    lo: "ສ້າງຈາກຂໍ້ມູນທົ່ວໄປຂອງການປຶກສາເທົ່ານັ້ນ: ບໍ່ມີຂໍ້ຄວາມທາງການແພດຖືກເກັບ ຫຼື ສະແດງ.",
    lo_reviewed: false,
  },
  "stats.title": { en: "Consults from {from} to {to}", lo: "ການປຶກສາ ແຕ່ {from} ຫາ {to}", lo_reviewed: false },
  "stats.unanswered": { en: "{count} never answered", lo: "{count} ບໍ່ມີຜູ້ຕອບ", lo_reviewed: false },
  "report.error_date": {
    en: "{option} needs a date such as 2026-03-31, not {value}.",
    lo: "{option} ຕ້ອງເປັນວັນທີ ເຊັ່ນ 2026-03-31, ບໍ່ແມ່ນ {value}.",
    lo_reviewed: false,
  },
  "report.error_order": {
    en: "The period starts ({from}) after it ends ({to}). Swap --from and --to.",
    lo: "ໄລຍະເລີ່ມ ({from}) ຫຼັງວັນສິ້ນສຸດ ({to}). ກະລຸນາສະຫຼັບ --from ແລະ --to.",
    lo_reviewed: false,
  },
  "report.error_format": {
    en: "Unknown report format {value}. Choose one of: {formats}.",
    lo: "ບໍ່ຮູ້ຈັກຮູບແບບລາຍງານ {value}. ກະລຸນາເລືອກໜຶ່ງໃນ: {formats}.",
    lo_reviewed: false,
  },
  // ── end of the reports section ──
  // ── Consults, escalation and on-call (src/consult/lifecycle.ts, messages.ts, oncall.ts) ──
  "consult.priority.emergency": { en: "emergency", lo: "ສຸກເສີນ", lo_reviewed: false },
  "consult.priority.urgent": { en: "urgent", lo: "ດ່ວນ", lo_reviewed: false },
  "consult.priority.routine": { en: "routine", lo: "ທຳມະດາ", lo_reviewed: false },
  "consult.specialty.obstetrics": { en: "obstetrics", lo: "ສູຕິກຳ", lo_reviewed: false },
  "consult.specialty.paediatrics": { en: "paediatrics", lo: "ກຸມານເວດ", lo_reviewed: false },
  "consult.specialty.general": { en: "general medicine", lo: "ການແພດທົ່ວໄປ", lo_reviewed: false },
  "consult.outcome.managed_locally": { en: "managed locally", lo: "ປິ່ນປົວຢູ່ບ່ອນ", lo_reviewed: false },
  "consult.outcome.referred": { en: "referred", lo: "ສົ່ງຕໍ່", lo_reviewed: false },
  "consult.outcome.arrived_at_referral_facility": { en: "arrived at the referral facility", lo: "ໄປຮອດບ່ອນສົ່ງຕໍ່ແລ້ວ", lo_reviewed: false },
  "consult.outcome.maternal_death": { en: "maternal death", lo: "ແມ່ເສຍຊີວິດ", lo_reviewed: false },
  "consult.outcome.newborn_death": { en: "newborn death", lo: "ເດັກເກີດໃໝ່ເສຍຊີວິດ", lo_reviewed: false },
  "consult.outcome.other": { en: "other", lo: "ອື່ນໆ", lo_reviewed: false },
  "consult.step.page_backup": { en: "the backup expert is paged", lo: "ຈະເອີ້ນແພດຊ່ຽວຊານສຳຮອງ", lo_reviewed: false },
  "consult.step.post_experts_room": { en: "the case is posted in the experts' room", lo: "ຈະແຈ້ງກໍລະນີໃນຫ້ອງແພດຊ່ຽວຊານ", lo_reviewed: false },
  "consult.step.page_all_experts": { en: "all experts are called", lo: "ຈະເອີ້ນແພດຊ່ຽວຊານທຸກຄົນ", lo_reviewed: false },
  "consult.step.alert_coordinator": { en: "the coordinator is alerted", lo: "ຈະແຈ້ງຜູ້ປະສານງານ", lo_reviewed: false },
  "consult.step.page_partner_experts": { en: "partner experts are paged", lo: "ຈະເອີ້ນແພດຊ່ຽວຊານຈາກໂຮງໝໍຮ່ວມມື", lo_reviewed: false },
  "consult.step.advise_phone_and_referral": {
    en: "you are asked to phone the hospital and prepare referral",
    lo: "ທ່ານຈະຖືກແນະນຳໃຫ້ໂທຫາໂຮງໝໍ ແລະ ກຽມສົ່ງຕໍ່",
    lo_reviewed: false,
  },
  "consult.duration.minutes": { en: "{minutes} min", lo: "{minutes} ນາທີ", lo_reviewed: false },
  "consult.duration.hours": { en: "{hours} h {minutes} min", lo: "{hours} ຊົ່ວໂມງ {minutes} ນາທີ", lo_reviewed: false },
  "consult.duration.days": { en: "{days} d {hours} h", lo: "{days} ມື້ {hours} ຊົ່ວໂມງ", lo_reviewed: false },
  "consult.card.title": { en: "Consult {case_id}: {priority}, {specialty}", lo: "ການປຶກສາ {case_id}: {priority}, {specialty}", lo_reviewed: false },
  "consult.card.paged": { en: "Paged: {names}", lo: "ໄດ້ເອີ້ນ: {names}", lo_reviewed: false },
  "consult.card.paged_partners": {
    en: "Paged in the experts' room (partner hospital): {names}",
    lo: "ໄດ້ເອີ້ນໃນຫ້ອງແພດຊ່ຽວຊານ (ໂຮງໝໍຮ່ວມມື): {names}",
    lo_reviewed: false,
  },
  "consult.card.nobody_on_call": {
    en: "No one is on call for {specialty}: all experts have been called in the experts' room.",
    lo: "ບໍ່ມີຜູ້ປະຈຳການສຳລັບ {specialty}: ໄດ້ເອີ້ນແພດຊ່ຽວຊານທຸກຄົນໃນຫ້ອງແພດຊ່ຽວຊານແລ້ວ.",
    lo_reviewed: false,
  },
  "consult.card.next": {
    en: "If no expert answers by {time} (in {wait}), {step}.",
    lo: "ຖ້າບໍ່ມີແພດຊ່ຽວຊານຕອບພາຍໃນ {time} (ອີກ {wait}), {step}.",
    lo_reviewed: false,
  },
  "consult.card.how_to_answer": {
    en: "Experts: reply in this thread, react ✅, or send {command}.",
    lo: "ແພດຊ່ຽວຊານ: ຕອບໃນກະທູ້ນີ້, ກົດ ✅, ຫຼື ສົ່ງ {command}.",
    lo_reviewed: false,
  },
  "consult.experts.paged": {
    en: "{names}: you are paged for {case_id} ({priority}, {specialty}, {district}). Send {command} to take it.",
    lo: "{names}: ທ່ານຖືກເອີ້ນສຳລັບ {case_id} ({priority}, {specialty}, {district}). ສົ່ງ {command} ເພື່ອຮັບເອົາ.",
    lo_reviewed: false,
  },
  "consult.experts.nobody_on_call": {
    en: "@room {case_id} ({priority}, {specialty}, {district}): no one is on call for {specialty}. Please answer in the {district} room.",
    lo: "@room {case_id} ({priority}, {specialty}, {district}): ບໍ່ມີຜູ້ປະຈຳການສຳລັບ {specialty}. ກະລຸນາຕອບໃນຫ້ອງ {district}.",
    lo_reviewed: false,
  },
  "consult.template.title": {
    en: "To help the expert, please add:",
    lo: "ເພື່ອຊ່ວຍແພດຊ່ຽວຊານ, ກະລຸນາເພີ່ມ:",
    lo_reviewed: false,
  },
  "consult.template.privacy": {
    en: "Do not write the patient's name, phone number or ID number.",
    lo: "ຢ່າຂຽນຊື່, ເບີໂທ ຫຼື ເລກບັດປະຈຳຕົວຂອງຄົນເຈັບ.",
    lo_reviewed: false,
  },
  "consult.essential.age": { en: "Age", lo: "ອາຍຸ", lo_reviewed: false },
  "consult.essential.gravida_para": { en: "Gravida and para (pregnancies, births)", lo: "ຖືພາຈັກເທື່ອ, ເກີດລູກຈັກເທື່ອ", lo_reviewed: false },
  "consult.essential.gestation_or_baby_age": { en: "Weeks of pregnancy, or the baby's age", lo: "ອາຍຸຄັນ (ອາທິດ) ຫຼື ອາຍຸຂອງເດັກ", lo_reviewed: false },
  "consult.essential.blood_pressure": { en: "Blood pressure", lo: "ຄວາມດັນເລືອດ", lo_reviewed: false },
  "consult.essential.pulse": { en: "Pulse", lo: "ກຳມະຈອນ", lo_reviewed: false },
  "consult.essential.temperature": { en: "Temperature", lo: "ອຸນຫະພູມ", lo_reviewed: false },
  "consult.essential.danger_signs": { en: "Bleeding, fits, fever, breathing", lo: "ເລືອດອອກ, ຊັກ, ໄຂ້, ການຫາຍໃຈ", lo_reviewed: false },
  "consult.essential.treatment_given": { en: "What has been done so far", lo: "ສິ່ງທີ່ໄດ້ເຮັດໄປແລ້ວ", lo_reviewed: false },
  "consult.essential.transport": { en: "Transport available", lo: "ພາຫະນະທີ່ມີ", lo_reviewed: false },
  "consult.privacy.reminder": {
    en: "Your message in {case_id} seems to contain a phone number or an ID number. Please do not post these in consult rooms: delete the message and send it again without them.",
    lo: "ຂໍ້ຄວາມຂອງທ່ານໃນ {case_id} ຄືຈະມີເບີໂທ ຫຼື ເລກບັດປະຈຳຕົວ. ກະລຸນາຢ່າສົ່ງສິ່ງເຫຼົ່ານີ້ໃນຫ້ອງປຶກສາ: ລຶບຂໍ້ຄວາມ ແລ້ວສົ່ງໃໝ່ໂດຍບໍ່ມີມັນ.",
    lo_reviewed: false,
  },
  "consult.ladder.backup": {
    en: "{names}: no expert has answered {case_id} for {wait}. You are the backup expert: please answer now.",
    lo: "{names}: ບໍ່ມີແພດຊ່ຽວຊານຕອບ {case_id} ມາ {wait} ແລ້ວ. ທ່ານແມ່ນແພດຊ່ຽວຊານສຳຮອງ: ກະລຸນາຕອບດຽວນີ້.",
    lo_reviewed: false,
  },
  "consult.ladder.experts_room": {
    en: "{case_id} ({priority}, {specialty}, {district}) has had no expert answer for {wait}. Please answer in the {district} room.",
    lo: "{case_id} ({priority}, {specialty}, {district}) ບໍ່ມີແພດຊ່ຽວຊານຕອບມາ {wait} ແລ້ວ. ກະລຸນາຕອບໃນຫ້ອງ {district}.",
    lo_reviewed: false,
  },
  "consult.ladder.all_experts": {
    en: "@room {case_id} ({priority}, {specialty}, {district}) has had no expert answer for {wait}. Whoever can, please answer in the {district} room now.",
    lo: "@room {case_id} ({priority}, {specialty}, {district}) ບໍ່ມີແພດຊ່ຽວຊານຕອບມາ {wait} ແລ້ວ. ຜູ້ໃດສາມາດ, ກະລຸນາຕອບໃນຫ້ອງ {district} ດຽວນີ້.",
    lo_reviewed: false,
  },
  "consult.ladder.coordinator": {
    en: "{names}: {case_id} has had no expert answer for {wait}. Please find an expert.",
    lo: "{names}: {case_id} ບໍ່ມີແພດຊ່ຽວຊານຕອບມາ {wait} ແລ້ວ. ກະລຸນາຊອກຫາແພດຊ່ຽວຊານ.",
    lo_reviewed: false,
  },
  "consult.ladder.partners": {
    en: "{names}: {case_id} ({priority}, {specialty}, {district}) has had no expert answer for {wait}. Can you help?",
    lo: "{names}: {case_id} ({priority}, {specialty}, {district}) ບໍ່ມີແພດຊ່ຽວຊານຕອບມາ {wait} ແລ້ວ. ທ່ານຊ່ວຍໄດ້ບໍ?",
    lo_reviewed: false,
  },
  "consult.ladder.phone": {
    en: "{name}: no expert has answered {case_id} for {wait}. Phone the hospital now: {phone}.",
    lo: "{name}: ບໍ່ມີແພດຊ່ຽວຊານຕອບ {case_id} ມາ {wait} ແລ້ວ. ໂທຫາໂຮງໝໍດຽວນີ້: {phone}.",
    lo_reviewed: false,
  },
  "consult.ladder.undelivered": {
    en: "{names}: I could not post the step \"{step}\" of {case_id} in the {district} room: I was removed from it or may no longer post there, so nobody there was told. Please check the room and reach {requester} ({facility}) another way.",
    lo: "{names}: ຂ້ອຍສົ່ງຂັ້ນຕອນ \"{step}\" ຂອງ {case_id} ໃນຫ້ອງ {district} ບໍ່ໄດ້: ຂ້ອຍຖືກເອົາອອກຈາກຫ້ອງນັ້ນ ຫຼື ບໍ່ມີສິດສົ່ງຢູ່ນັ້ນແລ້ວ, ສະນັ້ນ ບໍ່ມີໃຜຢູ່ນັ້ນໄດ້ຮັບແຈ້ງ. ກະລຸນາກວດເບິ່ງຫ້ອງ ແລະ ຕິດຕໍ່ {requester} ({facility}) ດ້ວຍວິທີອື່ນ.",
    lo_reviewed: false,
  },
  "consult.ladder.prepare_referral": {
    en: "Prepare referral: transport, and someone to go with the patient.",
    lo: "ກຽມສົ່ງຕໍ່: ພາຫະນະ ແລະ ຄົນໄປນຳຄົນເຈັບ.",
    lo_reviewed: false,
  },
  "consult.ack.answered": {
    en: "{name} is answering {case_id}, {wait} after it was asked. Paging has stopped.",
    lo: "{name} ກຳລັງຕອບ {case_id}, {wait} ຫຼັງຈາກຖາມ. ຢຸດການເອີ້ນແລ້ວ.",
    lo_reviewed: false,
  },
  "consult.ack.already": {
    en: "{case_id} is already being answered by {name} (since {time}). Your answer is recorded too.",
    lo: "{case_id} ມີ {name} ກຳລັງຕອບແລ້ວ (ແຕ່ {time}). ຄຳຕອບຂອງທ່ານກໍຖືກບັນທຶກໄວ້ຄືກັນ.",
    lo_reviewed: false,
  },
  "consult.ack.again": { en: "You have already answered {case_id}.", lo: "ທ່ານໄດ້ຕອບ {case_id} ແລ້ວ.", lo_reviewed: false },
  "consult.escalate.raised": { en: "{case_id} is now {priority}.", lo: "{case_id} ຕອນນີ້ເປັນ {priority}.", lo_reviewed: false },
  "consult.escalate.responder": {
    en: "{names}: {case_id} is now {priority}. The health worker says the patient is worse.",
    lo: "{names}: {case_id} ຕອນນີ້ເປັນ {priority}. ພະນັກງານສາທາລະນະສຸກແຈ້ງວ່າຄົນເຈັບອາການໜັກຂຶ້ນ.",
    lo_reviewed: false,
  },
  "consult.escalate.highest": {
    en: "{case_id} is already an emergency. If no expert is answering, phone {phone}.",
    lo: "{case_id} ເປັນກໍລະນີສຸກເສີນແລ້ວ. ຖ້າບໍ່ມີແພດຊ່ຽວຊານຕອບ, ໃຫ້ໂທຫາ {phone}.",
    lo_reviewed: false,
  },
  "consult.reopen.done": { en: "{case_id} is open again ({priority}).", lo: "{case_id} ເປີດຄືນແລ້ວ ({priority}).", lo_reviewed: false },
  "consult.reopen.responder": {
    en: "{names}: {case_id} is open again ({priority}).",
    lo: "{names}: {case_id} ເປີດຄືນແລ້ວ ({priority}).",
    lo_reviewed: false,
  },
  "consult.reopen.not_closed": { en: "{case_id} is still open.", lo: "{case_id} ຍັງເປີດຢູ່.", lo_reviewed: false },
  "consult.refer.incoming": {
    en: "{names}: referral coming to {facility}: {case_id} from {origin}.",
    lo: "{names}: ມີການສົ່ງຕໍ່ມາຫາ {facility}: {case_id} ຈາກ {origin}.",
    lo_reviewed: false,
  },
  "consult.refer.recorded": {
    en: "Referral of {case_id} to {facility} recorded; its room has been told.",
    lo: "ບັນທຶກການສົ່ງຕໍ່ {case_id} ໄປ {facility} ແລ້ວ; ໄດ້ແຈ້ງຫ້ອງຂອງເຂົາເຈົ້າແລ້ວ.",
    lo_reviewed: false,
  },
  "consult.refer.no_room": {
    en: "Referral of {case_id} to {facility} recorded, but I cannot post in its room. Please phone them: {phone}.",
    lo: "ບັນທຶກການສົ່ງຕໍ່ {case_id} ໄປ {facility} ແລ້ວ, ແຕ່ຂ້ອຍສົ່ງຂໍ້ຄວາມໃນຫ້ອງຂອງເຂົາເຈົ້າບໍ່ໄດ້. ກະລຸນາໂທຫາ: {phone}.",
    lo_reviewed: false,
  },
  "consult.refer.unknown_facility": {
    en: "I do not know the facility “{query}”. Use its id, for example: {examples}.",
    lo: "ຂ້ອຍບໍ່ຮູ້ຈັກສະຖານທີ່ບໍລິການ “{query}”. ໃຊ້ໄອດີຂອງມັນ, ຕົວຢ່າງ: {examples}.",
    lo_reviewed: false,
  },
  "consult.close.done": { en: "{case_id} is closed: {outcome}. Thank you.", lo: "{case_id} ປິດແລ້ວ: {outcome}. ຂອບໃຈ.", lo_reviewed: false },
  "consult.close.already": { en: "{case_id} is already closed ({outcome}).", lo: "{case_id} ປິດແລ້ວ ({outcome}).", lo_reviewed: false },
  "consult.close.unknown_outcome": {
    en: "I do not know the outcome “{outcome}”. Choose one of: {choices}.",
    lo: "ຂ້ອຍບໍ່ຮູ້ຈັກຜົນ “{outcome}”. ກະລຸນາເລືອກໜຶ່ງໃນ: {choices}.",
    lo_reviewed: false,
  },
  "consult.list.title": { en: "Open consults", lo: "ການປຶກສາທີ່ຍັງເປີດຢູ່", lo_reviewed: false },
  "consult.list.none": { en: "No open consults.", lo: "ບໍ່ມີການປຶກສາທີ່ຍັງເປີດຢູ່.", lo_reviewed: false },
  "consult.list.item": {
    en: "{case_id}: {priority}, {specialty}, {district}, open {age}",
    lo: "{case_id}: {priority}, {specialty}, {district}, ເປີດມາ {age}",
    lo_reviewed: false,
  },
  "consult.list.answered": { en: "answered by {name}", lo: "{name} ຕອບແລ້ວ", lo_reviewed: false },
  "consult.list.waiting": {
    en: "no answer yet, step {reached} of {steps} reached; next at {time}: {step}",
    lo: "ຍັງບໍ່ມີຄຳຕອບ, ຮອດຂັ້ນ {reached} ໃນ {steps}; ຕໍ່ໄປເວລາ {time}: {step}",
    lo_reviewed: false,
  },
  "consult.list.top": {
    en: "no answer yet, step {reached} of {steps} reached (the last)",
    lo: "ຍັງບໍ່ມີຄຳຕອບ, ຮອດຂັ້ນ {reached} ໃນ {steps} (ຂັ້ນສຸດທ້າຍ)",
    lo_reviewed: false,
  },
  "consult.unknown_case": { en: "I do not know the consult {case_id}.", lo: "ຂ້ອຍບໍ່ຮູ້ຈັກການປຶກສາ {case_id}.", lo_reviewed: false },
  "consult.closed_case": {
    en: "{case_id} is closed. Send {command} first if it needs help again.",
    lo: "{case_id} ປິດແລ້ວ. ຖ້າຕ້ອງການຄວາມຊ່ວຍເຫຼືອອີກ, ສົ່ງ {command} ກ່ອນ.",
    lo_reviewed: false,
  },
  "consult.refused.not_district": {
    en: "Consults are opened in a district consult room, where the experts can see them.",
    lo: "ການປຶກສາຕ້ອງເປີດໃນຫ້ອງປຶກສາຂອງເມືອງ, ບ່ອນທີ່ແພດຊ່ຽວຊານເຫັນໄດ້.",
    lo_reviewed: false,
  },
  "consult.refused.open": {
    en: "Only health workers and coordinators open consults.",
    lo: "ສະເພາະພະນັກງານສາທາລະນະສຸກ ແລະ ຜູ້ປະສານງານ ເທົ່ານັ້ນທີ່ເປີດການປຶກສາໄດ້.",
    lo_reviewed: false,
  },
  "consult.refused.acknowledge": {
    en: "Only experts and coordinators acknowledge consults.",
    lo: "ສະເພາະແພດຊ່ຽວຊານ ແລະ ຜູ້ປະສານງານ ເທົ່ານັ້ນທີ່ຮັບການປຶກສາໄດ້.",
    lo_reviewed: false,
  },
  "consult.refused.escalate": {
    en: "Only the health worker who asked, or a coordinator, can escalate this consult.",
    lo: "ສະເພາະພະນັກງານທີ່ຖາມ ຫຼື ຜູ້ປະສານງານ ເທົ່ານັ້ນທີ່ຍົກລະດັບການປຶກສານີ້ໄດ້.",
    lo_reviewed: false,
  },
  "consult.refused.refer": {
    en: "Only experts and coordinators record referrals.",
    lo: "ສະເພາະແພດຊ່ຽວຊານ ແລະ ຜູ້ປະສານງານ ເທົ່ານັ້ນທີ່ບັນທຶກການສົ່ງຕໍ່ໄດ້.",
    lo_reviewed: false,
  },
  "consult.refused.close": {
    en: "Only the health worker who asked, an expert or a coordinator can close this consult.",
    lo: "ສະເພາະພະນັກງານທີ່ຖາມ, ແພດຊ່ຽວຊານ ຫຼື ຜູ້ປະສານງານ ເທົ່ານັ້ນທີ່ປິດການປຶກສານີ້ໄດ້.",
    lo_reviewed: false,
  },
  "consult.refused.reopen": {
    en: "Only the health worker who asked, an expert or a coordinator can reopen this consult.",
    lo: "ສະເພາະພະນັກງານທີ່ຖາມ, ແພດຊ່ຽວຊານ ຫຼື ຜູ້ປະສານງານ ເທົ່ານັ້ນທີ່ເປີດການປຶກສານີ້ຄືນໄດ້.",
    lo_reviewed: false,
  },
  "consult.refused.list": {
    en: "Only health workers, experts and coordinators can list consults.",
    lo: "ສະເພາະພະນັກງານສາທາລະນະສຸກ, ແພດຊ່ຽວຊານ ແລະ ຜູ້ປະສານງານ ເທົ່ານັ້ນທີ່ເບິ່ງລາຍການການປຶກສາໄດ້.",
    lo_reviewed: false,
  },
  "consult.refused.rota": {
    en: "Only coordinators change the on-call rota.",
    lo: "ສະເພາະຜູ້ປະສານງານ ເທົ່ານັ້ນທີ່ປ່ຽນຕາຕະລາງປະຈຳການໄດ້.",
    lo_reviewed: false,
  },
  "oncall.title": { en: "On call now", lo: "ປະຈຳການຕອນນີ້", lo_reviewed: false },
  "oncall.line": {
    en: "{specialty}: {expert} until {until} (backup: {backup})",
    lo: "{specialty}: {expert} ຮອດ {until} (ສຳຮອງ: {backup})",
    lo_reviewed: false,
  },
  "oncall.line_nobody": {
    en: "{specialty}: no one on the rota now (backup: {backup})",
    lo: "{specialty}: ຕອນນີ້ບໍ່ມີຜູ້ປະຈຳການ (ສຳຮອງ: {backup})",
    lo_reviewed: false,
  },
  "oncall.no_rota": { en: "No on-call rota is set.", lo: "ບໍ່ມີຕາຕະລາງປະຈຳການ.", lo_reviewed: false },
  "oncall.set.usage": {
    en: "Write: specialty ({specialties}), the expert's id, optionally backup, then optionally for 12h, until 08:00 or until 2026-04-16.",
    lo: "ຂຽນ: ສາຂາ ({specialties}), ໄອດີຂອງແພດຊ່ຽວຊານ, ຖ້າຕ້ອງການ backup, ແລ້ວ ຖ້າຕ້ອງການ for 12h, until 08:00 ຫຼື until 2026-04-16.",
    lo_reviewed: false,
  },
  "oncall.set.not_expert": {
    en: "{who} is not an expert in {specialty}.",
    lo: "{who} ບໍ່ແມ່ນແພດຊ່ຽວຊານດ້ານ {specialty}.",
    lo_reviewed: false,
  },
  "oncall.set.bad_period": {
    en: "I do not understand “{period}”. Write for 12h, until 08:00 or until 2026-04-16.",
    lo: "ຂ້ອຍບໍ່ເຂົ້າໃຈ “{period}”. ຂຽນ for 12h, until 08:00 ຫຼື until 2026-04-16.",
    lo_reviewed: false,
  },
  "oncall.set.done": {
    en: "{name} is on call for {specialty} until {until}.",
    lo: "{name} ປະຈຳການສຳລັບ {specialty} ຮອດ {until}.",
    lo_reviewed: false,
  },
  "oncall.set.done_backup": {
    en: "{name} is the backup for {specialty} until {until}.",
    lo: "{name} ເປັນສຳຮອງສຳລັບ {specialty} ຮອດ {until}.",
    lo_reviewed: false,
  },
  "oncall.set.told": {
    en: "{name}: you are on call for {specialty} until {until} (set by {by}).",
    lo: "{name}: ທ່ານປະຈຳການສຳລັບ {specialty} ຮອດ {until} (ຕັ້ງໂດຍ {by}).",
    lo_reviewed: false,
  },
  "oncall.set.told_backup": {
    en: "{name}: you are the backup for {specialty} until {until} (set by {by}).",
    lo: "{name}: ທ່ານເປັນສຳຮອງສຳລັບ {specialty} ຮອດ {until} (ຕັ້ງໂດຍ {by}).",
    lo_reviewed: false,
  },
  "oncall.clear.done": {
    en: "The on-call rota for {specialty} is back to the planned one.",
    lo: "ຕາຕະລາງປະຈຳການສຳລັບ {specialty} ກັບຄືນຕາມແຜນແລ້ວ.",
    lo_reviewed: false,
  },
  "command.consult.summary": {
    en: "Ask the experts about a woman or baby: priority (emergency, urgent or routine), specialty, then what is happening.",
    lo: "ຖາມແພດຊ່ຽວຊານກ່ຽວກັບແມ່ ຫຼື ເດັກ: ລະດັບຄວາມດ່ວນ (emergency, urgent ຫຼື routine), ສາຂາ, ແລ້ວ ສິ່ງທີ່ເກີດຂຶ້ນ.",
    lo_reviewed: false,
  },
  "command.ack.summary": { en: "Take a consult: paging stops.", lo: "ຮັບການປຶກສາ: ຢຸດການເອີ້ນ.", lo_reviewed: false },
  "command.escalate.summary": {
    en: "The patient is worse: raise the consult's priority.",
    lo: "ຄົນເຈັບອາການໜັກຂຶ້ນ: ຍົກລະດັບຄວາມດ່ວນຂອງການປຶກສາ.",
    lo_reviewed: false,
  },
  "command.refer.summary": {
    en: "Record a referral and tell the receiving facility.",
    lo: "ບັນທຶກການສົ່ງຕໍ່ ແລະ ແຈ້ງສະຖານທີ່ບໍລິການທີ່ຮັບ.",
    lo_reviewed: false,
  },
  "command.close.summary": { en: "Close a consult with its outcome.", lo: "ປິດການປຶກສາ ພ້ອມຜົນ.", lo_reviewed: false },
  "command.reopen.summary": { en: "Open a closed consult again.", lo: "ເປີດການປຶກສາທີ່ປິດແລ້ວຄືນ.", lo_reviewed: false },
  "command.open.summary": { en: "List the open consults, oldest first.", lo: "ລາຍການການປຶກສາທີ່ຍັງເປີດຢູ່, ເກົ່າສຸດກ່ອນ.", lo_reviewed: false },
  "command.oncall.summary": {
    en: "Who is on call now; coordinators change it with set or clear.",
    lo: "ໃຜປະຈຳການຕອນນີ້; ຜູ້ປະສານງານປ່ຽນໄດ້ດ້ວຍ set ຫຼື clear.",
    lo_reviewed: false,
  },
  "argument.request": { en: "what is happening", lo: "ສິ່ງທີ່ເກີດຂຶ້ນ", lo_reviewed: false },
  "argument.case_id": { en: "case id", lo: "ລະຫັດກໍລະນີ", lo_reviewed: false },
  "argument.reason": { en: "reason", lo: "ເຫດຜົນ", lo_reviewed: false },
  "argument.facility": { en: "facility", lo: "ສະຖານທີ່ບໍລິການ", lo_reviewed: false },
  "argument.outcome": { en: "outcome", lo: "ຜົນ", lo_reviewed: false },
  "argument.oncall_change": { en: "specialty expert [backup] [for 12h | until 08:00]", lo: "ສາຂາ ແພດຊ່ຽວຊານ [backup] [for 12h | until 08:00]", lo_reviewed: false },
  // ── end of the consult section ──

  // !stats (the lead's section).
  "command.stats.summary": {
    en: "Headline figures of the last days' consults: response times, answered within target, referrals.",
    lo: "ຕົວເລກຫຼັກຂອງການປຶກສາໃນມື້ຜ່ານມາ: ເວລາຕອບ, ຕອບທັນເວລາ, ການສົ່ງຕໍ່.",
    lo_reviewed: false,
  },
  "argument.days": { en: "days", lo: "ຈຳນວນມື້", lo_reviewed: false },
  "stats.bad_days": {
    en: "Give the number of days as a whole number from 1 to {max}, for example {example}.",
    lo: "ໃສ່ຈຳນວນມື້ເປັນເລກຖ້ວນ ແຕ່ 1 ຫາ {max}, ຕົວຢ່າງ {example}.",
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
