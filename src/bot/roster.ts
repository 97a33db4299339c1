// Who is speaking: a Matrix user id resolved against the roster (people of this province
// on its own homeserver, partner experts on allow-listed servers), with the language they
// chose by `!lang`. Anyone else is undefined and never reaches a handler.
import { personById } from "../config/lookup.ts";
import type { Province } from "../config/schema.ts";
import type { BotStore } from "../store/bot-store.ts";
import type { Sender } from "../messaging/types.ts";

export function rosterLookup(province: Province, store: Pick<BotStore, "language">): (userId: string) => Sender | undefined {
  const partners = new Set(province.federation.partners);
  return (userId) => {
    const [localpart, ...server] = userId.slice(1).split(":");
    const serverName = server.join(":");
    const stored = store.language(userId);
    if (serverName === province.homeserver.server_name) {
      const person = localpart ? personById(province, localpart) : undefined;
      if (!person) return undefined;
      return { userId, role: person.role, person, displayName: person.name, language: stored ?? person.language };
    }
    if (!partners.has(serverName)) return undefined;
    const partner = province.federation.partner_experts.find((e) => e.user_id === userId);
    if (!partner) return undefined;
    return { userId, role: "expert", partner, displayName: partner.name, language: stored ?? partner.language };
  };
}
