// The reviewers' worklist: catalogue messages whose Lao a native clinical speaker
// has not yet checked. `scripts/i18n-review.ts` prints it together with the guide cards.
import { catalogue, type MessageKey } from "./catalogue.ts";

export interface UnreviewedMessage {
  readonly key: MessageKey;
  readonly en: string;
  readonly lo: string;
}

export function unreviewedMessages(): UnreviewedMessage[] {
  return (Object.keys(catalogue) as MessageKey[])
    .filter((key) => !catalogue[key].lo_reviewed)
    .map((key) => ({ key, en: catalogue[key].en, lo: catalogue[key].lo }));
}
