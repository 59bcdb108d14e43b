import { describe, expect, it } from 'vitest';
import {
  describeProblem,
  describeStatus,
  fileName,
  files,
  reasonLabel,
  regenerationResult,
  summarizeRegeneration,
} from './metadataStatus';

describe('metadata status logic', () => {
  it('words every reason code the server sends, and shows unknown ones as named', () => {
    expect(reasonLabel('not_generated')).toBe('never generated');
    expect(reasonLabel('source_changed')).toBe('catalog changed since');
    expect(reasonLabel('file_missing')).toBe('file missing on disk');
    expect(reasonLabel('file_modified')).toBe('edited on disk');
    expect(reasonLabel('schema_version_changed')).toBe('schema version changed');
    expect(reasonLabel('something_new')).toBe('something new');
  });

  it('calls a file current only when the server gives no reason', () => {
    expect(describeStatus({ reasons: [] })).toEqual({ current: true, badge: 'Current', tone: 'good', text: 'Current' });
    expect(describeStatus({ reasons: ['file_modified'] })).toEqual({
      current: false,
      badge: 'Stale',
      tone: 'bad',
      text: 'Stale: edited on disk',
    });
    expect(describeStatus({ reasons: ['source_changed', 'file_missing'] }).text).toBe(
      'Stale: catalog changed since, file missing on disk',
    );
    const never = describeStatus({ reasons: ['not_generated'] });
    expect([never.current, never.badge, never.tone]).toEqual([false, 'Not generated', 'wait']);
  });

  it('puts the reasons of a delivery problem into words', () => {
    expect(describeProblem('character_metadata: file_missing')).toBe('character_metadata: file missing on disk');
    expect(describeProblem("video_metadata of scene 4 'Walk: left': source_changed, file_modified")).toBe(
      "video_metadata of scene 4 'Walk: left': catalog changed since, edited on disk",
    );
    expect(describeProblem('no colon here')).toBe('no colon here');
    // the media files named before the reason codes keep their own words (underscores, colons)
    expect(
      describeProblem(
        "video_metadata of scene 1 'Walk' — the video of segment 3 (clips/ava_walk_1.mp4) is missing: no such file: media_missing",
      ),
    ).toBe(
      "video_metadata of scene 1 'Walk' — the video of segment 3 (clips/ava_walk_1.mp4) is missing: no such file: a clip or image is missing",
    );
  });

  it('reads a regeneration job result, tolerating missing or odd fields', () => {
    const result = regenerationResult({
      project_id: 1,
      stale_only: false,
      total: 9,
      regenerated: 7,
      skipped: 1,
      failed: 1,
      failures: [{ entity_type: 'scene', entity_id: 4, name: 'Walk', error: 'no video' }, null],
    });
    expect(result).toEqual({
      total: 9,
      regenerated: 7,
      skipped: 1,
      failed: 1,
      failures: [{ entity_type: 'scene', entity_id: 4, name: 'Walk', error: 'no video' }],
    });
    expect(summarizeRegeneration(result!)).toBe('7 regenerated · 1 skipped · 1 failed');
    expect(regenerationResult(null)).toBeNull();
    expect(regenerationResult([1, 2])).toBeNull();
    expect(regenerationResult({ regenerated: 'x' })).toEqual({
      total: null,
      regenerated: 0,
      skipped: 0,
      failed: 0,
      failures: [],
    });
  });

  it('names files and counts them', () => {
    expect(fileName('video_metadata')).toBe('video_metadata.json');
    expect(files(1)).toBe('1 file');
    expect(files(9)).toBe('9 files');
  });
});
