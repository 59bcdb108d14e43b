import { describe, expect, it } from 'vitest';
import {
  checkSplits,
  datasetFormProblem,
  datasetRequest,
  editorFieldOf,
  manifestSplits,
  parseSegmentIds,
  parseTemplateJson,
  percent,
  sidecarRequest,
  sidecarResult,
  toggle,
  type DatasetForm,
} from './logic';

const form = (over: Partial<DatasetForm> = {}): DatasetForm => ({
  name: ' my set ',
  useQuality: false,
  quality: 0.5,
  allSceneTypes: ['dance', 'talk'],
  sceneTypes: ['dance', 'talk'],
  allCharacterIds: [1, 2, 3],
  characterIds: [1, 2, 3],
  splits: { train: '80', validation: '10', test: '10' },
  includeVideos: true,
  frameImages: true,
  ...over,
});

describe('splits', () => {
  it('reads whole percentages only', () => {
    expect(percent('70')).toBe(70);
    expect(percent(' 0 ')).toBe(0);
    expect(percent('100')).toBe(100);
    expect(percent('101')).toBeNull();
    expect(percent('7.5')).toBeNull();
    expect(percent('')).toBeNull();
    expect(percent('-1')).toBeNull();
  });

  it('must sum to 100', () => {
    expect(checkSplits({ train: '70', validation: '20', test: '10' })).toEqual({ sum: 100, valid: true, problem: null });
    const over = checkSplits({ train: '70', validation: '20', test: '20' });
    expect(over.sum).toBe(110);
    expect(over.valid).toBe(false);
    expect(over.problem).toBe('The splits sum to 110%; they must sum to 100%.');
    expect(checkSplits({ train: '100', validation: '0', test: '0' }).valid).toBe(true);
    const bad = checkSplits({ train: '90', validation: 'x', test: '10' });
    expect(bad.valid).toBe(false);
    expect(bad.sum).toBe(100);
    expect(bad.problem).toContain('whole percentage');
  });
});

describe('dataset form', () => {
  it('sends no filters when everything is ticked and no threshold when quality is off', () => {
    expect(datasetRequest(form())).toEqual({
      name: 'my set',
      quality_threshold: null,
      splits: { train: 80, validation: 10, test: 10 },
      include_videos: true,
      frame_images: true,
    });
  });

  it('sends the ticked subsets in list order and the threshold rounded', () => {
    const body = datasetRequest(
      form({ useQuality: true, quality: 0.654, sceneTypes: ['talk'], characterIds: [3, 1], splits: { train: '70', validation: '20', test: '10' } }),
    );
    expect(body.quality_threshold).toBe(0.65);
    expect(body.scene_types).toEqual(['talk']);
    expect(body.character_ids).toEqual([1, 3]);
    expect(body.splits).toEqual({ train: 70, validation: 20, test: 10 });
  });

  it('sends the segment list selection, and reads it from the address only when well formed', () => {
    expect(datasetRequest(form({ segmentIds: [7, 3] })).segment_ids).toEqual([7, 3]);
    expect(datasetRequest(form({ segmentIds: [] }))).not.toHaveProperty('segment_ids');
    expect(parseSegmentIds('7,3,7')).toEqual([7, 3]);
    expect(parseSegmentIds(null)).toEqual([]);
    expect(parseSegmentIds('7,x')).toEqual([]);
    expect(parseSegmentIds('0')).toEqual([]);
  });

  it('says what stops the export', () => {
    expect(datasetFormProblem(form())).toBeNull();
    expect(datasetFormProblem(form({ name: '  ' }))).toBe('Name the dataset.');
    expect(datasetFormProblem(form({ sceneTypes: [] }))).toBe('Tick at least one scene type.');
    expect(datasetFormProblem(form({ characterIds: [] }))).toBe('Tick at least one character.');
    expect(datasetFormProblem(form({ includeVideos: false, frameImages: false }))).toContain('videos or frame images');
    expect(datasetFormProblem(form({ splits: { train: '70', validation: '20', test: '20' } }))).toContain('110%');
    // a project without scene types or characters has nothing to tick
    expect(datasetFormProblem(form({ allSceneTypes: [], sceneTypes: [], allCharacterIds: [], characterIds: [] }))).toBeNull();
  });
});

describe('sidecar export', () => {
  it('builds the body for a project or a character', () => {
    expect(sidecarRequest([5, 2], { kind: 'project' }, false)).toEqual({ template_ids: [2, 5], character_id: null, include_media: false });
    expect(sidecarRequest([1], { kind: 'character', characterId: 9 }, true)).toEqual({
      template_ids: [1],
      character_id: 9,
      include_media: true,
    });
  });

  it('toggles items of a multi-select', () => {
    expect(toggle([1, 2], 3, true)).toEqual([1, 2, 3]);
    expect(toggle([1, 2], 2, true)).toEqual([1, 2]);
    expect(toggle([1, 2], 1, false)).toEqual([2]);
  });
});

describe('template editor', () => {
  it('maps a 400 field to the editor field it belongs to', () => {
    expect(editorFieldOf('template_json.root_element')).toBe('template_json');
    expect(editorFieldOf('template_json.fields[2]')).toBe('template_json');
    expect(editorFieldOf('template_json')).toBe('template_json');
    expect(editorFieldOf('name')).toBe('name');
    expect(editorFieldOf('is_builtin')).toBeNull();
    expect(editorFieldOf(null)).toBeNull();
  });

  it('parses template JSON as an object', () => {
    expect(parseTemplateJson('{"fields": ["codec"]}')).toEqual({ ok: true, value: { fields: ['codec'] } });
    expect(parseTemplateJson('[1]')).toEqual({ ok: false, message: 'must be a JSON object' });
    const broken = parseTemplateJson('{"fields": ');
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.message).toMatch(/^is not valid JSON/);
  });
});

describe('sidecar result', () => {
  it('reads the job result', () => {
    expect(sidecarResult({ videos: 4, files: 9, failed: 1, zip_size_bytes: 2048, download: '/api/sidecar-exports/7/download' })).toEqual({
      videos: 4,
      files: 9,
      failed: 1,
      zipSizeBytes: 2048,
      download: '/api/sidecar-exports/7/download',
    });
    expect(sidecarResult(null)).toBeNull();
    expect(sidecarResult({})).toEqual({ videos: 0, files: 0, failed: 0, zipSizeBytes: null, download: null });
  });
});

describe('dataset manifest', () => {
  it('summarises the splits', () => {
    const manifest = {
      metadata: {
        split_counts: { train: 11, validation: 2, test: 2 },
        requested_percentages: { train: 70, validation: 20, test: 10 },
        actual_percentages: { train: 73.3, validation: 13.3, test: 13.3 },
      },
    };
    expect(manifestSplits(manifest)).toEqual([
      { split: 'train', samples: 11, requested: 70, actual: 73.3 },
      { split: 'validation', samples: 2, requested: 20, actual: 13.3 },
      { split: 'test', samples: 2, requested: 10, actual: 13.3 },
    ]);
    expect(manifestSplits(null)[0]).toEqual({ split: 'train', samples: 0, requested: null, actual: null });
  });
});
