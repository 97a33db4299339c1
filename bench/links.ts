// The link phase of the bench (`npm run bench -- --links`): what a provider's phone
// pays on a 3G and a 2G link (test/support/link.ts) for a consult and a `!guide`
// card, in bytes on the wire and in time until the bot's answer is decrypted,
// against the floor of a one-line encrypted message on the same link. Also what a
// room-key rotation costs the sender, and the first login and sync.
//
// The provider (nurse-n1 of the small test province) is the only phone behind the
// link; everyone else in the district room is logged in directly with one device,
// so each room key is shared with every member's device as in the field.
import pino from "pino";
import type { MatrixEvent } from "matrix-js-sdk";
import { startBot, type RunningBot } from "../src/bot/main.ts";
import { freePort } from "../src/homeserver/process.ts";
import { enc } from "../src/matrix/http.ts";
import { loginClient, isAnswerTo, type TestClient } from "../test/support/clients.ts";
import { measured, phoneOnLink, type Measured, type Phone } from "../test/support/field.ts";
import { PROFILES, type ByteCount, type LinkCounters, type ProfileName } from "../test/support/link.ts";
import { provision, SMALL_PROVINCE, type TestProvince } from "../test/support/province.ts";
import { startTestSynapse, type TestSynapse } from "../test/support/synapse.ts";
import { median, round } from "./stats.ts";

export interface LinksOptions {
  profiles: ProfileName[];
  /** How many of each measured action, per profile (the median is reported). */
  repeats: number;
  /**
   * Synapse compresses its responses (gzip) for clients that accept it, as Element's HTTP
   * stacks do; off in the template (`compress: false`), so measured as a separate run.
   */
  gzip?: boolean;
  log: (line: string) => void;
}

export interface Cost {
  /** Median over the repeats. */
  ms: number;
  up: number;
  down: number;
  total: number;
  /** What the bytes were for (the median repeat's breakdown), e.g. sync responses, to-device key shares, the send. */
  byKind: Record<string, ByteCount>;
  samples: Array<{ ms: number; total: number }>;
}

export interface LinkFigures {
  profile: string;
  gzip: boolean;
  rttMs: number;
  bitsPerSecond: number;
  /** Login and first sync of a new device (the district room, the space, training, announcements). */
  firstSync: Cost;
  /** The provider's first message in the room: a new room key, shared with every device in it. */
  firstMessage: Cost;
  floor: Cost;
  guide: Cost & { overFloor: number; goal: number; goalMet: boolean };
  consult: Cost & { overFloor: number; goal: number; goalMet: boolean };
  /** A one-line message right after the provider's room key was discarded (a rotation), over the floor. */
  rotation: Cost & { overFloor: number };
  resets: number;
  stalls: number;
}

export interface LinksResult {
  synapse: string;
  room: { members: number; devices: number };
  settleMs: number;
  figures: LinkFigures[];
}

const GUIDE_GOAL = 8 * 1024;
const CONSULT_GOAL = 20 * 1024;
/** After the awaited answer, the window stays open this long: the consult's second reply (what is missing) lands in it. */
const SETTLE_MS = 4_000;

const body = (e: MatrixEvent) => String(e.getContent().body ?? "");
const totalOf = (b: LinkCounters) => b.up + b.down;

function cost(samples: Array<Measured<unknown>>): Cost {
  const sorted = [...samples].sort((a, b) => totalOf(a.bytes) - totalOf(b.bytes));
  const mid = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return {
    ms: round(median(samples.map((s) => s.ms)), 0),
    up: mid.bytes.up,
    down: mid.bytes.down,
    total: totalOf(mid.bytes),
    byKind: mid.bytes.byKind,
    samples: samples.map((s) => ({ ms: round(s.ms, 0), total: totalOf(s.bytes) })),
  };
}

