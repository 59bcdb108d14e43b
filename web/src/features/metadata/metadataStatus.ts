// What a metadata file's status means for the UI: reason words, the status line, and the regeneration job's result.
import type { MetadataStatus } from './api';

/** Why the server says a file is not current, in words (the codes are MetadataService's). */
export const REASON_LABELS: Record<string, string> = {
  not_generated: 'never generated',
  source_changed: 'catalog changed since',
  file_missing: 'file missing on disk',
  file_modified: 'edited on disk',
  schema_version_changed: 'schema version changed',
  media_changed: 'a clip or image changed on disk',
  media_missing: 'a clip or image is missing',
  media_unrecorded: 'written before its media were recorded',
  path_changed: 'under an old name (regenerate to move it)',
};

/** A reason code in words; an unknown code shows as the server names it. */
export function reasonLabel(reason: string): string {
  return REASON_LABELS[reason] ?? reason.replace(/_/g, ' ');
}

export type StatusTone = 'good' | 'bad' | 'wait';

export interface StatusView {
  current: boolean;
  /** The badge: "Current", "Stale" or "Not generated". */
  badge: string;
  tone: StatusTone;
  /** "Current", or "Stale: edited on disk, catalog changed since". */
  text: string;
}

/** The status of one file: current when the server gives no reason, stale (with its reasons) otherwise. */
export function describeStatus(status: Pick<MetadataStatus, 'reasons'>): StatusView {
  const reasons = status.reasons;
  if (reasons.length === 0) return { current: true, badge: 'Current', tone: 'good', text: 'Current' };
  const text = `Stale: ${reasons.map(reasonLabel).join(', ')}`;
  if (reasons.length === 1 && reasons[0] === 'not_generated') {
    return { current: false, badge: 'Not generated', tone: 'wait', text };
  }
  return { current: false, badge: 'Stale', tone: 'bad', text };
}

/** "character_metadata" → "character_metadata.json". */
export function fileName(fileType: string): string {
  return `${fileType}.json`;
}

/**
 * A delivery-check problem such as "video_metadata of scene 4 'Walk': file_missing, source_changed", with its reason
 * codes in words.
 */
export function describeProblem(problem: string): string {
  const cut = problem.lastIndexOf(': ');
  if (cut < 0) return problem;
  const reasons = problem
    .slice(cut + 2)
    .split(',')
    .map((r) => reasonLabel(r.trim()));
  return `${problem.slice(0, cut)}: ${reasons.join(', ')}`;
}

export interface RegenerationFailure {
  entity_type: string;
  entity_id: number;
  name: string;
  error: string;
}

export interface RegenerationResult {
  total: number | null;
  regenerated: number;
  skipped: number;
  failed: number;
  failures: RegenerationFailure[];
}

const count = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** The result of a metadata.regenerate job (null when the job has none yet, e.g. still running). */
export function regenerationResult(result: unknown): RegenerationResult | null {
  if (!result || typeof result !== 'object' || Array.isArray(result)) return null;
  const r = result as Record<string, unknown>;
  const failures = Array.isArray(r.failures)
    ? r.failures
        .filter((f): f is Record<string, unknown> => !!f && typeof f === 'object')
        .map((f) => ({
          entity_type: String(f.entity_type ?? ''),
          entity_id: count(f.entity_id),
          name: String(f.name ?? ''),
          error: String(f.error ?? ''),
        }))
    : [];
  return {
    total: typeof r.total === 'number' ? r.total : null,
    regenerated: count(r.regenerated),
    skipped: count(r.skipped),
    failed: count(r.failed),
    failures,
  };
}

/** "9 regenerated · 0 skipped · 0 failed". */
export function summarizeRegeneration(result: RegenerationResult): string {
  return `${result.regenerated} regenerated · ${result.skipped} skipped · ${result.failed} failed`;
}

/** "1 file" / "3 files". */
export function files(n: number): string {
  return `${n} ${n === 1 ? 'file' : 'files'}`;
}
