// The escalation ladder: what happens, and when, while a consult has no answer. Pure
// over the instant it is given; the store remembers which steps have fired.
import { parseDuration } from "../config/duration.ts";
import type { EscalationStep, Priority, Province } from "../config/schema.ts";

export type EscalationAction = EscalationStep["action"];

export interface LadderStep {
  /** Position in the priority's ladder, 0-based: the step's identity. */
  index: number;
  /** Milliseconds after the ladder started. */
  after: number;
  action: EscalationAction;
}

/** Where a consult stands on its ladder. */
export interface LadderState {
  /** Steps of the consult's current priority. */
  steps: readonly LadderStep[];
  /** When this ladder started: the opening, or the latest escalation or reopening. */
  startedAt: number;
  /** Indexes of the steps of this ladder already fired. */
  fired: ReadonlySet<number>;
  /** An acknowledged or closed consult climbs no further. */
  stopped: boolean;
}

/** The ladder for a priority, with its delays in milliseconds (the loader has checked them). */
export function ladderFor(province: Province, priority: Priority): LadderStep[] {
  return (province.escalation[priority] ?? []).map((step, index) => {
    const after = parseDuration(step.after);
    if (after === undefined) throw new Error(`escalation.${priority}[${index}].after: ${step.after} is not a duration`);
    return { index, after, action: step.action };
  });
}

/**
 * The steps due at `now` and not yet fired, in ladder order. A step that fell due while the
 * bot was down is due now, once: after a long outage several steps come due together and
 * fire in one go, in order, rather than being spread out again or skipped.
 */
export function dueSteps(state: LadderState, now: number): LadderStep[] {
  if (state.stopped) return [];
  return state.steps.filter((step) => !state.fired.has(step.index) && state.startedAt + step.after <= now);
}

/** The next step not yet fired and when it falls due, or undefined at the top of the ladder or once stopped. */
export function nextStep(state: LadderState): { step: LadderStep; at: number } | undefined {
  if (state.stopped) return undefined;
  const step = state.steps.find((s) => !state.fired.has(s.index));
  return step && { step, at: state.startedAt + step.after };
}

export function nextStepAt(state: LadderState): number | undefined {
  return nextStep(state)?.at;
}
