// The first-join greeting, pure over the small fixture province.
import { beforeAll, describe, expect, it } from "vitest";
import type { Outgoing } from "../../src/messaging/types.ts";
import { welcomeMessage } from "../../src/bot/welcome.ts";
import type { Province } from "../../src/config/schema.ts";
import type { Card } from "../../src/guides/index.ts";
import { render } from "../../src/i18n/index.ts";
import { guideCards, smallProvince, type TestBot, testBot } from "../support/command-context.ts";

let province: Province;
let cards: readonly Card[];
beforeAll(async () => {
  province = smallProvince();
  cards = await guideCards();
});

function welcome(b: TestBot, person: string, roomKey: string): { body: string; html: string; message: Extract<Outgoing, { kind: "message" }> } {
  const out = welcomeMessage(b, b.userId(person), b.room(roomKey));
  expect(out).toHaveLength(1);
  const message = out[0];
  if (message?.kind !== "message") throw new Error("expected a message");
  const rendered = render(message.reply);
  return { body: rendered.body, html: rendered.formatted_body, message };
}

describe("welcomeMessage", () => {
  it("greets a Lao-speaking provider in their district room: name, purpose, how to ask, rules", () => {
    const b = testBot(province, cards);
    const { body, message } = welcome(b, "nurse-n1", "district:north");
    expect(body).toContain("ຍິນດີຕ້ອນຮັບ, Test Nurse N1. ຫ້ອງນີ້ແມ່ນສຳລັບ ຖາມແພດຊ່ຽວຊານ ກ່ຽວກັບກໍລະນີຈາກ ເໜືອ.");
    expect(body).toContain("ໃຫ້ຂຽນກໍລະນີຢູ່ບ່ອນນີ້ ແລະ ໃສ່ #emergency. ຫຼື ສົ່ງ !consult.");
    expect(body).toContain("ກົດລະບຽບ ຂອງຫ້ອງຂໍຄຳປຶກສາຈາກແພດຊ່ຽວຊານ ແຂວງເທສແລນ");
    expect(body).toContain("+856 84 000 900");
    expect(body).toContain("!rules");
    expect(body).toContain("!help");
    expect(body).not.toContain("Welcome");
    expect(message.msgtype).toBe("m.notice");
    expect(message.roomId).toBe(b.room("district:north").roomId);
    expect(message.mentions).toEqual({ user_ids: [b.userId("nurse-n1")] });
  });

  it("greets an English-speaking provider in the training room, with the drill", () => {
    const { body } = welcome(testBot(province, cards), "doctor-n3", "training");
    expect(body).toContain("Welcome, Test Assistant Doctor N3. This room is for practice: nothing here is a real case.");
    expect(body).toContain("To ask an expert for help, write the case in your district room and add #emergency. Or send !consult there.");
    expect(body).toContain("Send !practice to try a short drill with a simulated case.");
    expect(body).toContain("Rules of the Testland expert advice rooms");
    expect(body).toContain("If nobody answers within 5 minutes in an emergency, phone +856 84 000 900.");
  });

  it("tells an expert how requests reach them, not how to ask", () => {
    const { body } = welcome(testBot(province, cards), "obstetrician", "experts");
    expect(body).toContain("This room is for the expert doctors: requests that need more help are posted here.");
    expect(body).toContain("I call the expert on call by name");
    expect(body).not.toContain("To ask an expert");
    expect(body).not.toContain("!practice");
  });

  it("follows the language chosen with !lang", () => {
    const b = testBot(province, cards);
    b.store.setLanguage(b.userId("nurse-n1"), "en");
    expect(welcome(b, "nurse-n1", "announcements").body).toContain("Welcome, Test Nurse N1. This room is for notices from the coordinator.");
  });

  it("teaches a Lao reader the Lao emergency tag when the province has one", () => {
    const p: Province = { ...province, tags: { ...province.tags, emergency: ["#emergency", "#ສຸກເສີນ"] } };
    expect(welcome(testBot(p, cards), "nurse-n1", "district:north").body).toContain("ໃສ່ #ສຸກເສີນ");
    expect(welcome(testBot(p, cards), "doctor-n3", "district:north").body).toContain("add #emergency");
  });

  it("escapes a display name in the HTML", () => {
    const p: Province = { ...province, people: province.people.map((x) => (x.id === "doctor-n3" ? { ...x, name: "<img src=x onerror=alert(1)>" } : x)) };
    const { html } = welcome(testBot(p, cards), "doctor-n3", "training");
    expect(html).toContain("<b>&lt;img src=x onerror=alert(1)&gt;</b>");
    expect(html).not.toContain("<img");
  });

  it("says nothing in the Space, to the bot itself, or to someone outside the roster", () => {
    const b = testBot(province, cards);
    expect(welcomeMessage(b, b.userId("nurse-n1"), b.room("space"))).toEqual([]);
    expect(welcomeMessage(b, b.botUserId, b.room("training"))).toEqual([]);
    expect(welcomeMessage(b, "@stranger:elsewhere.example", b.room("training"))).toEqual([]);
  });
});
