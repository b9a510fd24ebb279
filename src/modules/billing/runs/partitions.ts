/**
 * Which partition of a billing run a party falls in (SPEC §11): its id's FNV-1a hash modulo the
 * run's number of partitions. Every process computes the same answer, and every party falls in
 * exactly one partition, whether it has contracts, drafts of the month, or is only a partner
 * credited by an offer. Pure.
 */

/** FNV-1a, 32 bits, over the UTF-16 code units of `text` (party ids are ASCII). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The partition (0..partitions−1) of a party. */
export function partitionOf(partyId: string, partitions: number): number {
  return fnv1a(partyId) % partitions;
}

/** At most this many partitions, whatever the book: each costs a transaction and a read of the run's history. */
export const partitionsMax = 256;

/** How many partitions a run of a book with `parties` parties gets, at `partyCount` parties each (at least 1). */
export function partitionCount(parties: number, partyCount: number): number {
  return Math.min(partitionsMax, Math.max(1, Math.ceil(parties / Math.max(1, partyCount))));
}
