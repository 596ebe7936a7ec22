import { MAX_MUTATIES_PER_LEVERING } from "../../contracts/bron/constants.js";
import type { Mutatie } from "../../contracts/bron/messages.js";

/** Default batch size: well under the contract's maximum, keeps one message around 0.6 MiB. */
export const DEFAULT_BATCH_SIZE = 500;

/**
 * Splits mutations into deliveries deterministically: sorted by mutatieId, then chunked. The same
 * set of actions always gives the same batches, and so the same MessageIDs, so a retried send
 * activity resends identical messages and BRON registers each mutation once.
 */
export function planDeliveries(mutaties: readonly Mutatie[], batchSize = DEFAULT_BATCH_SIZE): Mutatie[][] {
  if (batchSize < 1 || batchSize > MAX_MUTATIES_PER_LEVERING) throw new RangeError(`batch size must be 1..${MAX_MUTATIES_PER_LEVERING}`);
  const sorted = [...mutaties].sort((a, b) => (a.mutatieId < b.mutatieId ? -1 : a.mutatieId > b.mutatieId ? 1 : 0));
  const out: Mutatie[][] = [];
  for (let i = 0; i < sorted.length; i += batchSize) out.push(sorted.slice(i, i + batchSize));
  return out;
}
