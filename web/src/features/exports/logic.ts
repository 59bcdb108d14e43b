// The exports screen's logic, kept free of React so it can be tested on its own.
import type { DatasetRequest, SidecarExportBody, SidecarFormat } from './api';

export const FORMATS: readonly SidecarFormat[] = ['xml', 'csv', 'clip_csv', 'ale', 'otio', 'nk'];

/** A starting template_json for each format, valid as it stands. */
export const STARTER_JSON: Record<SidecarFormat, Record<string, unknown>> = {
  xml: { root_element: 'clip', fields: ['file_name', 'resolution', 'framerate', 'codec', 'duration'] },
  csv: { columns: ['frame', 'timecode', 'quality_metric'] },
  clip_csv: { columns: [{ header: 'File Name', field: 'file_name' }, { header: 'Resolution', field: 'resolution' }] },
  ale: {
    columns: [
      { header: 'Name', field: 'clip_name' },
      { header: 'Tracks', field: 'tracks' },
      { header: 'Start', field: 'start_tc' },
      { header: 'End', field: 'end_tc' },
    ],
  },
  otio: { fields: ['resolution', 'framerate', 'codec'] },
  nk: { fields: ['resolution', 'framerate', 'codec'] },
};

/** The editor's fields a server error can point at. */
export type EditorField = 'name' | 'format' | 'description' | 'target_tool' | 'template_json';