export async function benchLinks(opts: LinksOptions): Promise<LinksResult> {
  const port = await freePort();
  const compressed = { listeners: [{ port, bind_addresses: ["127.0.0.1"], type: "http", tls: false, x_forwarded: false, resources: [{ names: ["client"], compress: true }] }] };
  const hs: TestSynapse = await startTestSynapse({ port, ...(opts.gzip ? { overrides: compressed } : {}) });
  let bot: RunningBot | undefined;
  const others: TestClient[] = [];
  try {
    const p: TestProvince = await provision(hs, SMALL_PROVINCE);
    bot = await startBot({ province: p.province, deployment: p.deployment, logger: pino({ level: "warn" }) });
    const botId = p.userId(p.province.bot.id);
    const roomId = bot.runtime.roomIds.get("district:north")!;
    const { http } = await p.deployment.adminSession();
    const { joined } = await http.get<{ joined: Record<string, unknown> }>(`/_matrix/client/v3/rooms/${enc(roomId)}/joined_members`);
    const members = Object.keys(joined);
    // One device for each person in the room (the bot has its own; the admin service account has none).
    for (const userId of members) {
      const localpart = userId.slice(1, userId.indexOf(":"));
      if (userId === botId || localpart === "nurse-n1" || !p.province.people.some((x) => x.id === localpart)) continue;
      others.push(await loginClient(hs.baseUrl, userId, p.password(localpart)));
    }
    const expert = others.find((c) => c.userId === p.userId("obstetrician"))!;
    const devices = others.length + 2; // and the bot's, and the provider's
    opts.log(`links: ${members.length} members in the north district room, ${devices} devices`);

    const figures: LinkFigures[] = [];
    for (const name of opts.profiles) {
      const profile = PROFILES[name];
      opts.log(`links: ${name} (${profile.rttMs} ms, ${profile.bitsPerSecond / 1000} kbit/s): login and first sync`);
      const phone: Phone = await phoneOnLink(hs.baseUrl, profile, p.userId("nurse-n1"), p.password("nurse-n1"));
      try {
        const nurse = phone.client;
        const link = phone.link;
        // The bot shares its room key with a new device when it next sends; its welcome may do it.
        const oneLine = async (text: string) => {
          const id = await nurse.send(roomId, text);
          await nurse.waitFor((e) => e.getId() === id && e.getSender() === nurse.userId, 120_000, "the remote echo");
          return id;
        };
        const firstMessage = await measured(link, SETTLE_MS, () => oneLine(`${name}: hello`));
        opts.log(`links: ${name}: floor`);
        const floors: Array<Measured<unknown>> = [];
        for (let i = 0; i < opts.repeats; i++) floors.push(await measured(link, SETTLE_MS, () => oneLine(`ok ${i}`)));
        const floor = cost(floors);

        opts.log(`links: ${name}: !guide pph`);
        const guides: Array<Measured<unknown>> = [];
        for (let i = 0; i < opts.repeats; i++) {
          guides.push(
            await measured(link, SETTLE_MS, async () => {
              const id = await nurse.send(roomId, "!guide pph");
              await nurse.waitFor(isAnswerTo(id, botId), 180_000, "the guide card");
            }),
          );
        }
        opts.log(`links: ${name}: consults`);
        const consults: Array<Measured<unknown>> = [];
        for (let i = 0; i < opts.repeats; i++) {
          let request = "";
          consults.push(
            await measured(link, SETTLE_MS, async () => {
              request = await nurse.send(roomId, `#emergency bleeding after delivery, BP 80/50 (${name} ${i})`);
              await nurse.waitFor((e) => e.getSender() === botId && e.getContent()["m.relates_to"]?.event_id === request && /TL-\d{4}/.test(body(e)), 180_000, "the consult card");
            }),
          );
          // The expert acknowledges (off the measured link), so the ladder stops.
          const card = await expert.waitFor((e) => e.getSender() === botId && e.getContent()["m.relates_to"]?.event_id === request && /TL-\d{4}/.test(body(e)), 60_000, "the page");
          await expert.client.sendEvent(roomId, "m.reaction" as never, { "m.relates_to": { rel_type: "m.annotation", event_id: card.getId()!, key: "✅" } } as never);
        }
        opts.log(`links: ${name}: a room-key rotation`);
        const rotations: Array<Measured<unknown>> = [];
        for (let i = 0; i < opts.repeats; i++) {
          await nurse.client.getCrypto()!.forceDiscardSession(roomId);
          rotations.push(await measured(link, SETTLE_MS, () => oneLine(`rotated ${i}`)));
        }
        const guide = cost(guides);
        const consult = cost(consults);
        const rotation = cost(rotations);
        figures.push({
          profile: name,
          gzip: opts.gzip ?? false,
          rttMs: profile.rttMs,
          bitsPerSecond: profile.bitsPerSecond,
          firstSync: cost([{ value: undefined, ms: phone.firstSync.ms, bytes: phone.firstSync.bytes }]),
          firstMessage: cost([firstMessage]),
          floor,
          guide: { ...guide, overFloor: guide.total - floor.total, goal: GUIDE_GOAL, goalMet: guide.total - floor.total < GUIDE_GOAL },
          consult: { ...consult, overFloor: consult.total - floor.total, goal: CONSULT_GOAL, goalMet: consult.total - floor.total < CONSULT_GOAL },
          rotation: { ...rotation, overFloor: rotation.total - floor.total },
          resets: link.counters.resets,
          stalls: link.counters.stalls,
        });
      } finally {
        await phone.stop();
      }
    }
    const synapse = (await http.get<{ server_version: string }>("/_synapse/admin/v1/server_version")).server_version;
    return { synapse, room: { members: members.length, devices }, settleMs: SETTLE_MS, figures };
  } finally {
    for (const c of others) await c.stop();
    await bot?.stop();
    await hs.destroy();
  }
}

