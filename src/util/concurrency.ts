/** Run `fn` over `items` with at most `limit` in flight; results keep the input order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Like mapLimited, but a failure does not stop the others: failures are
 * collected. When `stopOn` says a failure means there is no point going on
 * (the server keeps failing), no further item is started; the ones in flight
 * finish, and the count of items never started is returned.
 */
export async function settleLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
  stopOn: (error: unknown) => boolean = () => false,
): Promise<{ failures: Array<{ item: T; error: unknown }>; notStarted: number }> {
  const failures: Array<{ item: T; error: unknown }> = [];
  let stopped = false;
  let started = 0;
  await mapLimited(items, limit, async (item) => {
    if (stopped) return;
    started++;
    try {
      await fn(item);
    } catch (error) {
      failures.push({ item, error });
      if (stopOn(error)) stopped = true;
    }
  });
  return { failures, notStarted: items.length - started };
}
