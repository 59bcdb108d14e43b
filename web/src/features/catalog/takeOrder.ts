/** Segments in take order: by sequence index, a regenerated take right after the one it replaces (same index). */
export function byTakeOrder<T extends { id: number; sequence_index: number }>(segments: readonly T[]): T[] {
  return [...segments].sort((x, y) => x.sequence_index - y.sequence_index || x.id - y.id);
}
