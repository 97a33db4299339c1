// Who may do what with a consult. One table, read by the lifecycle (which checks "own")
// and by the command declarations (which take the roles from it), so the two cannot differ.
import type { Role } from "../config/schema.ts";

export const CONSULT_ACTIONS = ["open", "acknowledge", "escalate", "refer", "close", "reopen", "list", "rota"] as const;
export type ConsultAction = (typeof CONSULT_ACTIONS)[number];

/** "own": only for a consult the person asked themselves. */
export type Grant = "yes" | "own" | "no";

/**
 * Health workers open consults and escalate, close or reopen their own; experts answer,
 * refer and close any; coordinators do everything and keep the rota. The IT admin is not a
 * clinician and does none of it. Partner experts have the expert role.
 */
export const PERMISSIONS: Readonly<Record<Role, Readonly<Record<ConsultAction, Grant>>>> = {
  provider: { open: "yes", acknowledge: "no", escalate: "own", refer: "no", close: "own", reopen: "own", list: "yes", rota: "no" },
  expert: { open: "no", acknowledge: "yes", escalate: "no", refer: "yes", close: "yes", reopen: "yes", list: "yes", rota: "no" },
  coordinator: { open: "yes", acknowledge: "yes", escalate: "yes", refer: "yes", close: "yes", reopen: "yes", list: "yes", rota: "yes" },
  admin: { open: "no", acknowledge: "no", escalate: "no", refer: "no", close: "no", reopen: "no", list: "no", rota: "no" },
};

/** Whether `role` may do `action`; `own` says whether the consult is the person's own request. */
export function permitted(role: Role, action: ConsultAction, own = false): boolean {
  const grant = PERMISSIONS[role][action];
  return grant === "yes" || (grant === "own" && own);
}

/** The roles that may do `action` on at least some consults: what a command declaration allows. */
export function rolesFor(action: ConsultAction): Role[] {
  return (Object.keys(PERMISSIONS) as Role[]).filter((role) => PERMISSIONS[role][action] !== "no");
}
