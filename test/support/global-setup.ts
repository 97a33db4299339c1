// Build the Synapse root filesystem once before any test file runs (the first
// run on a new machine takes about two minutes; later runs reuse the cache).
import { ensureRootfs } from "../../src/homeserver/process.ts";

export default function setup(): void {
  ensureRootfs();
}
