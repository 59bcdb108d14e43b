// The project-wide segment list's rows and filters: pure functions, so the filter rules are tested without a page.
import type { Character, Scene, SceneType, Segment } from './api';

export interface SegmentRow {
  segment: Segment;
  scene: Scene;
  character: Character;
  sceneType: SceneType | undefined;
  score: number | null;
  stale: boolean;
}

export interface RowFilter {
  q: string;
  status: string;
  sceneType: string;
  character: string;
  /** "below:0.5", "atleast:0.8", "none" (no score) or "" (any). */
  quality: string;
  /** "yes", "no" or "" (any). */
  stale: string;
}

export const FILTER_KEYS = ['q', 'status', 'scene_type', 'character', 'quality', 'stale'] as const;

/** The filter as the URL's query names it (so a filtered list can be shared and survives a reload). */
export function filterFromSearch(search: URLSearchParams): RowFilter {
  return {
    q: search.get('q') ?? '',
    status: search.get('status') ?? '',
    sceneType: search.get('scene_type') ?? '',
    character: search.get('character') ?? '',
    quality: search.get('quality') ?? '',
    stale: search.get('stale') ?? '',
  };
}

export function rowLabel(row: SegmentRow): string {
  return `${row.character.name} — ${row.sceneType?.name ?? row.scene.name} · seg ${row.segment.sequence_index}`;
}

function qualityMatches(score: number | null, rule: string): boolean {
  if (rule === '') return true;
  if (rule === 'none') return score === null;
  const [kind, raw] = rule.split(':');
  const threshold = Number(raw);
  if (score === null || Number.isNaN(threshold)) return false;
  return kind === 'below' ? score < threshold : kind === 'atleast' ? score >= threshold : true;
}

/** The rows the filter keeps; the search matches the character, scene, scene type and video path, accents ignored. */
export function filterRows(rows: readonly SegmentRow[], f: RowFilter): SegmentRow[] {
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const q = fold(f.q.trim());
  return rows.filter(
    (r) =>
      (f.status === '' || r.segment.status === f.status) &&
      (f.sceneType === '' || String(r.scene.scene_type_id) === f.sceneType) &&
      (f.character === '' || String(r.character.id) === f.character) &&
      (f.stale === '' || (f.stale === 'yes') === r.stale) &&
      qualityMatches(r.score, f.quality) &&
      (q === '' ||
        fold([r.character.name, r.scene.name, r.sceneType?.name ?? '', r.segment.output_video_path ?? ''].join(' ')).includes(q)),
  );
}
