// Pure helpers of the provenance screens (unit-tested in logic.test.ts).
import type { StaleReason, StaleSegment } from './api';

/** The first 12 hex digits of a hash, with an ellipsis when shortened; an em dash for none. */
export function shortHash(hash: string | null | undefined, length = 12): string {
  if (!hash) return '—';
  return hash.length > length ? `${hash.slice(0, length)}…` : hash;
}

/** A generation time in milliseconds as "75.0 s", "1 min 15 s", "1 h 2 min"; an em dash for none. */
export function formatMillis(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const total = Math.round(seconds);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  if (hours > 0) return `${hours} h ${minutes} min`;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/** "lora smooth-motion v1 → v2", or "lora x.safetensors unverified: …" for a file no catalog version matches */
export function describeReason(reason: StaleReason): string {
  const type = reason.asset_type.replace('_', ' ');
  if (reason.reason === 'unverified') return `${type} ${reason.asset_name} unverified: no catalog version matches`;
  const current = reason.current_version ?? 'a newer version';
  return `${type} ${reason.asset_name} ${reason.receipt_version} → ${current}`;
}

/** The checkbox selection of the stale-segment table: a set of segment ids. */
export type Selection = ReadonlySet<number>;

export function toggle(selection: Selection, id: number, checked: boolean): Selection {
  const next = new Set(selection);
  if (checked) next.add(id);
  else next.delete(id);
  return next;
}

/** Select all: every listed id, or none when all are already selected. */
export function toggleAll(selection: Selection, ids: readonly number[]): Selection {
  return allSelected(selection, ids) ? new Set() : new Set(ids);
}

export function allSelected(selection: Selection, ids: readonly number[]): boolean {
  return ids.length > 0 && ids.every((id) => selection.has(id));
}

/** The "select all" box is mixed when some but not all ids are selected. */
export function someSelected(selection: Selection, ids: readonly number[]): boolean {
  return ids.some((id) => selection.has(id)) && !allSelected(selection, ids);
}

/** The ids to send, in the table's order. */
export function selectedInOrder(selection: Selection, segments: readonly StaleSegment[]): number[] {
  return segments.filter((s) => selection.has(s.segment_id)).map((s) => s.segment_id);
}

/** Stale segment ids of a report, as a set for markers. */
export function staleIdSet(segments: readonly Pick<StaleSegment, 'segment_id'>[]): ReadonlySet<number> {
  return new Set(segments.map((s) => s.segment_id));
}
