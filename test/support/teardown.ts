// Teardown that stops everything even when one part fails to stop: stages run in order
// (clients, then the bot, then the servers it talks to), the parts of a stage together,
// and every failure is reported at the end instead of leaving the later parts running.

/** A part to stop; undefined when setup never got that far. */
export type Stoppable = (() => Promise<unknown> | unknown) | undefined;

export async function stopInStages(...stages: Stoppable[][]): Promise<void> {
  const errors: unknown[] = [];
  for (const stage of stages) {
    const results = await Promise.allSettled(stage.map(async (stop) => stop?.()));
    for (const r of results) if (r.status === "rejected") errors.push(r.reason);
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} parts failed to stop (all the others were stopped)`);
}
