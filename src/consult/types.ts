// A consult: one request for expert advice, from opening to outcome. Metadata
// only: no clinical text is ever stored (the request lives, encrypted, in the room).
import type { Priority, Specialty } from "../config/schema.ts";

export const OUTCOMES = ["managed_locally", "referred", "arrived_at_referral_facility", "maternal_death", "newborn_death", "other"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type ConsultStatus = "open" | "closed";

export interface ConsultRecord {
  /** e.g. BK-0042 */
  caseId: string;
  /** The request event (where the thread hangs). */
  requestEventId: string;
  roomId: string;
  districtId: string;
  /** Facility of the provider who asked. */
  facilityId: string;
  /** Matrix ID of the provider who asked. */
  requester: string;
  priority: Priority;
  specialty: Specialty;
  /** How it was opened. */
  openedBy: "command" | "tag";
  openedAt: number;
  /** First acknowledgement by an expert: who and when. */
  firstResponseAt?: number;
  firstResponder?: string;
  /** Index of the highest escalation step fired (0-based, per priority ladder), or -1. */
  escalationStep: number;
  status: ConsultStatus;
  closedAt?: number;
  outcome?: Outcome;
  /** Facility the woman or baby was referred to. */
  referredTo?: string;
  referredAt?: number;
}
