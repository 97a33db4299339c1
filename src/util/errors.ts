/** An error's message for a log line (never a stack, never the request that failed). */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