/** Which editor field a 400's `field` belongs to (`template_json.fields[2]` → template_json); null for none. */
export function editorFieldOf(field: string | null | undefined): EditorField | null {
  if (!field) return null;
  const head = field.split(/[.[]/)[0];
  return head === 'name' || head === 'format' || head === 'description' || head === 'target_tool' || head === 'template_json'
    ? head
    : null;
}

export type ParsedJson = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

/** Parses the editor's template_json text: it must be a JSON object. */
export function parseTemplateJson(text: string): ParsedJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `is not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'must be a JSON object' };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

export interface Splits {
  train: string;
  validation: string;
  test: string;
}

/** A split input's whole percentage, or null when it is not a whole number from 0 to 100. */
export function percent(raw: string): number | null {
  const text = raw.trim();
  if (!/^\d{1,3}$/.test(text)) return null;
  const n = Number(text);
  return n <= 100 ? n : null;
}

export interface SplitCheck {
  /** The sum of the valid inputs. */
  sum: number;
  /** Every input is a whole percentage and they sum to 100. */
  valid: boolean;
  /** What is wrong, for the user; null when valid. */
  problem: string | null;
}

export function checkSplits(splits: Splits): SplitCheck {
  const values = [splits.train, splits.validation, splits.test].map(percent);
  const sum = values.reduce<number>((a, v) => a + (v ?? 0), 0);
  if (values.some((v) => v === null)) return { sum, valid: false, problem: 'Each split is a whole percentage from 0 to 100.' };
  if (sum !== 100) return { sum, valid: false, problem: `The splits sum to ${sum}%; they must sum to 100%.` };
  return { sum, valid: true, problem: null };
}

export interface DatasetForm {
  name: string;
  /** Filter by quality at all; without it segments without a quality score are included too. */
  useQuality: boolean;
  quality: number;
  /** All scene type names of the project, and the ticked ones. */
  allSceneTypes: readonly string[];
  sceneTypes: readonly string[];
  allCharacterIds: readonly number[];
  characterIds: readonly number[];
  splits: Splits;
  includeVideos: boolean;
  frameImages: boolean;
  /** Segments picked in the segment list: only these are candidates (the other filters still apply); absent, all. */
  segmentIds?: readonly number[];
}

/** The segment ids in `?segments=1,2,3` (the segment list's "Add to an export"), or none when absent or malformed. */
export function parseSegmentIds(raw: string | null): number[] {
  if (!raw) return [];
  const ids = raw.split(',').map((p) => p.trim());
  if (!ids.every((p) => /^[1-9]\d{0,15}$/.test(p))) return [];
  return [...new Set(ids.map(Number))];
}

/** Why the form cannot be sent, or null when it can. */
export function datasetFormProblem(form: DatasetForm): string | null {
  if (!form.name.trim()) return 'Name the dataset.';
  if (form.allSceneTypes.length > 0 && form.sceneTypes.length === 0) return 'Tick at least one scene type.';
  if (form.allCharacterIds.length > 0 && form.characterIds.length === 0) return 'Tick at least one character.';
  if (!form.includeVideos && !form.frameImages) return 'A dataset needs videos or frame images.';
  return checkSplits(form.splits).problem;
}

const sameSet = <T,>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * The POST body of a dataset export. Everything ticked sends no filter (the server's "all", which also takes scene
 * types and characters added later); the quality threshold is rounded to two decimals.
 */
export function datasetRequest(form: DatasetForm): DatasetRequest {
  const body: DatasetRequest = {
    name: form.name.trim(),
    quality_threshold: form.useQuality ? Math.round(form.quality * 100) / 100 : null,
    splits: {
      train: percent(form.splits.train) ?? 0,
      validation: percent(form.splits.validation) ?? 0,
      test: percent(form.splits.test) ?? 0,
    },
    include_videos: form.includeVideos,
    frame_images: form.frameImages,
  };
  if (!sameSet(form.sceneTypes, form.allSceneTypes)) body.scene_types = form.allSceneTypes.filter((t) => form.sceneTypes.includes(t));
  if (!sameSet(form.characterIds, form.allCharacterIds)) {
    body.character_ids = form.allCharacterIds.filter((c) => form.characterIds.includes(c));
  }
  if (form.segmentIds && form.segmentIds.length > 0) body.segment_ids = [...form.segmentIds];
  return body;
}

/** The POST body of a sidecar export; templates in list order. */
export function sidecarRequest(
  templateIds: readonly number[],
  scope: { kind: 'project' } | { kind: 'character'; characterId: number },
  includeMedia: boolean,
): SidecarExportBody {
  return {
    template_ids: [...templateIds].sort((a, b) => a - b),
    character_id: scope.kind === 'character' ? scope.characterId : null,
    include_media: includeMedia,
  };
}

/** Adds or removes one item of a multi-select. */
export function toggle<T>(list: readonly T[], item: T, on: boolean): T[] {
  return on ? (list.includes(item) ? [...list] : [...list, item]) : list.filter((x) => x !== item);
}

export interface SidecarResult {
  videos: number;
  files: number;
  failed: number;
  zipSizeBytes: number | null;
  download: string | null;
}

/** The parts of a finished sidecar.export job's result the screen shows; null when it has none. */
export function sidecarResult(result: unknown): SidecarResult | null {
  if (typeof result !== 'object' || result === null) return null;
  const r = result as Record<string, unknown>;
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  return {
    videos: num(r.videos),
    files: num(r.files),
    failed: num(r.failed),
    zipSizeBytes: typeof r.zip_size_bytes === 'number' ? r.zip_size_bytes : null,
    download: typeof r.download === 'string' ? r.download : null,
  };
}

export interface SplitSummary {
  split: 'train' | 'validation' | 'test';
  samples: number;
  requested: number | null;
  actual: number | null;
}

/** Per split: samples, and the requested and actual percentages, from a dataset manifest's metadata. */
export function manifestSplits(manifest: unknown): SplitSummary[] {
  const meta = (manifest as { metadata?: Record<string, unknown> } | null)?.metadata;
  const read = (key: string, split: string): number | null => {
    const group = meta?.[key];
    const v = typeof group === 'object' && group !== null ? (group as Record<string, unknown>)[split] : undefined;
    return typeof v === 'number' ? v : null;
  };
  return (['train', 'validation', 'test'] as const).map((split) => ({
    split,
    samples: read('split_counts', split) ?? 0,
    requested: read('requested_percentages', split),
    actual: read('actual_percentages', split),
  }));
}
