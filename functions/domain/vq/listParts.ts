/** The ids of one stored blob of a list and the ids of earlier entries it masks. */
export interface ListPart {
  ids: readonly string[];
  masked: readonly string[];
}

/**
 * For each blob of a list (base first, then its deltas oldest first), the
 * slots whose entry a later blob masks. An entry is live unless a later blob
 * masks its id; a blob's own masks are about earlier blobs only, so an id
 * masked and added again in one delta (re-embedded) is live there.
 */
export function maskedSlots(parts: readonly ListPart[]): Set<number>[] {
  const maskedLater = new Set<string>();
  const masked = parts.map(() => new Set<number>());
  for (let p = parts.length - 1; p >= 0; p -= 1) {
    const part = parts[p]!;
    if (maskedLater.size > 0) part.ids.forEach((id, slot) => maskedLater.has(id) && masked[p]!.add(slot));
    for (const id of part.masked) maskedLater.add(id);
  }
  return masked;
}

/** The live entries of a list from its blobs, oldest first. */
export function liveEntries<Part extends ListPart, Entry>(parts: readonly Part[], entryOf: (part: Part, slot: number) => Entry): Entry[] {
  const masked = maskedSlots(parts);
  return parts.flatMap((part, p) => part.ids.flatMap((_, slot) => (masked[p]!.has(slot) ? [] : [entryOf(part, slot)])));
}
