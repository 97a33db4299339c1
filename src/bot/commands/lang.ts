// !lang lo|en: the language the bot answers this person in, kept across restarts.
import { Language } from "../../config/schema.ts";
import { paragraph, reply, t } from "../../i18n/index.ts";
import { ANY_ROOM, defineCommand, EVERYONE, notice } from "./define.ts";

export const lang = defineCommand({
  name: "lang",
  summary: "command.lang.summary",
  arguments: [{ name: "language", choices: Language.options, required: true }],
  allowed: { roles: EVERYONE, rooms: ANY_ROOM },
  run(ctx, { language }) {
    ctx.store.setLanguage(ctx.sender.userId, language);
    return [notice(ctx, reply(paragraph(t(language, "language.changed"))))];
  },
});