const kb = (bytes: number) => `${round(bytes / 1024, 1)} KB`;
const sec = (ms: number) => `${round(ms / 1000, 1)} s`;

function kinds(byKind: Record<string, ByteCount>): string {
  return Object.entries(byKind)
    .sort(([, a], [, b]) => b.up + b.down - (a.up + a.down))
    .map(([k, v]) => `${k} ${kb(v.up + v.down)}`)
    .join(", ");
}

export function renderLinks(r: LinksResult): string {
  const lines = [
    "## A provider's phone on 3G and 2G links",
    "",
    `The north district room of the small test province: ${r.room.members} members, ${r.room.devices} devices (each room key is shared with each of them). ` +
      `Bytes are what the phone's HTTP connections carried both ways (heads and bodies; TLS and TCP/IP headers not counted), from the send until ${r.settleMs / 1000} s after the answer was decrypted; medians.`,
    "",
    "| Link | What | Time to decrypted answer | Bytes (up + down) | Over the floor | Goal | What the bytes are |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const f of r.figures) {
    const link = `${f.profile} (${f.rttMs} ms, ${f.bitsPerSecond / 1000} kbit/s)${f.gzip ? ", gzip" : ""}`;
    lines.push(`| ${link} | login and first sync | ${sec(f.firstSync.ms)} | ${kb(f.firstSync.total)} | – | – | ${kinds(f.firstSync.byKind)} |`);
    lines.push(
      `| ${link} | first message in the room (new room key) | ${sec(f.firstMessage.ms)} | ${kb(f.firstMessage.total)} | ${kb(f.firstMessage.total - f.floor.total)} | – | ${kinds(f.firstMessage.byKind)} |`,
    );
    lines.push(`| ${link} | **floor**: a one-line encrypted message, to its echo | ${sec(f.floor.ms)} | ${kb(f.floor.total)} | – | – | ${kinds(f.floor.byKind)} |`);
    lines.push(
      `| ${link} | \`!guide pph\` card | ${sec(f.guide.ms)} | ${kb(f.guide.total)} | ${kb(f.guide.overFloor)} | < ${kb(f.guide.goal)} ${f.guide.goalMet ? "met" : "**not met**"} | ${kinds(f.guide.byKind)} |`,
    );
    lines.push(
      `| ${link} | consult (\`#emergency\`) to its card | ${sec(f.consult.ms)} | ${kb(f.consult.total)} | ${kb(f.consult.overFloor)} | < ${kb(f.consult.goal)} ${f.consult.goalMet ? "met" : "**not met**"} | ${kinds(f.consult.byKind)} |`,
    );
    lines.push(`| ${link} | one-line message after a room-key rotation | ${sec(f.rotation.ms)} | ${kb(f.rotation.total)} | ${kb(f.rotation.overFloor)} | – | ${kinds(f.rotation.byKind)} |`);
  }
  lines.push(
    "",
    '"gzip": the same, with Synapse compressing its responses for clients that accept it (the template has `compress: false`; Element\'s HTTP stacks accept gzip).',
    "",
    `Link events during the run: ${r.figures.map((f) => `${f.profile}${f.gzip ? " gzip" : ""} ${f.stalls} stalls, ${f.resets} resets`).join("; ")}.`,
  );
  return lines.join("\n");
}
