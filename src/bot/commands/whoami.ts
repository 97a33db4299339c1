// !whoami: what the roster says about the sender, and the rooms provisioning puts them in.
import { districtOfFacility, facilityById } from "../../config/lookup.ts";
import { heading, list, localize, paragraph, reply, t } from "../../i18n/index.ts";
import { desiredState, roomName } from "../../provision/desired.ts";
import { ANY_ROOM, defineCommand, EVERYONE, notice } from "./define.ts";

export const whoami = defineCommand({
  name: "whoami",
  summary: "command.whoami.summary",
  arguments: [],
  allowed: { roles: EVERYONE, rooms: ANY_ROOM },
  run(ctx) {
    const lang = ctx.sender.language;
    const { province, sender } = ctx;
    const facts = [t(lang, "whoami.name", { name: sender.displayName }), t(lang, "whoami.user_id", { user_id: sender.userId }), t(lang, "whoami.role", { role: t(lang, `role.${sender.role}`) })];
    if (sender.person) {
      const facility = facilityById(province, sender.person.facility);
      const district = districtOfFacility(province, sender.person.facility);
      if (facility) facts.push(t(lang, "whoami.facility", { facility: localize(lang, facility.name) }));
      if (district) facts.push(t(lang, "whoami.district", { district: localize(lang, district.name) }));
    }
    if (sender.partner) facts.push(t(lang, "whoami.partner_server", { server: sender.partner.user_id.slice(sender.partner.user_id.indexOf(":") + 1) }));
    facts.push(t(lang, "whoami.language", { language: t(lang, `language.name.${lang}`) }));

    const rooms = desiredState(province)
      .rooms.filter((room) => room.members.includes(sender.userId))
      .map((room) => roomName(province, room, lang));
    return [notice(ctx, reply(heading(t(lang, "whoami.title")), list(facts), heading(t(lang, "whoami.rooms_heading")), rooms.length > 0 ? list(rooms) : paragraph(t(lang, "whoami.no_rooms"))))];
  },
});
