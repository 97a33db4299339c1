// How the bot's Node process is started. Every launcher uses these: `npm run up` (src/cli/stack.ts),
// the compose file's bot service (a unit test holds it to this list) and the bench, so that what
// is measured is what runs.
//
// Why. Left to its defaults, V8 sizes its heap for throughput: objects that live for a few seconds
// (a sync response, a message being decrypted, answered and sent) survive the young generation's
// collections and move to the old generation, which then grows to several times what is live
// before a full collection. On Bokeo the bot held 50-60 MiB of live heap and peaked at 523 MiB of
// resident memory over 1,500 messages. With --optimize-for-size (V8 collects the old generation
// sooner and keeps less in reserve), a 2 MiB young generation and two malloc arenas, the same run
// peaked at 186 MiB with the heap between 47 and 54 MiB. The price is collection time: in
// alternating round trips against the same floor the bot's `!guide pph` p50 came to about 1.09-1.11x
// the floor instead of 1.07-1.08x (60 round trips each, issue 12's notes); --heap-growing-percent=30
// instead of --optimize-for-size cost as much and left 209 MiB. Later probes (80 round trips each)
// found no difference beyond their noise, and with these flags the bot on an in-memory crypto store
// came to 1.03-1.05x (bench --crypto-store): the bot's remaining time is its crypto store's reads.
//
// MALLOC_ARENA_MAX: glibc gives each thread that allocates its own arena (V8's compiler and garbage
// collector threads, libuv's pool), and each keeps freed memory resident. Two are enough for a
// process whose work is on one thread.
/** Node options of the bot process, before the script. */
export const BOT_NODE_FLAGS: readonly string[] = ["--optimize-for-size", "--max-semi-space-size=2"];

/** Environment of the bot process. */
export const BOT_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: "2" };

/** The flags and variables this process was started without (empty when it runs as it should). */
export function missingBotSettings(execArgv: readonly string[] = process.execArgv, env: NodeJS.ProcessEnv = process.env): string[] {
  const given = [...execArgv, ...(env.NODE_OPTIONS ?? "").split(/\s+/)];
  const missing = BOT_NODE_FLAGS.filter((flag) => !given.includes(flag));
  for (const [name, value] of Object.entries(BOT_ENV)) if (env[name] !== value) missing.push(`${name}=${value}`);
  return missing;
}
