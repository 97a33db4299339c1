// The reviewers' worklist: catalogue messages whose Lao a native clinical speaker has not
// checked in its current wording. A check is a `language` record in the review ledger
// (src/review/ledger.ts) keyed by a hash of the message's English and Lao, so editing either
// puts the message back on the list. `scripts/i18n-review.ts` prints it with the guide cards.
import { messageHash, type Review, validReview } from "../review/ledger.ts";
import { catalogue, type MessageKey } from "./catalogue.ts";

export interface UnreviewedMessage {
  readonly key: MessageKey;
  readonly en: string;
  readonly lo: string;
}

export function unreviewedMessages(reviews: readonly Review[]): UnreviewedMessage[] {
  return (Object.keys(catalogue) as MessageKey[])
    .filter((key) => validReview(reviews, `message:${key}`, "language", messageHash(catalogue[key])) === undefined)
    .map((key) => ({ key, en: catalogue[key].en, lo: catalogue[key].lo }));
}
